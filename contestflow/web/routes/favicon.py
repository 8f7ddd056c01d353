"""The site's icon, where browsers ask for it without being told (``/favicon.ico``).

The icon is an SVG (``static/favicon.svg``, also served as ``/static/favicon.svg`` for a
``<link rel="icon" type="image/svg+xml">``); browsers read the media type, not the name.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import FileResponse

from contestflow.web.deps import STATIC_DIR

router = APIRouter(tags=["static"])
FAVICON = STATIC_DIR / "favicon.svg"
SVG = "image/svg+xml"


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    """The icon, cached for a day: it changes with a release, if ever."""
    return FileResponse(FAVICON, media_type=SVG, headers={"Cache-Control": "public, max-age=86400"})
