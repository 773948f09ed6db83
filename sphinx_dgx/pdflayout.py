"""What the handbook's appendix keeps of a report's PDF: its pages' shapes, links and outline.

LaTeX's ``\\includegraphics`` places a page's drawing and nothing else: links and bookmarks are
lost. :func:`read_layout` reads them with pypdf so that the appendix can put them back (see
appendix.py): each page's shown size, its link annotations as rectangles in the shown page's own
coordinates (points from its lower left, rotation applied) with their target (a web address or
a page of the same file), and the outline as (level, title, page) entries.

Only links a reader can follow safely are kept: web and mail addresses (``http``, ``https``,
``mailto``) and pages of the same file. Launch, JavaScript, other files' pages and form actions
are dropped. Everything is bounded: links per page and in all, outline entries and depth.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from .facts import OutlineEntry, describe_error, quiet

MAX_LINKS_PER_PAGE = 500
MAX_LINKS = 20_000
MAX_OUTLINE_ENTRIES = 2_000
MAX_OUTLINE_DEPTH = 6
SAFE_SCHEMES = ("http://", "https://", "mailto:")
SLIDE_SHAPE = 0.75
"""Pages no taller than this, height over width (16:9 and 4:3 slides), go two to a sheet of the appendix."""


@dataclass(frozen=True)
class Link:
    """A link area of a page: lower left corner, width and height in points; where it goes."""

    x: float
    y: float
    width: float
    height: float
    uri: str | None = None
    page: int | None = None
    """The 1-based page of the same file it opens (when it is not a web address)."""


@dataclass(frozen=True)
class PageLayout:
    width: float
    height: float
    links: tuple[Link, ...] = ()

    @property
    def slide(self) -> bool:
        """A page no taller than :data:`SLIDE_SHAPE` of its width (16:9 and 4:3 slides)."""
        return self.height <= SLIDE_SHAPE * self.width


@dataclass(frozen=True)
class ReportLayout:
    pages: tuple[PageLayout, ...]
    outline: tuple[OutlineEntry, ...] = ()


class LayoutError(Exception):
    """The file's pages, links or outline cannot be read; the message says why."""


