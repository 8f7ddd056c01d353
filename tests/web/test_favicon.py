"""The favicon: an SVG served with its media type (app.py includes the router)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fastapi import FastAPI
from fastapi.testclient import TestClient

from contestflow.web.routes import favicon


def test_the_favicon_is_an_svg_with_its_media_type() -> None:
    app = FastAPI()
    app.include_router(favicon.router)
    with TestClient(app) as client:
        answer = client.get("/favicon.ico")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert "max-age" in answer.headers["cache-control"]
    root = ET.fromstring(answer.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 32 32"
