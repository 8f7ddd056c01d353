"""The schemas the exchange tests validate against are the publishers' own, as the packages
ship them, and a missing one is a failure under CI, a skip naming the package elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.translation import published_schemas
from tests.translation.published_schemas import Source, declarations_digest, schema_bytes

# What each file declares (comments, documentation and layout aside), compared on 2 December
# 2026 with other copies of the publishers' files:
# - xliff_core_2.0.xsd: OASIS's file as it was first copied into Symfony (17,144 bytes with
#   CRLF line ends, tabs in the header: the size OASIS's schema folder lists); Debian's copy
#   has LF line ends and spaces for those tabs, nothing else changed.
# - xml.xsd: the W3C's schema for the xml: namespace, the same as the copies xmlschema (PyPI)
#   and OmegaT ship; Symfony's copy differs only in the layout of its documentation.
# - tmx14.dtd: LISA OSCAR's TMX 1.4b DTD, the same declarations as GALA's current download
#   (which omits the revision history comment OmegaT's copy keeps).
# - the TBX-Basic RELAX NG schema, which no package ships: LTAC's last integrated one (22
#   February 2019, in the dialect's repository until February 2023), for a supplied copy.
PUBLISHED = {
    "xliff_core_2.0.xsd": (
        "cbb8031419f7e7017204b2f77e3d1879697e020cd50ef61cb0ee8afad3466867",
        [b"XLIFF Version 2.0", b"OASIS Standard", b"05 August 2014",
         b'targetNamespace="urn:oasis:names:tc:xliff:document:2.0"']),
    "xml.xsd": (
        "054ad8a7d2e6d32d51d4ef4cb0e1314b1d64abd23330a818a1353517c367e414",
        [b'targetNamespace="http://www.w3.org/XML/1998/namespace"']),
    "tmx14.dtd": (
        "11dd75d8609a57e2af9bb5614ee553ed443861d1d0f74b1e04ba43dfb2b85edc",
        [b"-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN",
         b'#FIXED "1.4"']),
    "TBXcoreStructV03_TBX-Basic_integrated.rng": (
        "aa62740b7e37772b03f382a390bf6ba8b2b9471a2cfaaef1aab8ee385f589cc1",
        [b'ns="urn:iso:std:iso:30042:ed-2"']),
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_the_schema_read_is_the_published_one(name: str) -> None:
    digest, marks = PUBLISHED[name]
    data = schema_bytes(name)
    assert all(mark in data for mark in marks), name
    assert declarations_digest(name) == digest


def test_the_digest_sees_a_changed_declaration(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # A copy whose layout changed keeps its digest; one whose content changed does not.
    published = schema_bytes("xliff_core_2.0.xsd")
    monkeypatch.setenv("CONTESTFLOW_SCHEMAS", str(tmp_path))
    (tmp_path / "xliff_core_2.0.xsd").write_bytes(published.replace(b"\n", b"\r\n  "))
    assert declarations_digest("xliff_core_2.0.xsd") == PUBLISHED["xliff_core_2.0.xsd"][0]
    (tmp_path / "xliff_core_2.0.xsd").write_bytes(
        published.replace(b'<xs:enumeration value="final"/>', b""))
    assert declarations_digest("xliff_core_2.0.xsd") != PUBLISHED["xliff_core_2.0.xsd"][0]


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty schema folder and a package whose file is not on this machine."""
    monkeypatch.setenv("CONTESTFLOW_SCHEMAS", str(tmp_path))
    monkeypatch.setitem(published_schemas.SOURCES, "tmx14.dtd",
                        Source("omegat", tmp_path / "absent" / "OmegaT.jar", "schemas/tmx14.dtd"))
    return tmp_path


def test_a_missing_packaged_schema_fails_under_ci(nowhere: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(published_schemas, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match=r"Debian's omegat.*\.ci/run installs it"):
        schema_bytes("tmx14.dtd")


def test_a_missing_packaged_schema_is_skipped_elsewhere_naming_the_package(
        nowhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(published_schemas, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match=r"apt-get install omegat"):
        schema_bytes("tmx14.dtd")


def test_the_tbx_schema_no_package_ships_is_skipped_even_under_ci(
        nowhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(published_schemas, "IN_CI", True)
    with pytest.raises(pytest.skip.Exception, match="no package on PyPI, npm or Debian"):
        schema_bytes("TBXcoreStructV03_TBX-Basic_integrated.rng")


def test_a_file_in_the_schema_folder_comes_before_the_package(nowhere: Path) -> None:
    (nowhere / "tmx14.dtd").write_bytes(b"<!ELEMENT tmx EMPTY>")
    assert schema_bytes("tmx14.dtd") == b"<!ELEMENT tmx EMPTY>"
