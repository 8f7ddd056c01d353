"""The providers: deep-translator where its class works, the documented API where it does not.

* Google, LibreTranslate, MyMemory, Microsoft: deep-translator's classes, called through our
  HTTP stand-in (timeouts, keep-alive, error mapping). Microsoft's class fetches its language
  list over the network in ``__init__`` (no timeout); our subclass gives it a fixed list.
* DeepL and Yandex: deep-translator still uses DeepL's removed ``auth_key`` query parameter
  and Yandex's retired v1.5 API, so these two talk to the current documented APIs directly:
  DeepL ``POST /v2/translate`` with ``Authorization: DeepL-Auth-Key``, Yandex Cloud
  ``POST /translate/v2/translate`` with ``Authorization: Api-Key``.
* ``llm``: a large language model through the OpenAI-compatible chat-completions API
  (``llm.py``), several segments a request, JSON in and out.
"""

from __future__ import annotations

from typing import Any, ClassVar

from contestflow.translation.mt.base import BadResponse, MTProvider, ProviderError
from contestflow.translation.mt.http import calling, request
from contestflow.translation.mt.llm import ChatCompletionsProvider

MYMEMORY_CODES = {"ru": "ru-RU", "en": "en-GB"}


def _checked(value: Any, text: str, label: str) -> str:
    if not isinstance(value, str) or (text.strip() and not value.strip()):
        raise BadResponse(f"{label} returned no translation")
    return value


class DeepTranslatorProvider(MTProvider):
    """A provider built on one deep-translator class, one text per request."""

    def make(self, source: str, target: str) -> Any:
        raise NotImplementedError

    def translate_batch(self, texts: list[str], source: str, target: str,
                        timeout: tuple[float, float]) -> list[str]:
        results = []
        with calling(timeout, self.describe()):
            for text in texts:
                translator = self.make(source, target)
                try:
                    value = translator.translate(text)
                except ProviderError:
                    raise
                except Exception as error:  # deep-translator's many ways of failing
                    raise BadResponse(f"{self.describe()} gave an unusable answer: "
                                      f"{type(error).__name__}") from None
                results.append(_checked(value, text, self.describe()))
        return results


def _pointed_at(translator: Any, url: str) -> Any:
    """A deep-translator translator sent to ``url`` instead of its built-in address.

    LibreTranslator takes ``custom_url``; deep-translator 1.11 gives Google, MyMemory and
    Microsoft no public way to change their address (only a module-wide constant, which would
    move every caller at once), so this one private attribute is set here and nowhere else.
    """
    translator._base_url = url
    return translator


class GoogleProvider(DeepTranslatorProvider):
    name = "google"
    label = "Google Translate"
    max_chars = 4_500
    default_concurrency = 4
    default_url = "https://translate.google.com/m"

    def make(self, source: str, target: str) -> Any:
        from deep_translator import GoogleTranslator

        return _pointed_at(GoogleTranslator(source=source, target=target), self.url)


class LibreProvider(DeepTranslatorProvider):
    name = "libre"
    label = "LibreTranslate"
    max_chars = 2_000
    default_concurrency = 8
    default_url = "https://libretranslate.com"

    def make(self, source: str, target: str) -> Any:
        from deep_translator import LibreTranslator

        return LibreTranslator(source=source, target=target, api_key=self.api_key or "-",
                               custom_url=self.url + "/")


class MyMemoryProvider(DeepTranslatorProvider):
    name = "mymemory"
    label = "MyMemory"
    max_chars = 240  # MyMemory counts 500 bytes; Cyrillic takes two each
    default_concurrency = 2
    default_url = "https://api.mymemory.translated.net/get"

    def make(self, source: str, target: str) -> Any:
        from deep_translator import MyMemoryTranslator

        return _pointed_at(MyMemoryTranslator(source=MYMEMORY_CODES.get(source, source),
                                              target=MYMEMORY_CODES.get(target, target)),
                           self.url)


class MicrosoftProvider(DeepTranslatorProvider):
    name = "microsoft"
    label = "Microsoft Translator"
    max_chars = 5_000
    default_concurrency = 4
    default_url = "https://api.cognitive.microsofttranslator.com"

    def __init__(self, *, region: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.region = region

    def make(self, source: str, target: str) -> Any:
        from deep_translator import MicrosoftTranslator

        class _Offline(MicrosoftTranslator):  # type: ignore[misc]
            def _get_supported_languages(self) -> dict[str, str]:
                return {"russian": "ru", "english": "en"}

        return _pointed_at(_Offline(source=source, target=target, api_key=self.api_key or "-",
                                    region=self.region), f"{self.url}/translate?api-version=3.0")


class DeepLProvider(MTProvider):
    name = "deepl"
    label = "DeepL"
    max_chars = 5_000
    batch_size = 25
    default_concurrency = 4
    default_url = "https://api.deepl.com"
    TARGETS: ClassVar[dict[str, str]] = {"en": "EN-GB", "pt": "PT-PT"}

    def __init__(self, **kwargs: Any) -> None:
        if not kwargs.get("url") and (kwargs.get("api_key") or "").endswith(":fx"):
            kwargs["url"] = "https://api-free.deepl.com"
        super().__init__(**kwargs)

    def translate_batch(self, texts: list[str], source: str, target: str,
                        timeout: tuple[float, float]) -> list[str]:
        body = {"text": texts, "source_lang": source.upper(),
                "target_lang": self.TARGETS.get(target, target.upper())}
        response = request("POST", f"{self.url}/v2/translate", timeout=timeout,
                           label=self.describe(), json=body,
                           headers={"Authorization": f"DeepL-Auth-Key {self.api_key or ''}"})
        try:
            items = response.json()["translations"]
            values = [item["text"] for item in items]
        except (ValueError, KeyError, TypeError):
            raise BadResponse(f"{self.describe()} gave an unusable answer") from None
        if len(values) != len(texts):
            raise BadResponse(f"{self.describe()} returned {len(values)} of {len(texts)}")
        return [_checked(v, t, self.describe()) for v, t in zip(values, texts, strict=True)]


class YandexProvider(MTProvider):
    name = "yandex"
    label = "Yandex Translate"
    max_chars = 4_000
    batch_size = 2  # the API caps a request at 10,000 characters in all
    default_concurrency = 4
    default_url = "https://translate.api.cloud.yandex.net"

    def __init__(self, *, folder_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.folder_id = folder_id

    def translate_batch(self, texts: list[str], source: str, target: str,
                        timeout: tuple[float, float]) -> list[str]:
        body: dict[str, Any] = {"texts": texts, "sourceLanguageCode": source,
                                "targetLanguageCode": target, "format": "PLAIN_TEXT"}
        if self.folder_id:
            body["folderId"] = self.folder_id
        response = request("POST", f"{self.url}/translate/v2/translate", timeout=timeout,
                           label=self.describe(), json=body,
                           headers={"Authorization": f"Api-Key {self.api_key or ''}"})
        try:
            values = [item["text"] for item in response.json()["translations"]]
        except (ValueError, KeyError, TypeError):
            raise BadResponse(f"{self.describe()} gave an unusable answer") from None
        if len(values) != len(texts):
            raise BadResponse(f"{self.describe()} returned {len(values)} of {len(texts)}")
        return [_checked(v, t, self.describe()) for v, t in zip(values, texts, strict=True)]


PROVIDERS: dict[str, type[MTProvider]] = {
    cls.name: cls
    for cls in (GoogleProvider, LibreProvider, MyMemoryProvider, MicrosoftProvider,
                DeepLProvider, YandexProvider, ChatCompletionsProvider)
}
