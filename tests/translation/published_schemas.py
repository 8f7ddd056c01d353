"""The exchange formats' published schemas, when this machine has them.

The OASIS XLIFF 2.0 core schema, the TMX 1.4b DTD and the TBX schemas are not in the
repository: they come from their publishers' sites, which tests cannot reach, and no package
we install ships them. Put them in ``tests/fixtures/schemas/`` (its README lists them) or in
the folder ``CONTESTFLOW_SCHEMAS`` names, with their licences, and the schema tests run;
without them those tests are skipped and say which file is missing. See the README ("Files
other people's programs read").
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
XML_NAMESPACE_XSD = "http://www.w3.org/2001/xml.xsd"
# The two attributes of the xml: namespace the XLIFF schema uses, as the XML Recommendation
# defines them (the W3C's own xml.xsd says the same at more length).
_XML_ATTRIBUTES = b"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang" type="xs:string"/>
  <xs:attribute name="space">
    <xs:simpleType>
      <xs:restriction base="xs:NCName">
        <xs:enumeration value="default"/>
        <xs:enumeration value="preserve"/>
      </xs:restriction>
    </xs:simpleType>
  </xs:attribute>
</xs:schema>
"""


def schema_dir() -> Path:
    return Path(os.environ.get("CONTESTFLOW_SCHEMAS") or DEFAULT_DIR)


def schema_file(name: str) -> Path:
    """The schema file ``name``, or a skip naming where it was looked for."""
    path = schema_dir() / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {schema_dir()} (see tests/translation/published_schemas.py)")
    return path


class _OfflineResolver(etree.Resolver):
    """Answers the schema's import of the xml: namespace without the network."""

    def resolve(self, url, public_id, context):  # type: ignore[no-untyped-def]
        if url == XML_NAMESPACE_XSD or url.endswith("/xml.xsd"):
            local = schema_dir() / "xml.xsd"
            data = local.read_bytes() if local.is_file() else _XML_ATTRIBUTES
            return self.resolve_string(data, context)
        return None


def xml_schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_OfflineResolver())
    return etree.XMLSchema(etree.parse(str(schema_file(name)), parser))


def dtd(name: str) -> etree.DTD:
    return etree.DTD(str(schema_file(name)))
