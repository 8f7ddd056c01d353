"""Building the package: the files the organiser receives, and a manifest that explains them.

The package holds each item in the submission language (translated where needed); the
manifest records every file's sha256, where it came from, and what the checks found. Building
is deterministic, so running it twice gives the same bytes and changes nothing. The package
lives in the content-addressed store under its sha256 (the database keeps only that); a copy
for people is exported to the submission's folder under a name derived from the submission.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from contestflow.assembly.checks import Finding, check_limit
from contestflow.catalog import definition_of
from contestflow.db.models import Material, MaterialRequest, Submission
from contestflow.files import write_atomically
from contestflow.materials import latest_material
from contestflow.states import RequestState
from contestflow.store import FileStore
from contestflow.translation.state import (
    FAILED,
    document_for,
    is_word_file,
    pending_segments,
    translation_targets,
)
from schemas.contest import ContestDefinition, ContestItem

ZIP_TIMESTAMP = (2000, 1, 1, 0, 0, 0)


@dataclass
class PackageResult:
    name: str  # the stem of the exported copy: contest, edition, submission
    data: bytes
    manifest: bytes
    findings: list[Finding] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "blocking"]


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"


@dataclass
class ItemFile:
    """What goes into the package for one item, or why nothing can yet."""

    data: bytes | None
    origin: str
    language: str
    findings: list[Finding] = field(default_factory=list)


def _request_finding(item: ContestItem, request: MaterialRequest) -> Finding | None:
    if request.state == RequestState.REOPENED:
        return Finding(
            item.id,
            "blocking",
            f"re-opened, waiting for a new version: {request.comment or 'see the request'}",
        )
    return None


def item_file(
    session: Session,
    store: FileStore,
    definition: ContestDefinition,
    item: ContestItem,
    material: Material,
) -> ItemFile:
    """The file for ``item`` in the submission language: the original, or its translation."""
    language = definition.submission_language
    if not translation_targets(definition, item, material):
        return ItemFile(store.read_bytes(material.sha256), "original", material.language)
    if not is_word_file(material):
        return ItemFile(
            None,
            "",
            language,
            [
                Finding(
                    item.id,
                    "blocking",
                    f"{material.filename} is not a Word file and cannot be "
                    f"translated: send it as .docx, or add the {language.upper()} version",
                )
            ],
        )
    document = document_for(session, material.id, language)
    if document is not None and document.state == FAILED:
        reason = document.stats.get("error", "the file could not be read")
        return ItemFile(None, "", language, [Finding(item.id, "blocking", reason)])
    if document is None or document.output_sha256 is None:
        return ItemFile(
            None,
            "",
            language,
            [Finding(item.id, "blocking", f"not yet translated into {language}")],
        )
    result = ItemFile(store.read_bytes(document.output_sha256), "translated", language)
    pending = pending_segments(session, document.id)
    if pending:
        result.findings.append(
            Finding(item.id, "blocking", f"{pending} segment(s) still need a human translation")
        )
    return result


def build_package(session: Session, store: FileStore, submission: Submission) -> PackageResult:
    """Assemble ``submission``'s package (in memory) and return it with what was found."""
    definition, edition = definition_of(session, submission)
    entries: list[tuple[str, bytes]] = []
    manifest_items: list[dict] = []
    findings: list[Finding] = []
    for request in submission.requests:
        item = definition.item(request.item_id)
        material = latest_material(request)
        record: dict = {
            "item": item.id,
            "title": item.title.en,
            "department": request.department_id,
            "required": item.required,
            "files": [],
        }
        manifest_items.append(record)
        if (finding := _request_finding(item, request)) is not None:
            findings.append(finding)
        if material is None:
            if item.required:
                findings.append(Finding(item.id, "blocking", "required material is missing"))
            continue
        record["material"] = {
            "id": material.id,
            "version": material.version,
            "sha256": material.sha256,
            "filename": material.filename,
        }
        file = item_file(session, store, definition, item, material)
        findings.extend(file.findings)
        if file.data is None:
            continue
        name = (
            definition.package.file_name_pattern.format(
                contest=definition.id, edition=edition.key, item=item.id, language=file.language
            )
            + "."
            + _extension(material.filename)
        )
        if item.limit is not None and (
            finding := check_limit(item.id, file.data, item.limit, file.language)
        ):
            findings.append(finding)
        entries.append((name, file.data))
        record["files"].append(
            {
                "name": name,
                "language": file.language,
                "origin": file.origin,
                "sha256": hashlib.sha256(file.data).hexdigest(),
                "size": len(file.data),
            }
        )
    manifest = {
        "submission": submission.id,
        "contest": {"id": definition.id, "name": definition.names.en},
        "edition": edition.key,
        "nomination": submission.nomination,
        "deadline": edition.deadline.isoformat() if edition.deadline else None,
        "language": definition.submission_language,
        "delivery": definition.package.model_dump(mode="json"),
        "items": manifest_items,
        "findings": [f.__dict__ for f in findings],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    return _zip(package_stem(definition, edition.key, submission.id), entries, manifest_bytes,
                findings)


def package_stem(definition: ContestDefinition, edition_key: str, submission_id: int) -> str:
    return package_stem_for(definition.id, edition_key, submission_id)


def package_stem_for(contest_id: str, edition_key: str, submission_id: int) -> str:
    """The name of a package's exported copy: what people see in the submission's folder."""
    return f"{contest_id}-{edition_key}-submission-{submission_id}"


def stale_items(
    session: Session, store: FileStore, submission: Submission, manifest: dict
) -> list[str]:
    """Items whose file would differ if the package were built now (a new version arrived,
    or a translation was corrected after assembly)."""
    definition, _ = definition_of(session, submission)
    packed = {record["item"]: record for record in manifest["items"]}
    stale = []
    for request in submission.requests:
        material = latest_material(request)
        record = packed.get(request.item_id, {})
        if material is None:
            continue
        if record.get("material", {}).get("id") != material.id:
            stale.append(request.item_id)
            continue
        file = item_file(session, store, definition, definition.item(request.item_id), material)
        digest = hashlib.sha256(file.data).hexdigest() if file.data is not None else None
        if digest != next((f["sha256"] for f in record.get("files", [])), None):
            stale.append(request.item_id)
    return stale


def read_manifest(package: bytes) -> dict:
    """The manifest inside a package: written in the same zip as its files."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return json.loads(archive.read("manifest.json"))


def _zip(
    stem: str, entries: list[tuple[str, bytes]], manifest: bytes, findings: list[Finding]
) -> PackageResult:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*sorted(entries), ("manifest.json", manifest)]:
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIMESTAMP), data, zipfile.ZIP_DEFLATED)
    return PackageResult(name=stem, data=buffer.getvalue(), manifest=manifest, findings=findings)


def export_package(out_dir: Path, stem: str, package: bytes) -> Path:
    """A copy of a package for people, with its manifest beside it; returns the zip's path.

    Only a copy: approval and sending read the package from the store by its sha256.
    """
    write_atomically(out_dir / f"{stem}.manifest.json",
                     zipfile.ZipFile(io.BytesIO(package)).read("manifest.json"))
    return write_atomically(out_dir / f"{stem}.zip", package)
