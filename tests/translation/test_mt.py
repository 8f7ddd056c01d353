"""MT providers over real HTTP against the fake service: a contract every provider inherits,
then the dispatcher's deduplication, splitting, concurrency, retries, breaker and fallback."""

from __future__ import annotations

import time

import pytest
from fakes.mt_server import FakeMTServer

from contestflow.translation.mt import Dispatcher, MTPolicy, TermNote, make_provider
from contestflow.translation.mt.base import BadResponse, MTProvider, is_private_url

FAST = MTPolicy(read_timeout=1.0, connect_timeout=1.0, backoff_base=0.02, backoff_max=0.1,
                attempts=3, breaker_window=0.3)
TEXT = "Город <1>Ставрополь</1> реализует проект<2/>."
EXPECTED = "City <1>Stavropol</1> implements project<2/>."


class ProviderContract:
    """What every provider must do; subclasses name the provider and its fake endpoint."""

    name: str = ""
    suffix: str = ""
    route: str = ""

    def make(self, server: FakeMTServer, **kwargs: object) -> MTProvider:
        provider = make_provider(self.name, url=server.url + self.suffix, api_key="key:fx",
                                 **kwargs)  # type: ignore[arg-type]
        assert provider is not None
        return provider

    def run(self, server: FakeMTServer, texts: list[str], policy: MTPolicy = FAST):
        return Dispatcher(self.make(server), "ru", "en", policy).translate(texts)

    def test_translates_and_keeps_tags(self, fake_mt: FakeMTServer) -> None:
        report = self.run(fake_mt, [TEXT])
        assert report.translations == {TEXT: EXPECTED}
        assert fake_mt.requests[self.route] == 1

    def test_english_to_russian(self, fake_mt: FakeMTServer) -> None:
        report = Dispatcher(self.make(fake_mt), "en", "ru", FAST).translate(["The city."])
        assert report.translations == {"The city.": "город."}

    def test_retries_429_respecting_retry_after(self, fake_mt: FakeMTServer) -> None:
        fake_mt.retry_after = "0.4"
        fake_mt.plan("429")
        started = time.monotonic()
        report = self.run(fake_mt, [TEXT])
        assert report.translations == {TEXT: EXPECTED}
        assert time.monotonic() - started >= 0.4
        assert report.attempts == 2

    def test_retries_500_and_dropped_connections(self, fake_mt: FakeMTServer) -> None:
        fake_mt.plan("500", "drop")
        report = self.run(fake_mt, [TEXT])
        assert report.translations == {TEXT: EXPECTED}
        assert report.attempts == 3

    def test_garbage_is_a_failure_not_a_translation(self, fake_mt: FakeMTServer) -> None:
        fake_mt.default = "garbage"
        report = self.run(fake_mt, [TEXT])
        assert report.translations == {}
        assert "unusable" in report.failures[TEXT] or "no translation" in report.failures[TEXT]

    def test_a_hanging_service_times_out(self, fake_mt: FakeMTServer) -> None:
        fake_mt.default = "hang"
        started = time.monotonic()
        report = self.run(fake_mt, [TEXT], MTPolicy(read_timeout=0.3, attempts=2,
                                                    backoff_base=0.01))
        assert TEXT in report.failures and "0.3" in report.explain()
        assert time.monotonic() - started < 3


class TestLibre(ProviderContract):
    name, suffix, route = "libre", "", "libre"


class TestGoogle(ProviderContract):
    name, suffix, route = "google", "/m", "google"

    def test_none_from_deep_translator_becomes_an_error(self, fake_mt: FakeMTServer) -> None:
        provider = self.make(fake_mt)
        with pytest.raises(BadResponse):
            provider.translate_batch(["—"], "ru", "en", (1.0, 1.0))


class TestMyMemory(ProviderContract):
    name, suffix, route = "mymemory", "/get", "mymemory"


class TestMicrosoft(ProviderContract):
    name, suffix, route = "microsoft", "", "microsoft"


class TestDeepL(ProviderContract):
    name, suffix, route = "deepl", "", "deepl"

    def test_uses_the_current_auth_header(self, fake_mt: FakeMTServer) -> None:
        self.run(fake_mt, [TEXT])
        assert fake_mt.headers[-1]["Authorization"] == "DeepL-Auth-Key key:fx"


