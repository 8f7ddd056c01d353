"""Uploading a file or a structured item's fields through the intake API, as a department's
browser would (used by the demo).

The file is streamed from disk by httpx, never read whole into memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

UPLOAD_TIMEOUT = httpx.Timeout(30.0, read=300.0, write=300.0)


class UploadFailed(RuntimeError):
    """The intake refused the file; ``status`` and the server's one-sentence ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


def upload_file(base_url: str, request_id: int, token: str, path: Path, *,
                filename: str | None = None, language: str = "en",
                client: httpx.Client | None = None) -> dict[str, Any]:
    """POST ``path`` to ``{base_url}/intake/{request_id}?token=...``.

    Returns ``{"material_id", "version", "sha256"}``; raises ``UploadFailed`` on a refusal.
    """
    url = f"{base_url.rstrip('/')}/intake/{request_id}"
    name = filename or Path(path).name
    headers = {"Accept": "application/json", "Accept-Language": language}
    with Path(path).open("rb") as handle:
        files = {"file": (name, handle, "application/octet-stream")}
        if client is not None:
            response = client.post(url, params={"token": token}, files=files, headers=headers,
                                   timeout=UPLOAD_TIMEOUT)
        else:
            with httpx.Client(timeout=UPLOAD_TIMEOUT) as own:
                response = own.post(url, params={"token": token}, files=files, headers=headers)
    return _answer(response)


def send_fields(base_url: str, request_id: int, token: str, values: dict[str, str], *,
                language: str = "en") -> dict[str, Any]:
    """POST a structured item's fields as JSON to ``{base_url}/intake/{request_id}/fields``."""
    url = f"{base_url.rstrip('/')}/intake/{request_id}/fields"
    headers = {"Accept": "application/json", "Accept-Language": language}
    with httpx.Client(timeout=UPLOAD_TIMEOUT) as client:
        return _answer(client.post(url, params={"token": token}, json=values, headers=headers))


def _answer(response: httpx.Response) -> dict[str, Any]:
    if response.status_code != 201:
        try:
            message = response.json().get("error", response.text)
        except ValueError:
            message = response.text
        raise UploadFailed(response.status_code, message)
    return response.json()
