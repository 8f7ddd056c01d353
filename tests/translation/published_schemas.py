"""The exchange formats' published schemas, read from the packages that ship them.

Other parties' files are not committed here, so the schemas come from Debian packages
(`.ci/run` installs them):

- the OASIS XLIFF 2.0 core schema (OASIS Standard, 5 August 2014) and the W3C ``xml.xsd`` it
  imports: ``php-symfony-translation`` (Symfony's XLIFF loader validates with them);
- the TMX 1.4b DTD (LISA OSCAR): ``omegat``, inside its jar.

No package on PyPI, npm or Debian ships the TBX-Basic v3 RELAX NG schema: that one is read
only from a folder. A folder named by ``CONTESTFLOW_SCHEMAS`` (by default
``tests/fixtures/schemas/``, whose README says where each file is published) is looked in
before the packages. A schema that a package ships and this machine lacks fails the test
under CI and skips it elsewhere, naming the package to install.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
from lxml import etree

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
IN_CI = os.environ.get("CI", "").lower() == "true"
_SYMFONY_SCHEMAS = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")
_XS = "{http://www.w3.org/2001/XMLSchema}"


@dataclass(frozen=True)
class Source:
    """Where a published schema is once its package is installed (``path`` is the file, or the
    jar holding it as ``member``); ``package`` is None when no package ships it."""

    package: str | None
    path: Path | None = None
    member: str | None = None


SOURCES = {
    "xliff_core_2.0.xsd": Source("php-symfony-translation",
                                 _SYMFONY_SCHEMAS / "xliff-core-2.0.xsd"),
    "xml.xsd": Source("php-symfony-translation", _SYMFONY_SCHEMAS / "xml.xsd"),
    "tmx14.dtd": Source("omegat", Path("/usr/share/omegat/OmegaT.jar"), "schemas/tmx14.dtd"),
    "TBXcoreStructV03_TBX-Basic_integrated.rng": Source(None),
}


def schema_dir() -> Path:
    return Path(os.environ.get("CONTESTFLOW_SCHEMAS") or DEFAULT_DIR)


def _missing(name: str, source: Source) -> NoReturn:
    if source.package is None:
        pytest.skip(f"{name}: no package on PyPI, npm or Debian ships it; put it in "
                    f"{schema_dir()} (see tests/fixtures/schemas/README.md)")
    message = (f"{name} comes from Debian's {source.package}, which is not installed here "
               f"(apt-get install {source.package})")
    if IN_CI:
        pytest.fail(f"{message}; .ci/run installs it")
    pytest.skip(message)


def schema_bytes(name: str) -> bytes:
    """The published schema ``name``: from the schema folder, else from its package."""
    local = schema_dir() / name
    if local.is_file():
        return local.read_bytes()
    source = SOURCES[name]
    if source.path is None or not source.path.is_file():
        _missing(name, source)
    if source.member is None:
        return source.path.read_bytes()
    with zipfile.ZipFile(source.path) as jar:
        return jar.read(source.member)


def declarations_digest(name: str) -> str:
    """A digest of what the schema declares, without its comments, documentation and layout:
    the same for the publisher's file and a copy whose line ends or indentation changed."""
    data = schema_bytes(name)
    if name.endswith(".dtd"):
        text = re.sub(rb"<!--.*?-->", b"", data, flags=re.DOTALL)
        return hashlib.sha256(b" ".join(text.split())).hexdigest()
    parser = etree.XMLParser(remove_comments=True, remove_blank_text=True, no_network=True)
    root = etree.fromstring(data, parser)
    for note in list(root.iter(f"{_XS}annotation")):
        note.getparent().remove(note)
    return hashlib.sha256(etree.tostring(root, method="c14n")).hexdigest()


class _OfflineResolver(etree.Resolver):
    """Answers the XLIFF schema's import of the xml: namespace with the packaged xml.xsd
    (OASIS points it at a copy beside the schema, others at the W3C's address)."""

    def resolve(self, url, public_id, context):  # type: ignore[no-untyped-def]
        if url.endswith("/xml.xsd") or url == "xml.xsd":
            return self.resolve_string(schema_bytes("xml.xsd"), context)
        return None


def xml_schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_OfflineResolver())
    return etree.XMLSchema(etree.fromstring(schema_bytes(name), parser))


def dtd(name: str) -> etree.DTD:
    return etree.DTD(io.BytesIO(schema_bytes(name)))


def relax_ng(name: str) -> etree.RelaxNG:
    parser = etree.XMLParser(no_network=True)
    return etree.RelaxNG(etree.fromstring(schema_bytes(name), parser))