def read_layout(path: str | os.PathLike[str]) -> ReportLayout:
    """The layout of a PDF (:class:`LayoutError` when pypdf cannot read it)."""
    with quiet("pypdf"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read(path)


def _read(path: str | os.PathLike[str]) -> ReportLayout:
    try:
        reader = PdfReader(os.fspath(path), strict=False)
        pages = reader.pages
        numbers = {
            page.indirect_reference.idnum: n for n, page in enumerate(pages, 1) if page.indirect_reference
        }
        count = 0
        layouts = []
        for page in pages:
            links = tuple(_links(reader, page, numbers, MAX_LINKS - count))
            count += len(links)
            width, height, _ = _box(page)
            layouts.append(PageLayout(width, height, links))
        return ReportLayout(tuple(layouts), outline_entries(reader))
    except RecursionError as error:
        raise LayoutError("its structure is nested too deeply") from error
    except Exception as error:  # pypdf raises many kinds on a damaged file
        raise LayoutError(describe_error(error)) from error


def _box(page: Any) -> tuple[float, float, int]:
    """The shown width and height of a page (its crop box, rotation applied) and its rotation."""
    box = page.cropbox
    width, height = abs(float(box.width)), abs(float(box.height))
    rotate = page.get("/Rotate", 0) or 0
    if isinstance(rotate, bool) or not isinstance(rotate, (int, float)) or rotate % 90:
        raise ValueError(f"a page's /Rotate is {str(rotate)[:20]!r}, not a multiple of 90 degrees")
    if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
        raise ValueError("a page has no area")
    rotate = int(rotate) % 360
    return (height, width, rotate) if rotate % 180 else (width, height, rotate)


def _links(reader: PdfReader, page: Any, numbers: dict[int, int], room: int) -> Iterator[Link]:
    annotations = page.get("/Annots")
    annotations = annotations.get_object() if annotations is not None else None
    if not isinstance(annotations, ArrayObject):
        return
    shown_width, shown_height, rotate = _box(page)
    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    kept = 0
    for annotation in annotations[: 4 * MAX_LINKS_PER_PAGE]:
        if kept >= min(MAX_LINKS_PER_PAGE, room):
            return
        annotation = annotation.get_object()
        if not isinstance(annotation, DictionaryObject) or annotation.get("/Subtype") != "/Link":
            continue
        uri, target = _target(reader, annotation, numbers)
        if uri is None and target is None:
            continue
        rect = _shown_rect(annotation.get("/Rect"), left, bottom, shown_width, shown_height, rotate)
        if rect is not None:
            kept += 1
            yield Link(*rect, uri=uri, page=target)


def _target(
    reader: PdfReader, annotation: DictionaryObject, numbers: dict[int, int]
) -> tuple[str | None, int | None]:
    """A link's web address, or the page of the same file it opens; (None, None) for anything else."""
    action = annotation.get("/A")
    action = action.get_object() if action is not None else None
    destination = annotation.get("/Dest")
    if isinstance(action, DictionaryObject):
        kind = action.get("/S")
        if kind == "/URI":
            uri = action.get("/URI")
            uri = uri.get_object() if uri is not None else None
            if isinstance(uri, bytes):
                uri = uri.decode("latin-1")
            if isinstance(uri, str) and uri.lower().startswith(SAFE_SCHEMES) and len(uri) <= 2000:
                return uri, None
            return None, None
        if kind != "/GoTo":
            return None, None
        destination = action.get("/D")
    return None, _page_of(reader, destination, numbers)


def _page_of(reader: PdfReader, destination: Any, numbers: dict[int, int]) -> int | None:
    destination = destination.get_object() if destination is not None else None
    if isinstance(destination, (str, bytes)):  # a named destination
        name = destination.decode("latin-1") if isinstance(destination, bytes) else str(destination)
        named = reader.named_destinations.get(name)
        number = reader.get_destination_page_number(named) if named is not None else -1
        return number + 1 if 0 <= number < len(reader.pages) else None
    if isinstance(destination, DictionaryObject):
        return _page_of(reader, destination.get("/D"), numbers)
    if isinstance(destination, ArrayObject) and destination:
        first = destination[0]
        if hasattr(first, "idnum"):
            return numbers.get(first.idnum)
        if isinstance(first, int) and not isinstance(first, bool) and 0 <= first < len(reader.pages):
            return first + 1
    return None


def _shown_rect(
    rect: Any, left: float, bottom: float, width: float, height: float, rotate: int
) -> tuple[float, float, float, float] | None:
    """A link's rectangle in the shown page's coordinates, clipped to it; None when it has no area."""
    rect = rect.get_object() if rect is not None else None
    if not isinstance(rect, ArrayObject) or len(rect) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(value) for value in rect)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(value) for value in (x0, y0, x1, y1)):
        return None
    # relative to the crop box, then turned as the page is shown
    (x0, x1), (y0, y1) = sorted((x0 - left, x1 - left)), sorted((y0 - bottom, y1 - bottom))
    raw_width, raw_height = (height, width) if rotate % 180 else (width, height)
    corners = [_turn(x, y, raw_width, raw_height, rotate) for x, y in ((x0, y0), (x1, y1))]
    (x0, x1), (y0, y1) = sorted(c[0] for c in corners), sorted(c[1] for c in corners)
    x0, x1 = max(0.0, x0), min(width, x1)
    y0, y1 = max(0.0, y0), min(height, y1)
    if x1 - x0 < 0.5 or y1 - y0 < 0.5:
        return None
    return round(x0, 2), round(y0, 2), round(x1 - x0, 2), round(y1 - y0, 2)


def _turn(x: float, y: float, raw_width: float, raw_height: float, rotate: int) -> tuple[float, float]:
    """A point of the unrotated page where it is shown after a clockwise /Rotate."""
    if rotate == 90:
        return y, raw_width - x
    if rotate == 180:
        return raw_width - x, raw_height - y
    if rotate == 270:
        return raw_height - y, x
    return x, y


def outline_entries(reader: PdfReader) -> tuple[OutlineEntry, ...]:
    """The outline of a PDF as (level, title, page) entries, bounded in number and depth.

    Raises what pypdf raises on a damaged outline (:class:`RecursionError` for one nested too deeply).
    """
    return tuple(_outline(reader))


def _outline(reader: PdfReader) -> Iterator[OutlineEntry]:
    count = 0

    def walk(items: Any, level: int) -> Iterator[OutlineEntry]:
        nonlocal count
        for item in items:
            if count >= MAX_OUTLINE_ENTRIES:
                return
            if isinstance(item, list):
                if level + 1 < MAX_OUTLINE_DEPTH:
                    yield from walk(item, level + 1)
                continue
            page = reader.get_destination_page_number(item)
            title = " ".join(str(item.title or "").split())[:300]
            if page is not None and 0 <= page < len(reader.pages) and title:
                count += 1
                yield OutlineEntry(level, title, page + 1)

    yield from walk(reader.outline, 0)
