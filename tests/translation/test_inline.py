"""Inline tags: the two spellings, structure checks and the safe repair."""

from __future__ import annotations

from contestflow.translation.inline import (
    Tag,
    order_changed,
    parse_display,
    parse_wire,
    renumber,
    repair,
    structure_problems,
    to_display,
    to_wire,
)

KINDS = {1: "pair", 2: "ph", 3: "pair"}


def test_display_and_wire_round_trip() -> None:
    display = "Город {1}Ставрополь{/1}{2/} и {3}край{/3}."
    tokens = parse_display(display)
    assert to_display(tokens) == display
    assert to_wire(tokens) == "Город <1>Ставрополь</1><2/> и <3>край</3>."
    assert parse_wire(to_wire(tokens)) == tokens


def test_wire_parse_tolerates_spaces_mt_adds() -> None:
    assert parse_wire("a < 1 >b</ 1> <2 />") == ["a ", Tag("open", 1), "b", Tag("close", 1),
                                                  " ", Tag("ph", 2)]


def test_structure_problems_count_nesting_and_unknown() -> None:
    assert structure_problems(parse_display("{1}a{/1}{2/}{3}b{/3}"), KINDS) == []
    assert "marker 2 appears 0 times" in structure_problems(
        parse_display("{1}a{/1}{3}b{/3}"), KINDS)
    assert any("out of order" in p for p in structure_problems(
        parse_display("{1}a{3}b{/1}{/3}{2/}"), KINDS))
    assert "unknown marker 9" in structure_problems(
        parse_display("{1}a{/1}{2/}{3}b{/3}{9/}"), KINDS)
    assert "marker 2 appears 2 times" in structure_problems(
        parse_display("{1}a{/1}{2/}{2/}{3}b{/3}"), KINDS)


def test_order_change_is_detected_but_not_an_error() -> None:
    source = parse_display("{1}a{/1} {3}b{/3}{2/}")
    target = parse_display("{3}b{/3} {1}a{/1}{2/}")
    assert order_changed(source, target)
    assert structure_problems(target, KINDS) == []


def test_repair_keeps_sound_tags_and_puts_back_the_rest() -> None:
    broken = parse_display("{1}a{3}b{/1} c{/3} {2/}{2/} {7/}")
    fixed = repair(broken, KINDS)
    assert structure_problems(fixed, KINDS) == []
    assert "".join(t for t in fixed if isinstance(t, str)).count("a") == 1


def test_repair_restores_field_order() -> None:
    kinds = {1: "ph", 2: "ph"}
    fixed = repair(parse_display("x {2/} y {1/}"), kinds, order_sensitive={1, 2})
    assert [t for t in fixed if isinstance(t, Tag)] == [Tag("ph", 1), Tag("ph", 2)]


def test_renumber_by_first_appearance() -> None:
    tokens, mapping = renumber([Tag("open", 7), "a", Tag("close", 7), Tag("ph", 4)])
    assert to_display(tokens) == "{1}a{/1}{2/}"
    assert mapping == {1: 7, 2: 4}
