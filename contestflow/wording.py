"""Quantities in the users' words, shared by pages and letters (Russian by default)."""

from __future__ import annotations


def human_size(size: int, language: str) -> str:
    """``1,5 МБ`` in Russian (decimal comma), ``1.5 MB`` in English."""
    units = ("Б", "КБ", "МБ", "ГБ") if language != "en" else ("B", "KB", "MB", "GB")
    value = float(size)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            text = f"{value:.0f}" if unit == units[0] else f"{value:.1f}"
            return f"{text.replace('.', ',') if language != 'en' else text} {unit}"
        value /= 1024
    return str(size)