class TestYandex(ProviderContract):
    name, suffix, route = "yandex", "", "yandex"

    def test_uses_the_cloud_api_key_header(self, fake_mt: FakeMTServer) -> None:
        self.run(fake_mt, [TEXT])
        assert fake_mt.headers[-1]["Authorization"] == "Api-Key key:fx"


def libre(server: FakeMTServer, **kwargs: object) -> MTProvider:
    provider = make_provider("libre", url=server.url, **kwargs)  # type: ignore[arg-type]
    assert provider is not None
    return provider


def test_identical_texts_are_sent_once(fake_mt: FakeMTServer) -> None:
    texts = ["Город.", "Проект.", "Город.", "Форум.", "Проект."] * 4
    report = Dispatcher(libre(fake_mt), "ru", "en", FAST).translate(texts)
    assert len(report.translations) == 3
    assert fake_mt.total_requests == report.requests == 3


def test_concurrency_is_bounded_per_provider(fake_mt: FakeMTServer) -> None:
    fake_mt.delay = 0.1
    texts = [f"Проект номер {i}." for i in range(16)]
    started = time.monotonic()
    Dispatcher(libre(fake_mt, concurrency=4), "ru", "en", FAST).translate(texts)
    elapsed = time.monotonic() - started
    assert fake_mt.max_active <= 4
    assert elapsed < 16 * 0.1 / 2


def test_long_texts_are_split_at_sentence_boundaries(fake_mt: FakeMTServer) -> None:
    long_text = " ".join(f"Город Ставрополь реализует проект номер {i}." for i in range(12))
    provider = make_provider("mymemory", url=fake_mt.url + "/get")
    report = Dispatcher(provider, "ru", "en", FAST).translate([long_text])
    assert fake_mt.total_requests > 1
    assert all(len(text) <= provider.max_chars for text in fake_mt.texts)
    assert report.translations[long_text].count("City Stavropol implements project") == 12


def test_dead_provider_trips_the_breaker_quickly() -> None:
    """Gone for good: the breaker opens once failures have lasted its window, and every text
    still queued fails at once instead of using up its own eight attempts."""
    provider = make_provider("libre", url="http://127.0.0.1:9")
    policy = MTPolicy(connect_timeout=1.0, attempts=8, backoff_base=0.05, backoff_max=0.2,
                      breaker_window=0.5)
    started = time.monotonic()
    report = Dispatcher(provider, "ru", "en", policy).translate([f"t{i}" for i in range(50)])
    assert len(report.failures) == 50
    assert report.attempts < 50 * policy.attempts / 4
    assert "connection refused" in report.explain()
    assert time.monotonic() - started < 3


def test_fallback_takes_what_the_first_provider_failed(fake_mt: FakeMTServer) -> None:
    second = Dispatcher(libre(fake_mt), "ru", "en", FAST)
    first = Dispatcher(make_provider("libre", url="http://127.0.0.1:9"), "ru", "en", FAST,
                       fallback=second)
    report = first.translate([TEXT, "Форум."])
    assert report.translations[TEXT] == EXPECTED
    assert set(report.providers.values()) == {"libre"} and not report.failures


def test_deadline_bounds_the_whole_run(fake_mt: FakeMTServer) -> None:
    fake_mt.default = "hang"
    policy = MTPolicy(read_timeout=30, deadline=1.0, attempts=5, backoff_base=0.01)
    started = time.monotonic()
    report = Dispatcher(libre(fake_mt), "ru", "en", policy).translate(["a", "b"])
    assert set(report.failures) == {"a", "b"}
    assert time.monotonic() - started < 3


def test_public_and_private_services() -> None:
    assert is_private_url("http://127.0.0.1:5000") and is_private_url("http://localhost")
    assert is_private_url("http://10.1.2.3/") and not is_private_url("https://libretranslate.com")
    assert make_provider("google").public
    assert make_provider("none") is None


