"""Building the package: what the organiser receives, and our own record of it.

The organiser's zip holds each item's file in the submission language (translated where
needed) and a ``manifest.json`` of those files only: name, size, sha256, language, contest,
edition. Where each file came from (department, material version, original name), what the
contest's rules found and the checklist stay in our record, beside it in the store and never
sent. Building is deterministic: the same materials give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from contestflow.assembly.checklist import checklist_markdown
from contestflow.assembly.context import PackageContext, PackedItem, gather
from contestflow.assembly.docxfacts import count, document_text, is_word_document
from contestflow.assembly.form import SectionContent, form_name, render_form, structured_values
from contestflow.assembly.nominator_letter import nominator_letter
from contestflow.assembly.pdf import pdf_pages, to_pdfs
from contestflow.assembly.rules import Finding, RuleResult, estimate_pages, run_rules
from contestflow.config import get_settings
from contestflow.db.models import Submission
from contestflow.files import write_atomically
from contestflow.identity import city, own_names
from contestflow.store import FileStore
from schemas.contest import ContestDefinition

ZIP_TIMESTAMP = (2000, 1, 1, 0, 0, 0)
MANIFEST = "manifest.json"


@dataclass
class PackageResult:
    name: str  # the stem of the exported copy: contest, edition, submission
    data: bytes  # the organiser's zip
    record: bytes  # our own record: sources, findings, checklist
    results: list[RuleResult] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.results for f in result.findings]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "blocking"]


def build_package(session: Session, store: FileStore, submission: Submission) -> PackageResult:
    """Assemble ``submission``'s package (in memory), hold it to the contest's rules, and
    return the zip with our record of it."""
    context = gather(session, store, submission, nominee_names())
    definition = context.definition
    files = sorted((p.name, p.data) for p in context.packed()
                   if p.data is not None and not _in_form(context, p))
    if definition.form is not None:
        files.insert(0, _form_file(context))  # the form first: the organiser reads it first
    if definition.package.max_pages is not None:
        context.pages = count_pages([d for name, d in files if name.endswith(".docx")])
    languages: dict[str, str] = {}
    letter = nominator_letter(context)  # for the nominating party, outside the page count
    if letter is not None:
        name, letter_data, languages[name] = letter
        files.append((name, letter_data))
    data = _zip(files, _organiser_manifest(context, files, languages))
    context.package_size = len(data)
    results = run_rules(context)
    record = _record(context, hashlib.sha256(data).hexdigest(), len(data), results)
    stem = package_stem_for(definition.id, context.edition.key, submission.id)
    return PackageResult(stem, data, record, results)


def _in_form(context: PackageContext, packed: PackedItem) -> bool:
    """An item that fills its section of the form travels inside it, not as a file: a text in
    Word, or a structured item. Anything else (a PDF, an item of several files) goes beside
    the form, and its section names the files."""
    item = packed.item
    return context.definition.in_form(item) and packed.data is not None and not (
        item.several_files) and (item.structured or is_word_document(packed.data, packed.name))


def _form_file(context: PackageContext) -> tuple[str, bytes]:
    definition, language = context.definition, context.language
    sections: dict[str, SectionContent] = {}
    beside: dict[str, list[str]] = {}
    for packed in context.items:
        if not definition.in_form(packed.item) or packed.data is None:
            continue
        if packed.item.structured:
            sections[packed.item.id] = SectionContent(values=structured_values(packed.data))
        elif _in_form(context, packed):
            sections[packed.item.id] = SectionContent(docx=packed.data)
        else:
            beside.setdefault(packed.item.id, []).append(packed.name)
    for item_id, names in beside.items():
        sections[item_id] = SectionContent(attached="; ".join(names))
    letterhead = city().letterhead
    government = letterhead.administration_ru if language == "ru" else (
        letterhead.administration_en)
    data = render_form(definition, edition=context.edition.key, nomination=context.nomination,
                       government=government, language=language, sections=sections)
    return form_name(definition, context.edition.key, language), data


def nominee_names() -> frozenset[str]:
    """What the city, its administration and its departments are called."""
    return own_names()


def count_pages(documents: list[bytes]) -> tuple[int, bool] | None:
    """Pages of the package's Word files: exact through LibreOffice, else an estimate."""
    if not documents:
        return None
    pdfs = to_pdfs({f"{index}.docx": data for index, data in enumerate(documents)})
    if len(pdfs) == len(documents):
        return sum(pdf_pages(pdf) for pdf in pdfs.values()), True
    words = sum(count(document_text(d, "x.docx") or "", "words") for d in documents)
    return estimate_pages(words), False


