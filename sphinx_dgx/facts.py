"""File facts: what a reader should know before downloading a report, measured from the file.

This module imports no Sphinx. :func:`inspect` reads a file's format from its
content, its size and, for a PDF, its page count and the size of its first page;
:func:`render_cover` draws the first page as a small PNG. :class:`FactsCache`
keeps both between builds, keyed by the file's content. :func:`image_cover` measures
a report's own cover image.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .problems import Subtype

FORMATS = {"PDF": "Portable Document Format"}
PDF_MAGIC = b"%PDF-"
"""What a PDF holds near its start (within its first 1024 bytes): the one test of being a PDF."""
COVER_NAME = re.compile(r"[0-9a-f]{32}\.png")
"""Covers drawn from a PDF are named by the file's content; Sphinx publishes them under that name."""
COVER_WIDTH = 240
"""Width of a cover thumbnail in pixels; pages show it at half that, sharp on high-density screens."""


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
    """What follows ``report 'x': file 'files/x.pdf'`` in the warning: ``is not a PDF``."""
    facts: FileFacts | None = None

    @property
    def publishable(self) -> bool:
        """Whether the file is still offered for download: a damaged or locked PDF is, other files not.

        A reader may have the password, or a viewer that copes; a file that is gone or is not a
        PDF is neither published nor linked.
        """
        return self.subtype is Subtype.BAD_PDF


def cannot_read(error: OSError) -> Unreadable:
    """Why a file that could not be opened has no facts."""
    return Unreadable(Subtype.MISSING_FILE, f"cannot be read: {error.strerror or error}")


def inspect(path: str | os.PathLike[str]) -> FileFacts | Unreadable:
    """Measure a report file; never raises for a bad or unreadable file."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        return cannot_read(error)
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


@dataclass(frozen=True)
class Cover:
    """A cover image: its path and its size in pixels."""

    path: str
    width: int
    height: int

    @property
    def name(self) -> str:
        """The name it is published under: drawn covers are named by content already."""
        base = os.path.basename(self.path)
        if COVER_NAME.fullmatch(base):
            return base
        with open(self.path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        return digest[:32] + os.path.splitext(base)[1].lower()


def image_cover(path: str | os.PathLike[str]) -> Cover | None:
    """A cover image named in the catalogue, with its size (None when it cannot be opened as an image)."""
    try:
        with Image.open(path) as image:
            width, height = image.size
    except (OSError, Image.DecompressionBombError):  # UnidentifiedImageError is an OSError
        return None
    return Cover(os.fspath(path), width, height)


def render_cover(
    pdf: str | os.PathLike[str], target: str | os.PathLike[str], width: int = COVER_WIDTH
) -> Cover:
    """Draw the first page of *pdf* as a PNG *width* pixels wide (any page size, slides included)."""
    document = pdfium.PdfDocument(os.fspath(pdf))
    try:
        page = document[0]
        page_width, _ = page.get_size()
        image = page.render(scale=width / page_width).to_pil()
        if image.width != width:  # pdfium rounds the scaled size up
            image = image.resize((width, round(image.height * width / image.width)))
        page.close()
    finally:
        document.close()
    image.save(target, format="PNG", optimize=True)
    return Cover(os.fspath(target), image.width, image.height)


def cover_name(key: str) -> str:
    """The file name of the cover drawn from the file whose SHA-256 is *key*."""
    return f"{key[:32]}.png"


def _digest(path: str) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


@dataclass(frozen=True)
class Measured:
    """What the cache holds for one file content: its facts (or why not) and its cover."""

    facts: FileFacts | None
    problem: Unreadable | None = None
    cover: Cover | None = None

    @property
    def outcome(self) -> FileFacts | Unreadable:
        """The facts of a file measured whole, else why not (with the facts that could be read)."""
        if self.problem is not None:
            return self.problem
        assert self.facts is not None, "a file is measured whole or has a problem"
        return self.facts


class FactsCache:
    """Facts and covers of report files in a folder, keyed by the files' content (SHA-256).

    A file whose size and modification time are unchanged is not even hashed again.
    The index is written whole, at the end, by the one process that measures.
    """

    VERSION = 1

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.index = self.folder / "index.json"
        self.covers = self.folder / "covers"
        self.entries: dict[str, dict[str, Any]] = {}
        self.stats: dict[str, list[Any]] = {}
        self.used: set[str] = set()
        try:
            saved = json.loads(self.index.read_text(encoding="utf-8"))
            if saved.get("version") == self.VERSION:
                self.entries, self.stats = saved["entries"], saved["stats"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no cache, or a broken one: measure again

    def key(self, path: str) -> str:
        stat = os.stat(path)
        known = self.stats.get(path)
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            return known[2]
        digest = _digest(path)
        self.stats[path] = [stat.st_size, stat.st_mtime_ns, digest]
        return digest

    def get(self, key: str) -> Measured | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        cover = entry.get("cover")
        if cover and not (self.covers / cover["file"]).is_file():
            return None
        self.used.add(key)
        return _measured_from_json(entry, self.covers)

    def measure(self, key: str, path: str) -> Measured:
        """Inspect a file and draw its cover, and remember both under *key*."""
        result = inspect(path)
        cover = None
        if isinstance(result, FileFacts):
            self.covers.mkdir(parents=True, exist_ok=True)
            try:
                cover = render_cover(path, self.covers / cover_name(key))
            except (pdfium.PdfiumError, OSError, ValueError):
                cover = None  # the facts stand; the card shows no cover
            measured = Measured(result, None, cover)
        else:
            measured = Measured(result.facts, result, None)
        self.entries[key] = _measured_to_json(measured)
        self.used.add(key)
        return measured

    def save(self) -> None:
        """Write the index, keeping only the files met in this build, and remove unused covers."""
        entries = {k: v for k, v in self.entries.items() if k in self.used}
        stats = {p: s for p, s in self.stats.items() if s[2] in self.used}
        keep = {e["cover"]["file"] for e in entries.values() if e.get("cover")}
        if self.covers.is_dir():
            for image in self.covers.iterdir():
                if image.name not in keep:
                    image.unlink()
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(
            {"version": self.VERSION, "entries": entries, "stats": stats}, indent=1, sort_keys=True
        )
        if self.index.is_file() and self.index.read_text(encoding="utf-8") == text:
            return  # nothing new: the index stays as the last build left it
        temporary = self.index.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.index)


def _measured_to_json(measured: Measured) -> dict[str, Any]:
    entry: dict[str, Any] = {"facts": asdict(measured.facts) if measured.facts else None}
    if measured.problem:
        entry["problem"] = {"subtype": measured.problem.subtype.value, "reason": measured.problem.reason}
    if measured.cover:
        entry["cover"] = {
            "file": os.path.basename(measured.cover.path),
            "width": measured.cover.width,
            "height": measured.cover.height,
        }
    return entry


def _measured_from_json(entry: dict[str, Any], covers: Path) -> Measured:
    raw = entry.get("facts")
    facts = None
    if raw:
        size = raw.get("page_size")
        facts = FileFacts(raw["format"], raw["bytes"], raw.get("pages"), tuple(size) if size else None)
    problem = None
    if entry.get("problem"):
        problem = Unreadable(Subtype(entry["problem"]["subtype"]), entry["problem"]["reason"], facts)
    cover = None
    if entry.get("cover"):
        c = entry["cover"]
        cover = Cover(os.fspath(covers / c["file"]), c["width"], c["height"])
    return Measured(facts, problem, cover)
