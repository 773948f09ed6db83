"""File facts: what a reader should know before downloading a report, measured from the file.

This module imports no Sphinx. :func:`inspect` reads a file's format from its
content, its size and, for a PDF, its page count and the size of its first page.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .catalogue import PDF_MAGIC
from .problems import Subtype

FORMATS = {"PDF": "Portable Document Format"}


@dataclass(frozen=True)
class FileFacts:
    """Measured facts of one report file."""

    format: str
    """Abbreviation, e.g. ``PDF``."""
    bytes: int
    pages: int | None = None
    page_size: tuple[float, float] | None = None
    """Width and height of the first page, in PostScript points."""

    @property
    def format_name(self) -> str:
        return FORMATS.get(self.format, self.format)

    @property
    def size(self) -> str:
        """The size for people: ``"840 bytes"``, ``"5.6 KB"``, ``"1.2 MB"``."""
        return human_size(self.bytes)

    def describe(self) -> str:
        """``"PDF, 1.2 MB, 24 pages"``."""
        parts = [self.format, self.size]
        if self.pages is not None:
            parts.append(f"{self.pages} page{'s' if self.pages != 1 else ''}")
        return ", ".join(parts)


def human_size(count: int) -> str:
    """Sizes in the units of GOV.UK attachments (1 KB = 1024 bytes), one decimal below 10."""
    if count < 1024:
        return f"{count} byte{'s' if count != 1 else ''}"
    value = float(count)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    return f"{value:.1f} {unit}" if value < 10 else f"{round(value)} {unit}"


@dataclass(frozen=True)
class Unreadable:
    """Why the facts of a file could not be read (the parts that could are kept)."""

    subtype: Subtype
    reason: str
    facts: FileFacts | None = None


def inspect(path: str | os.PathLike[str]) -> FileFacts | Unreadable:
    """Measure a report file; never raises for a bad or unreadable file."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        return Unreadable(Subtype.MISSING_FILE, f"cannot be read: {error.strerror}")
    if PDF_MAGIC not in head:
        return Unreadable(Subtype.NOT_PDF, "is not a PDF")
    partial = FileFacts("PDF", size)
    # pypdf logs recoverable oddities of real-world PDFs; they are not the editor's business
    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.ERROR + 1
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            return Unreadable(Subtype.BAD_PDF, "is encrypted (password-protected)", partial)
        pages = len(reader.pages)
        if pages == 0:
            return Unreadable(Subtype.BAD_PDF, "has no pages", partial)
        box = reader.pages[0].mediabox
        rotated = (reader.pages[0].get("/Rotate", 0) or 0) % 180 == 90
        width, height = float(box.width), float(box.height)
        if rotated:
            width, height = height, width
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, OSError, RecursionError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return Unreadable(Subtype.BAD_PDF, f"cannot be read as a PDF ({reason})", partial)
    finally:
        quiet.level = level
    return FileFacts("PDF", size, pages, (round(width, 2), round(height, 2)))
