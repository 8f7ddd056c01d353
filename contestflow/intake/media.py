"""Checks for PDF, images and audio/video: is the file whole, and is it within limits?

Each check reads the file as a stream or by seeking; none loads a large file into memory.
"""

from __future__ import annotations

import os
import struct
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from contestflow.intake.errors import UploadRefused

MAX_PIXELS = 50_000_000  # a 50-megapixel photo is larger than any camera a department owns
MAX_SIDE = 30_000
PDF_TAIL = 4096
MP4_CONTAINER_BOXES = 10_000


def inspect_pdf(path: Path) -> None:
    """A PDF ends with ``%%EOF``; a truncated download does not."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - PDF_TAIL))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise UploadRefused("damaged")


def inspect_image(path: Path, image_format: str) -> tuple[int, int]:
    """Width and height of a whole JPEG or PNG within the pixel limits.

    The size comes from the header (Pillow opens lazily), so a decompression bomb is refused
    before any pixel is decoded; then the image is decoded (a JPEG at 1/8 scale, which still
    reads every byte) so that a truncated or corrupt file is refused too.
    """
    pillow_format = {"jpeg": "JPEG", "png": "PNG"}[image_format]
    try:
        with warnings.catch_warnings():
            # Our own limit is lower than Pillow's warning threshold; its hard limit still holds.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=[pillow_format]) as image:
                width, height = image.size
                _check_pixels(width, height)
                if pillow_format == "PNG":
                    image.verify()  # every chunk's CRC, up to IEND
                else:
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    image.load()
    except UploadRefused:
        raise
    except Image.DecompressionBombError as error:
        raise UploadRefused("image_huge", max_mp=MAX_PIXELS // 1_000_000) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error,
            EOFError) as error:
        raise UploadRefused("damaged") from error
    return width, height


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise UploadRefused("image_too_big", width=width, height=height,
                            max_mp=MAX_PIXELS // 1_000_000)
    if width < 1 or height < 1:
        raise UploadRefused("damaged")


def inspect_mp4(path: Path) -> None:
    """An MP4 is a sequence of boxes that must add up to the file exactly and include ``moov``.

    Only box headers are read (by seeking), so a 500 MB video costs a few reads.
    """
    size = path.stat().st_size
    seen: set[bytes] = set()
    position = 0
    with path.open("rb") as handle:
        for _ in range(MP4_CONTAINER_BOXES):
            if position == size:
                break
            header = handle.read(8)
            if len(header) < 8:
                raise UploadRefused("damaged")
            box_size, box_type = struct.unpack(">I4s", header)
            if box_size == 1:
                extended = handle.read(8)
                if len(extended) < 8:
                    raise UploadRefused("damaged")
                box_size = struct.unpack(">Q", extended)[0]
            elif box_size == 0:
                box_size = size - position  # "to the end of the file"
            if box_size < 8 or position + box_size > size:
                raise UploadRefused("damaged")
            seen.add(box_type)
            position += box_size
            handle.seek(position, os.SEEK_SET)
        else:
            raise UploadRefused("damaged")
    if b"ftyp" not in seen or b"moov" not in seen:
        raise UploadRefused("damaged")


def inspect_mp3(path: Path) -> None:
    """An MP3 starts with an ID3 tag or a frame header; after the tag a frame must follow."""
    with path.open("rb") as handle:
        head = handle.read(10)
        if head.startswith(b"ID3"):
            if len(head) < 10:
                raise UploadRefused("damaged")
            # The tag size is a "syncsafe" integer: 7 bits per byte.
            tag_size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
            handle.seek(10 + tag_size + (10 if head[5] & 0x10 else 0))
            head = handle.read(2)
    if len(head) < 2 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        raise UploadRefused("damaged")
