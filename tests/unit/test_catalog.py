"""The contest catalog: every bundled definition is valid, and bad ones are refused precisely."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from contestflow.catalog import CatalogError, load_catalog, parse_definition
from contestflow.identity import city
from schemas import CONTESTS_DIR

DEPARTMENTS = [d.id for d in city().departments]
EXPECTED_CONTESTS = {
    "uclg-culture21",
    "iac-city-to-live",
    "iac-city-media",
    "ero-uclg-rating",
    "unhabitat-scroll",
    "ero-children-drawing",
}


def test_every_bundled_contest_loads() -> None:
    catalog = load_catalog(known_departments=DEPARTMENTS)
    assert set(catalog.contests) == EXPECTED_CONTESTS


@pytest.mark.parametrize("path", sorted(CONTESTS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_definition_is_valid(path: Path) -> None:
    definition = parse_definition(path, DEPARTMENTS)
    assert definition.id == path.stem
    assert definition.outcomes and definition.items


def test_real_facts_are_encoded() -> None:
    catalog = load_catalog(known_departments=DEPARTMENTS)
    uclg = catalog.get("uclg-culture21")
    brief = uclg.item("brief-description")
    assert (brief.limit.max, brief.limit.unit) == (300, "words")
    assert uclg.item("background").limit.max == 400
    assert uclg.item("city-description").limit.max == 200
    assert [p.id for p in uclg.edition("2024").phases] == ["short-form", "full-form"]
    assert uclg.target_languages(brief) == ["en"]
    assert uclg.item("mayor-details").personal_data
    scroll = catalog.get("unhabitat-scroll")
    assert not scroll.self_nomination_allowed and scroll.nominator
    assert scroll.languages == ["en"] and scroll.package.max_pages == 10
    media = catalog.get("iac-city-media")
    assert media.edition("2025").nominations == [
        "Помним и гордимся!", "Пресс-служба информирует...", "Мы живем в Умном городе",
        "Город. Искусство. Дипломатия"]
    assert not media.edition("2026").nominations  # announced every year, not yet for 2026
    assert media.package.email_subject_marker
    assert {o.id for o in media.outcomes} >= {
        "first-place",
        "special-diploma",
        "diploma-1st-degree",
    }
    # Russian-language contests need no translation.
    to_live = catalog.get("iac-city-to-live")
    assert all(not to_live.target_languages(i) for i in to_live.items)


def test_dates_are_confirmed_with_their_source_or_expected() -> None:
    catalog = load_catalog(known_departments=DEPARTMENTS)
    uclg = catalog.get("uclg-culture21")
    city_2026 = uclg.edition("2026").phases[0]
    assert (city_2026.opens_on, city_2026.deadline) == (dt.date(2025, 12, 1),
                                                        dt.date(2026, 3, 13))
    assert city_2026.status == "confirmed" and "agenda21culture.net" in city_2026.source
    assert uclg.edition("2028").phases[0].expected
    assert uclg.edition("2028").deadline == dt.date(2028, 3, 13)
    rating = catalog.get("ero-uclg-rating")
    assert rating.edition("2019-20").results_expected_on == dt.date(2020, 2, 28)
    assert rating.edition("2014-15").results_expected_on == dt.date(2015, 7, 31)
    never_published = [("ero-children-drawing", "2020"), ("ero-uclg-rating", "2019-20"),
                       ("iac-city-to-live", "2027"), ("iac-city-media", "2026"),
                       ("unhabitat-scroll", "2027"), ("uclg-culture21", "2028")]
    for contest, edition in never_published:
        assert all(p.expected and p.source is None
                   for p in catalog.get(contest).edition(edition).phases), (contest, edition)
    for definition in catalog:
        for edition in definition.editions:
            for phase in edition.phases:
                assert phase.expected or phase.source.startswith("https://")


def test_confirmed_dates_need_their_source(good: dict, tmp_path: Path) -> None:
    good["editions"][2]["phases"][0]["status"] = "confirmed"  # 2028, as yet expected
    message = _error(tmp_path, good)
    assert "editions[2].phases[0]" in message and "source address" in message
    good["editions"][2]["phases"][0]["source"] = "https://example.org/call"
    assert not parse_definition(_write(tmp_path, good), DEPARTMENTS).editions[2].phases[0].expected


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "contest.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def good() -> dict:
    return yaml.safe_load((CONTESTS_DIR / "uclg-culture21.yaml").read_text(encoding="utf-8"))


def _error(tmp_path: Path, data: dict) -> str:
    with pytest.raises(CatalogError) as caught:
        parse_definition(_write(tmp_path, data), DEPARTMENTS)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_missing_field_is_named(tmp_path: Path, good: dict) -> None:
    del good["organiser"]
    assert "organiser: Field required" in _error(tmp_path, good)


def test_unknown_department_names_item_and_line(tmp_path: Path, good: dict) -> None:
    good["items"][2]["department"] = "ministry-of-magic"
    message = _error(tmp_path, good)
    assert "items[2].department" in message and "ministry-of-magic" in message
    line = int(message.split(":")[1])
    text = (tmp_path / "contest.yaml").read_text(encoding="utf-8").splitlines()
    assert "ministry-of-magic" in text[line - 1]


def test_negative_limit_points_at_the_field(tmp_path: Path, good: dict) -> None:
    good["items"][1]["limit"]["max"] = -5
    message = _error(tmp_path, good)
    assert "items[1].limit.max" in message and "greater than 0" in message
    line = int(message.split(":")[1])
    assert "-5" in (tmp_path / "contest.yaml").read_text().splitlines()[line - 1]


def test_deadline_before_opening(tmp_path: Path, good: dict) -> None:
    good["editions"][1]["phases"][0]["opens_on"] = "2026-05-01"
    message = _error(tmp_path, good)
    assert "editions[1].phases[0]" in message and "before the opening date" in message


def test_phases_out_of_order(tmp_path: Path, good: dict) -> None:
    good["editions"][0]["phases"][1]["deadline"] = "2024-01-01"
    assert "ends before phase" in _error(tmp_path, good)


def test_duplicate_item_ids(tmp_path: Path, good: dict) -> None:
    good["items"].append(dict(good["items"][0]))
    assert "duplicate item ids: title" in _error(tmp_path, good)


def test_no_self_nomination_needs_a_nominator(tmp_path: Path, good: dict) -> None:
    good["self_nomination_allowed"] = False
    assert "must name its nominator" in _error(tmp_path, good)


def test_unknown_field_is_refused(tmp_path: Path, good: dict) -> None:
    good["items"][0]["word_limit"] = 30
    assert "items[0].word_limit" in _error(tmp_path, good)


def test_broken_yaml_gives_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nnames: {ru: a\n  en: b\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"broken.yaml:\d+: not valid YAML"):
        parse_definition(path, DEPARTMENTS)


def test_a_list_is_not_a_definition(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="must be a mapping"):
        parse_definition(path, DEPARTMENTS)


def test_unknown_contest_lists_known_ones() -> None:
    catalog = load_catalog(known_departments=DEPARTMENTS)
    with pytest.raises(CatalogError, match=r"unknown contest 'nope' \(known: ero-children"):
        catalog.get("nope")


def test_duplicate_contest_ids_across_files(tmp_path: Path, good: dict) -> None:
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(good), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(good), encoding="utf-8")
    with pytest.raises(CatalogError, match="also used by"):
        load_catalog(tmp_path, known_departments=DEPARTMENTS)
