"""History import: the bundled history, and every kind of bad input the issue names."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from contestflow.catalog import catalog_for
from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, Department, Result
from contestflow.identity import history_file
from contestflow.results.history import import_history, import_history_file
from contestflow.results.summary import build_summary
from tests.results.helpers import csv_bytes, ledger_counts

GOOD = "2020,iac-city-media,2020,Hometown,,first-place,work 1"


def _import(data: bytes, **options: object):  # type: ignore[no-untyped-def]
    with session_scope() as session:
        return import_history(session, data, **options)  # type: ignore[arg-type]


def _count() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(Result)) or 0


def test_sample_history_imports_whole_and_only_once(database_url: str) -> None:
    with session_scope() as session:
        first = import_history_file(session, history_file())
    assert first.ok, [(r.line, r.messages) for r in first.refused]
    with history_file().open(encoding="utf-8") as handle:
        expected_rows = sum(1 for _ in csv.DictReader(handle))
    assert first.added == expected_rows == 35
    with session_scope() as session:
        second = import_history_file(session, history_file())
        events = session.scalar(select(func.count()).select_from(AuditEvent)
                                .where(AuditEvent.action == "results.imported"))
    assert second.ok and second.added == 0
    assert second.count("already") == expected_rows
    assert events == 1  # the second import changed nothing at all
    entries, _, per_year = ledger_counts()
    assert entries == 35
    assert per_year[None] == 4  # IAC diplomas "in 2013-2018" and the UN-Habitat Scroll
    assert per_year[2020] == 23


def test_history_rows_follow_the_source_text() -> None:
    with history_file().open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    drawings = [r for r in rows if r["contest"] == "ero-children-drawing"]
    assert len(drawings) == 19
    assert sum(r["outcome"] == "prize" for r in drawings) == 5
    media = [r for r in rows if r["contest"] == "iac-city-media"]
    hometown = [r["outcome"] for r in media if r["nomination"].startswith("Hometown")]
    assert sorted(hometown) == ["first-place", "first-place", "special-diploma",
                                "special-diploma"]
    rating = {r["year"]: r["outcome"] for r in rows if r["contest"] == "ero-uclg-rating"}
    assert rating == {"2015": "top-3", "2016": "first-place", "2018": "prize"}
    for row in rows:
        if not row["year"]:
            assert "not stated" in row["notes"]
        assert row["reference"].strip(), row  # every row says where it is stated


def test_history_rows_are_keyed_to_their_editions() -> None:
    with history_file().open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    media = [r for r in rows if r["contest"] == "iac-city-media"]
    # The VIII contest is the 2019 edition, although its results came in February 2020.
    assert media and {(r["year"], r["edition"]) for r in media} == {("2019", "2019")}
    first_rating = next(r for r in rows if r["contest"] == "ero-uclg-rating"
                        and r["edition"] == "2014-15")
    assert first_rating["nomination"] == "Medium cities"
    assert "kazpravda.kz" in first_rating["reference"]
    (culture,) = [r for r in rows if r["contest"] == "uclg-culture21"]
    assert (culture["year"], culture["edition"], culture["outcome"]) == (
        "2020", "2020", "result-not-known")
    assert "Cossack" in culture["nomination"]


def test_a_result_not_known_is_an_entry_but_not_in_the_success_rate(database_url: str) -> None:
    report = _import(csv_bytes(
        "2020,uclg-culture21,2020,Cossack culture,,result-not-known,sent,The city's account",
        "2024,uclg-culture21,2024,Parks,,winner,won,https://www.agenda21culture.net/",
        header="year,contest,edition,nomination,department,outcome,notes,reference\n"))
    assert report.ok and report.added == 2, [(r.line, r.messages) for r in report.refused]
    with session_scope() as session:
        summary = build_summary(session, lang="en")
    assert (summary.total.entries, summary.total.awarded, summary.total.decided) == (2, 1, 1)
    assert summary.total.success_rate == 1.0  # not 50 %: nobody knows the 2020 bid lost
    unknown = next(r for r in summary.rows if r.year == 2020)
    assert (unknown.outcome_name, unknown.awarded, unknown.reference) == (
        "Sent, result not known", False, "The city's account")


def test_an_outcome_not_known_cannot_be_awarded() -> None:
    from pydantic import ValidationError

    from schemas.contest import Outcome
    with pytest.raises(ValidationError, match="cannot count as awarded"):
        Outcome(id="x", names={"ru": "x", "en": "x"}, awarded=True, decided=False)


def test_the_rating_has_group_diplomas_and_an_absolute_winner(database_url: str) -> None:
    report = _import(csv_bytes(
        "2020,ero-uclg-rating,2019-20,Large cities,,Диплом в группе городов,,",
        "2020,ero-uclg-rating,2019-20,,,absolute-winner,,",
        header="year,contest,edition,nomination,department,outcome,notes,reference\n"))
    assert report.ok, [(r.line, r.messages) for r in report.refused]
    with session_scope() as session:
        outcomes = sorted(r.outcome for r in session.scalars(select(Result)))
    assert outcomes == ["absolute-winner", "group-diploma"]


BAD_ROWS = [
    ("2020,no-such-contest,2020,,,winner,", "unknown contest 'no-such-contest'"),
    ("2020,iac-city-medai,2020,,,first-place,", "did you mean 'iac-city-media'"),
    ("2099,iac-city-media,2099,,,first-place,", "year 2099 is in the future"),
    ("1899,iac-city-media,1899,,,first-place,", "year 1899 is impossible"),
    ("20x0,iac-city-media,,,,first-place,", "'20x0' is not a four-digit year"),
    (",iac-city-media,,,,first-place,", "the year is empty: say in notes why"),
    ("2020,iac-city-media,2020,,,gold-medal,", "outcome 'gold-medal' is not in iac-city-media"),
    ("2020,iac-city-media,2020,,,winner,", "its outcomes: first-place"),
    ("2020,iac-city-media,2020,,nowhere,first-place,", "unknown department 'nowhere'"),
    ("2020,iac-city-media,2020,first-place", "has 4 fields, the header has 7"),
    ("2020,,2020,,,first-place,", "the contest is empty"),
]


def test_each_bad_row_is_refused_with_its_reason_and_nothing_is_written(
    database_url: str,
) -> None:
    report = _import(csv_bytes(GOOD, *(row for row, _ in BAD_ROWS)))
    assert not report.ok and report.rows[0].status == "accepted"
    assert len(report.refused) == len(BAD_ROWS)
    for verdict, (row, message) in zip(report.rows[1:], BAD_ROWS, strict=True):
        assert verdict.status == "refused", row
        assert message in " ".join(verdict.messages), (row, verdict.messages)
    assert [v.line for v in report.rows] == list(range(2, len(BAD_ROWS) + 3))
    assert _count() == 0  # all or nothing


def test_a_row_with_several_problems_lists_them_all() -> None:
    [verdict] = _import(csv_bytes("2099,iac-city-media,2099,,nowhere,gold,")).rows
    assert len(verdict.messages) == 3


def test_duplicate_rows_are_refused_and_told_apart_by_notes() -> None:
    report = _import(csv_bytes(GOOD, GOOD, "2020,iac-city-media,2020,Hometown,,first-place,work 2"))
    assert [r.status for r in report.rows] == ["accepted", "refused", "accepted"]
    assert "duplicates line 2" in report.rows[1].messages[0]
    assert _count() == 0


def test_bom_semicolons_and_windows_1251_are_read(database_url: str) -> None:
    with session_scope() as session:
        first_place = catalog_for(session).get("iac-city-media").outcomes[0]
        press = session.get(Department, "press")
        assert press is not None
        press_name = press.name_ru
    header = "год;конкурс;выпуск;номинация;подразделение;результат;примечания\n"
    rows = (f"2020;iac-city-media;2020;Родной город – как национальный бренд;;"
            f"{first_place.names.ru};первая",
            f"2020;iac-city-media;2020;Финансовая грамотность;{press_name};{first_place.id};")
    report = _import(csv_bytes(*rows, header=header, encoding="cp1251"))
    assert report.ok, [r.messages for r in report.refused]
    assert "read as windows-1251" in report.notices
    assert "fields separated by semicolons" in report.notices
    with session_scope() as session:
        stored = sorted(session.execute(select(Result.nomination, Result.outcome,
                                               Result.department_id)))
    assert stored == [("Родной город – как национальный бренд", first_place.id, None),
                      ("Финансовая грамотность", first_place.id, "press")]
    bom = _import(b"\xef\xbb\xbf" + csv_bytes("2021,iac-city-media,2021,Hometown,,first-place,"))
    assert bom.ok and bom.encoding == "utf-8 with BOM"


def test_department_names_resolve_to_ids() -> None:
    report = _import(csv_bytes(
        "2020,iac-city-media,2020,A,International and Interregional Relations Department,"
        "first-place,"))
    assert report.ok
    with session_scope() as session:
        assert session.scalar(select(Result.department_id)) == "international"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04rest-of-a-workbook", "Excel workbook"),
        (b"year,contest,outcome\n2020,iac-city-media,first-place\n", "the header lacks edition"),
        (csv_bytes(), "a header but no rows"),
    ],
)
def test_unreadable_files_are_refused_whole(data: bytes, message: str) -> None:
    report = _import(data)
    assert not report.ok and message in (report.file_error or "")


def test_check_only_writes_nothing() -> None:
    report = _import(csv_bytes(GOOD), check_only=True)
    assert report.ok and not report.committed
    assert _count() == 0


def test_a_row_already_in_the_ledger_is_left_alone() -> None:
    assert _import(csv_bytes(GOOD)).added == 1
    report = _import(csv_bytes(GOOD, "2020,iac-city-media,2020,Hometown,,first-place,work 2"))
    assert [r.status for r in report.rows] == ["already", "accepted"]
    assert report.added == 1 and _count() == 2