class TestChatCompletions(ProviderContract):
    """An LLM through the OpenAI-compatible API: segments in one request, JSON back."""

    name, suffix, route = "llm", "/v1", "llm"

    def make(self, server: FakeMTServer, **kwargs: object) -> MTProvider:
        return super().make(server, model="local-model", **kwargs)

    def test_several_segments_in_one_request_with_the_rules(self,
                                                            fake_mt: FakeMTServer) -> None:
        texts = [TEXT, "Город и культура.", "Проект."]
        report = self.run(fake_mt, texts)
        assert report.translations[TEXT] == EXPECTED
        assert report.translations["Проект."] == "Project."
        assert fake_mt.requests["llm"] == 1 and report.requests == 1
        assert fake_mt.headers[-1]["Authorization"] == "Bearer key:fx"

    def test_a_reply_that_breaks_the_json_is_retried(self, fake_mt: FakeMTServer) -> None:
        fake_mt.plan("badjson", "dropone")
        report = self.run(fake_mt, [TEXT, "Проект."])
        assert report.translations == {TEXT: EXPECTED, "Проект.": "Project."}
        assert report.attempts == 3

    def test_a_reply_that_keeps_dropping_a_segment_fails(self, fake_mt: FakeMTServer) -> None:
        fake_mt.default = "dropone"
        report = self.run(fake_mt, [TEXT, "Проект."])
        assert report.translations == {}
        assert "answered 1 of 2 segments (missing: 2)" in report.failures[TEXT]

    def test_the_prompt_carries_each_segments_terms_and_the_tag_rule(
            self, fake_mt: FakeMTServer) -> None:
        duma = TermNote("Ставропольская городская Дума", "Stavropol City Duma", 2)
        forum = TermNote("форум", "forum")  # sent with nothing protected: no tag
        texts = ["Решение <2/>.", "Город и культура.", "Форум прошёл."]
        report = Dispatcher(self.make(fake_mt), "ru", "en", FAST).translate(
            texts, terms={texts[0]: [duma, duma], texts[2]: [forum]})
        assert len(report.translations) == 3 and fake_mt.requests["llm"] == 1
        prompt = fake_mt.prompts[-1]
        assert "Keep every tag such as <1>, </1> and <2/> exactly once" in prompt
        glossary = prompt.split("these segments; its translations are required.")[1]
        assert [line for line in glossary.splitlines() if line.startswith("- ")] == [
            '- segment 1, tag <2/>: "Ставропольская городская Дума" = "Stavropol City Duma"',
            '- segment 3: "форум" = "forum"']

    def test_a_batch_without_terms_has_no_glossary_in_the_prompt(
            self, fake_mt: FakeMTServer) -> None:
        self.run(fake_mt, ["Город и культура."])
        assert "glossary" not in fake_mt.prompts[-1]

    def test_the_fallback_and_the_pieces_of_a_long_text_get_its_terms(
            self, fake_mt: FakeMTServer) -> None:
        first = make_provider("libre", url="http://127.0.0.1:9")  # nobody listens there
        assert first is not None
        second = Dispatcher(self.make(fake_mt), "ru", "en", FAST)
        long = " ".join(["Город реализует проект <2/>."] * 200)
        note = TermNote("Ставропольская городская Дума", "Stavropol City Duma", 2)
        report = Dispatcher(first, "ru", "en", FAST, fallback=second).translate(
            [long], terms={long: [note]})
        assert report.providers[long] == "llm" and fake_mt.requests["llm"] == 1
        [prompt] = fake_mt.prompts  # over the LLM's limit: two pieces, one request
        assert len(fake_mt.texts) == 2
        assert [n for n in ("1", "2") if f'segment {n}, tag <2/>: "Ставропольская' in prompt
                ] == ["1", "2"]

    def test_a_wrong_key_stops_at_once(self, fake_mt: FakeMTServer) -> None:
        provider = make_provider("llm", url=fake_mt.url + "/v1", model="m")
        assert provider is not None
        report = Dispatcher(provider, "ru", "en", FAST).translate([TEXT])
        assert report.translations == {} and fake_mt.requests["llm"] == 1

    def test_a_model_is_required(self) -> None:
        from contestflow.translation.errors import TranslationError

        with pytest.raises(TranslationError, match="model"):
            make_provider("llm", url="http://127.0.0.1:9/v1")