def _organiser_manifest(context: PackageContext, files: list[tuple[str, bytes]],
                        languages: dict[str, str]) -> bytes:
    languages = {**languages, **{p.name: p.language for p in context.packed()}}
    languages[form_name(context.definition, context.edition.key, context.language)] = (
        context.language)
    manifest = {
        "contest": context.definition.names.en,
        "edition": context.edition.key,
        "files": [{"name": name, "size": len(data),
                   "sha256": hashlib.sha256(data).hexdigest(), "language": languages[name]}
                  for name, data in files],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")


def _record(context: PackageContext, sha256: str, size: int,
            results: list[RuleResult]) -> bytes:
    definition = context.definition
    record = {
        "submission": context.submission_id,
        "contest": {"id": definition.id, "name": definition.names.en},
        "edition": context.edition.key,
        "nomination": context.nomination,
        "deadline": context.edition.deadline.isoformat(),
        "language": definition.submission_language,
        "delivery": definition.package.model_dump(mode="json"),
        "package": {"sha256": sha256, "size": size},
        "items": [_item_record(p) for p in context.items],
        "findings": [f.as_dict() for result in results for f in result.findings],
        "checklist": [result.as_dict() for result in results],
    }
    return json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")


def _item_record(packed: PackedItem) -> dict:
    record: dict = {"item": packed.item.id, "title": packed.item.title.en,
                    "title_ru": packed.item.title.ru, "department": packed.department_id,
                    "required": packed.item.required, "request": packed.request_id,
                    "number": packed.number, "files": []}
    if packed.material is not None:
        m = packed.material
        record["material"] = {"id": m.id, "version": m.version, "sha256": m.sha256,
                              "filename": m.filename}
    if packed.data is not None:
        record["files"].append({"name": packed.name, "language": packed.language,
                                "origin": packed.origin, "size": len(packed.data),
                                "sha256": hashlib.sha256(packed.data).hexdigest()})
    return record


def package_stem(definition: ContestDefinition, edition_key: str, submission_id: int) -> str:
    return package_stem_for(definition.id, edition_key, submission_id)


def package_stem_for(contest_id: str, edition_key: str, submission_id: int) -> str:
    """The name of a package's exported copy: what people see in the submission's folder."""
    return f"{contest_id}-{edition_key}-submission-{submission_id}"


def changed_items(before: dict, after: dict) -> list[str]:
    """Items with a file added, removed or changed between two records of a package."""
    def files(record: dict) -> dict[tuple[str, int], tuple]:
        return {(item["item"], item.get("number", 1)): (
                    item.get("material", {}).get("id"), tuple(f["sha256"] for f in item["files"]))
                for item in record["items"]}

    old, new = files(before), files(after)
    changed = {key[0] for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    return sorted(changed)


def read_record(record: bytes) -> dict:
    return json.loads(record)


def organiser_files(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The organiser's manifest (as packed) and every other file of the zip, in its order."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        manifest = archive.read(MANIFEST)
        files = [(name, archive.read(name)) for name in archive.namelist() if name != MANIFEST]
    return manifest, files


def _zip(entries: list[tuple[str, bytes]], manifest: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*entries, (MANIFEST, manifest)]:
            info = zipfile.ZipInfo(name, ZIP_TIMESTAMP)
            info.external_attr = 0o644 << 16  # readable once unpacked, like any saved file
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def export_package(out_dir: Path, result: PackageResult) -> Path:
    """Copies for people in the submission's folder: the zip, its manifest, our record, the
    checklist in Russian, and a PDF of each Word file when LibreOffice is installed.

    Only copies: approval and sending read the package and the record from the store.
    """
    manifest, files = organiser_files(result.data)
    write_atomically(out_dir / f"{result.name}.manifest.json", manifest)
    export_record(out_dir, result.name, result.record)
    if get_settings().pdf_copies:
        documents = {name: data for name, data in files if name.endswith(".docx")}
        for name, pdf in to_pdfs(documents).items():
            write_atomically(out_dir / "pdf" / f"{name[:-5]}.pdf", pdf)
    return write_atomically(out_dir / f"{result.name}.zip", result.data)


def export_record(out_dir: Path, stem: str, record: bytes) -> None:
    """Our record and its checklist in Russian, beside the package's copy."""
    write_atomically(out_dir / f"{stem}.record.json", record)
    write_atomically(out_dir / f"{stem}.checklist.md",
                     checklist_markdown(read_record(record)).encode("utf-8"))
