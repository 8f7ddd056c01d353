"""Building the package: the files the organiser receives, and a manifest that explains them.

The package holds each item in the submission language (translated where needed); the
manifest records every file's sha256, where it came from, and what the checks found. Building
is deterministic, so running it twice gives the same package and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.assembly.checks import Finding, check_limit
from contestflow.db.models import Document, Submission
from contestflow.store import LocalFileStore
from contestflow.submission.materials import latest_material
from contestflow.submission.service import definition_of
from contestflow.submission.translating import pending_segments

ZIP_TIMESTAMP = (2000, 1, 1, 0, 0, 0)


@dataclass
class PackageResult:
    path: Path
    manifest_path: Path
    sha256: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "blocking"]


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"


def build_package(
    session: Session, store: LocalFileStore, submission: Submission, out_dir: Path
) -> PackageResult:
    """Assemble ``submission``'s package into ``out_dir`` and return what was found."""
    definition, edition = definition_of(session, submission)
    language = definition.submission_language
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
        targets = definition.target_languages(item)
        data, origin = store.open(material.sha256).read(), "original"
        if targets:
            document = session.scalars(
                select(Document).where(
                    Document.material_id == material.id, Document.target_lang == language
                )
            ).first()
            if document is None or document.output_sha256 is None:
                findings.append(Finding(item.id, "blocking", f"not yet translated into {language}"))
                continue
            data, origin = store.open(document.output_sha256).read(), "translated"
            pending = pending_segments(session, document.id)
            if pending:
                findings.append(
                    Finding(
                        item.id, "blocking", f"{pending} segment(s) still need a human translation"
                    )
                )
        name = (
            definition.package.file_name_pattern.format(
                contest=definition.id, edition=edition.key, item=item.id, language=language
            )
            + "."
            + _extension(material.filename)
        )
        if item.limit is not None:
            finding = check_limit(item.id, data, item.limit, language)
            if finding:
                findings.append(finding)
        entries.append((name, data))
        record["files"].append(
            {
                "name": name,
                "language": language if targets else item.source_language,
                "origin": origin,
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
            }
        )
    manifest = {
        "submission": submission.id,
        "contest": {"id": definition.id, "name": definition.names.en},
        "edition": edition.key,
        "nomination": submission.nomination,
        "deadline": edition.deadline.isoformat() if edition.deadline else None,
        "language": language,
        "delivery": definition.package.model_dump(mode="json"),
        "items": manifest_items,
        "findings": [f.__dict__ for f in findings],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    return _write(
        out_dir,
        f"{definition.id}-{edition.key}-submission-{submission.id}",
        entries,
        manifest_bytes,
        findings,
    )


def _write(
    out_dir: Path,
    stem: str,
    entries: list[tuple[str, bytes]],
    manifest: bytes,
    findings: list[Finding],
) -> PackageResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    path, manifest_path = out_dir / f"{stem}.zip", out_dir / f"{stem}.manifest.json"
    tmp = path.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*sorted(entries), ("manifest.json", manifest)]:
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIMESTAMP), data, zipfile.ZIP_DEFLATED)
    tmp.replace(path)
    manifest_path.write_bytes(manifest)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return PackageResult(path=path, manifest_path=manifest_path, sha256=digest, findings=findings)
