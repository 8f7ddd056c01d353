"""Exchange formats on one abstraction (after Translate Toolkit's ``storage.base``).

A :class:`TranslationStore` is a list of :class:`ExchangeUnit` (one source text and its target,
with what a reviewer needs: where the target came from, its match score, review state, QA flags,
comment) plus the language pair and a little metadata. Each format states its facts as class
attributes (``Name``, ``Extensions``, ``Kind``) and overrides only ``parse`` and
``serialize``. Texts are in display form: tags are ``{1}…{/1}`` and ``{2/}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from lxml import etree

from contestflow.translation.errors import FormatError
from contestflow.translation.inline import InlineCode

StoreKind = Literal["memory", "glossary", "review"]


@dataclass
class ExchangeUnit:
    id: str = ""
    source: str = ""
    target: str = ""
    note: str = ""
    origin: str = ""
    score: int | None = None
    state: str = ""
    flags: list[str] = field(default_factory=list)
    comment: str = ""
    codes: dict[int, InlineCode] = field(default_factory=dict)  # what each tag stands for


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

class TranslationStore:
    """Units in one language pair, read from or written to one file format."""

    Name: ClassVar[str] = "base"
    Extensions: ClassVar[tuple[str, ...]] = ()
    Kind: ClassVar[StoreKind] = "memory"

    def __init__(self, units: list[ExchangeUnit] | None = None, source_lang: str = "ru",
                 target_lang: str = "en", meta: dict[str, Any] | None = None) -> None:
        self.units = list(units or [])
        self.source_lang, self.target_lang = source_lang, target_lang
        self.meta = dict(meta or {})

    def __len__(self) -> int:
        return len(self.units)

    @classmethod
    def parse(cls, data: bytes, source_lang: str = "ru", target_lang: str = "en"
              ) -> TranslationStore:
        """Read a file of this format; raises FormatError with a one-line reason."""
        raise NotImplementedError

    def serialize(self) -> bytes:
        """The file's bytes."""
        raise NotImplementedError


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=True, remove_comments=True)


def parse_xml(data: bytes, what: str) -> etree._Element:
    """Parse exchange XML: a DOCTYPE is tolerated (TMX files carry one) but never loaded,
    and entity declarations are refused."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise FormatError(f"the {what} file is not well-formed XML: {error}") from None
    internal = root.getroottree().docinfo.internalDTD
    if internal is not None and any(True for _ in internal.iterentities()):
        raise FormatError(f"the {what} file declares XML entities, which are not accepted")
    return root


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def lang_matches(value: str | None, lang: str) -> bool:
    return bool(value) and value.lower().replace("_", "-").split("-")[0] == lang.lower()
