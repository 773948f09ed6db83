"""File facts: what a reader should know before downloading a report, measured from the file.

This module imports no Sphinx. :func:`inspect` reads a file's format from its
content, its size and, for a PDF, its page count, the size of its first page and whether
the handbook can include its pages; :func:`render_cover` draws the first page as a small JPEG,
and :meth:`FactsCache.image` draws a report's own cover image again as a PNG. :func:`read_pages`
reads the text of each page, which :func:`read_text` gives back with the PDF's outline as a
:class:`ReportText`. :class:`FactsCache` keeps them between builds, keyed by the files' content.

A build measures what it shows (:func:`measure_file`): every build the facts and the card's
cover, read from one opening of the file by pypdfium2; a build with report pages also the
cover's larger copies, the text and the outline (:data:`PAGES`); the handbook also whether it
can include every page, which pypdf reads from the page tree (:data:`HANDBOOK`).

Every file is hostile until measured: only regular files are read (:mod:`sphinx_dgx.regular`),
every exception of pypdf, pypdfium2 or Pillow on one file becomes that file's problem, a cover
is bounded in pixels whatever the page's shape, and a cover image is decoded only when its
header promises a bounded size, and then drawn again as a PNG (never published as given). A
file's text is bounded in pages and characters and keeps no control or format character.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import hashlib
import io
import json
import logging
import math
import os
import re
import time
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .problems import Subtype
from .regular import check_regular, open_regular, read_bounded, write_atomically

if TYPE_CHECKING:
    from PIL import Image
    from pypdf import PdfReader

# pypdf, pypdfium2 and Pillow are imported where they run: a build that measures nothing (its
# files are known) loads none of them (a tenth of a second, and 11 MB).

FORMATS = {"PDF": "Portable Document Format"}
PDF_MAGIC = b"%PDF-"
"""What a PDF holds near its start (within its first 1024 bytes): the one test of being a PDF."""
EXTENSIONS = {"PDF": ".pdf"}
"""The end of the name a file of each format is published under (any case)."""
DRAWN, OWN = ".jpg", ".png"
"""A cover drawn from a page is a JPEG (five times faster to write than a PNG, and smaller); a
report's own cover image is drawn again as a PNG (it may be transparent)."""
COVER_NAME = re.compile(r"[0-9a-f]{32}(?:-(?:320|640))?\.(?:jpg|png)")
"""Covers are named by content, with their larger copies; Sphinx publishes them under that name."""
JPEG_QUALITY = 90
"""A drawn cover's JPEG quality, its colours kept at full resolution (no subsampling): type stays sharp."""
PAGE_COVER_WIDTHS = (320, 640)
"""A report's own page shows its cover 320 CSS pixels wide: copies 320 and 640 pixels wide (1x, 2x)."""
COVER_WIDTH = 240
"""Width of a cover thumbnail in pixels; pages show it at half that, sharp on high-density screens."""
COVER_RATIO = (0.25, 4.0)
"""The shapes a cover may have, height over width: a stranger page is cut to fit, from its top left."""
MAX_COVER_PIXELS = 4_000_000
"""The most pixels a cover is drawn with, whatever the page's shape and the width asked for."""
MAX_IMAGE_PIXELS = 40_000_000
"""The most pixels a report's own cover image may declare; a larger one is not decoded."""
_MAX_EXTENT = 1 << 30
"""pdfium places a page in whole pixels (a C int): a page that large at the cover's scale is not drawn."""
RACY_NS = 2_000_000_000
"""A file changed this close to when it was hashed is hashed again next time (its stamp may not show it)."""
TEXT_NAME = re.compile(r"[0-9a-f]{64}\.json")
"""The text of a file is saved as JSON named by the file's content."""
TEXT_VERSION = 1
"""The format of a saved text (``version`` in its JSON)."""
MAX_TEXT_PAGES = 2_000
"""The most pages whose text is read; the pages after them have none (and the text is cut)."""
MAX_PAGE_CHARS = 100_000
"""The most characters read of one page."""
MAX_TEXT_CHARS = 5_000_000
"""The most characters read of one file, all pages together."""
MAX_TEXT_FILE_BYTES = 32 * 1024 * 1024
"""The most bytes of a saved text read back: the limits above, four bytes a character, and the outline."""
PAGES = "pages"
"""What a report's own page needs of a file beyond a card: the cover's larger copies, its text and outline."""
HANDBOOK = "handbook"
"""What the handbook needs beyond a card: whether it can include every page of the file."""
EVERYTHING = frozenset({PAGES, HANDBOOK})
"""Every part of a file there is to measure."""


@dataclass(frozen=True)
class FileFacts:
    """Measured facts of one report file."""

    format: str
    """Abbreviation, e.g. ``PDF``."""
    bytes: int
    pages: int | None = None
    page_size: tuple[float, float] | None = None
    """Width and height of the first page, in PostScript points (as they are: the cover is cut to fit)."""
    includable: bool | None = True
    """Whether the handbook can include its pages (LaTeX's PDF writer stops at a page without content);
    None when no handbook was built from this measure (:data:`HANDBOOK`)."""

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

        A reader may have the password, or a viewer that copes; a file that is gone, is not a
        PDF, or is a PDF under another name is neither published nor linked.
        """
        return self.subtype is Subtype.BAD_PDF


@dataclass(frozen=True)
class Caveat:
    """A problem that leaves a file's facts standing (no cover; not in the handbook), or a cover image's."""

    subtype: Subtype
    reason: str
    """What follows ``report 'x': file 'files/x.pdf':`` (or ``cover 'files/c.png'``) in the warning."""


def describe_error(error: BaseException) -> str:
    """``ValueError: bad xref``: an exception's class and the first line of its message."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


def cannot_read(error: OSError) -> Unreadable:
    """Why a file that could not be opened has no facts."""
    return Unreadable(Subtype.MISSING_FILE, f"cannot be read: {error.strerror or error}")


# -- measuring ---------------------------------------------------------------------


def inspect(path: str | os.PathLike[str]) -> FileFacts | Unreadable:
    """Measure a report file; never raises for a bad or unreadable file."""
    return examine(path)[0]


def examine(
    path: str | os.PathLike[str], needs: frozenset[str] = EVERYTHING
) -> tuple[FileFacts | Unreadable, tuple[Caveat, ...]]:
    """Measure a report file, with what its facts leave out (a page the handbook cannot include)."""
    with _reading(path) as (found, document, handle):
        if document is None:
            return found, ()
        assert isinstance(found, FileFacts) and handle is not None
        facts, caveats, _ = _read_by_pypdf(handle, found, needs)
        return facts, caveats


@contextmanager
def _reading(path: str | os.PathLike[str]) -> Iterator[tuple[FileFacts | Unreadable, Any, BinaryIO | None]]:
    """The facts of a file (or why not) and, for a PDF measured whole, its open pypdfium2 document and
    file: one opening of the file for its facts, its cover and its text."""
    try:
        handle = open_regular(path)
    except OSError as error:
        yield cannot_read(error), None, None
        return
    with handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            is_pdf = PDF_MAGIC in handle.read(1024)
        except OSError as error:
            yield cannot_read(error), None, None
            return
        if not is_pdf:
            yield Unreadable(Subtype.NOT_PDF, "is not a PDF"), None, None
            return
        handle.seek(0)
        partial = FileFacts("PDF", size)
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c

        try:
            document = pdfium.PdfDocument(handle)
        except Exception as error:  # whatever pdfium meets in a file is that file's problem
            password = getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD
            yield _unopened(handle, error, partial, password), None, None
            return
        try:
            found = _measure_pdf(document, handle, partial)
            yield found, (document if isinstance(found, FileFacts) else None), handle
        finally:
            document.close()


def _locked(partial: FileFacts) -> Unreadable:
    return Unreadable(Subtype.BAD_PDF, "is encrypted (password-protected)", partial)


def _damaged(error: BaseException, partial: FileFacts) -> Unreadable:
    return Unreadable(Subtype.BAD_PDF, f"cannot be read as a PDF ({describe_error(error)})", partial)


def _unopened(handle: BinaryIO, error: BaseException, partial: FileFacts, password: bool) -> Unreadable:
    """Why pdfium cannot open a PDF, *password* when it asked for one. pdfium opens no PDF without
    pages, which pypdf tells; and pdfium's error code may be one an earlier file left (a failure
    does not always set it: a file without pages read after an encrypted one was "encrypted"), so
    pypdf is asked whether the file is encrypted. pdfium's word stands when pypdf cannot read it."""
    try:
        with _pypdf_reader(handle) as reader:
            if reader.is_encrypted:
                return _locked(partial)
            if len(reader.pages) == 0:
                return Unreadable(Subtype.BAD_PDF, "has no pages", partial)
    except Exception:  # whatever pypdf meets in a file pdfium cannot open: pdfium's reason stands
        pass
    return _locked(partial) if password else _damaged(error, partial)


@contextmanager
def quiet(name: str) -> Iterator[None]:
    """pypdf logs recoverable oddities of real-world PDFs; they are not the editor's business."""
    logger = logging.getLogger(name)
    level, logger.level = logger.level, logging.ERROR + 1
    try:
        yield
    finally:
        logger.level = level


def _measure_pdf(document: Any, handle: BinaryIO, partial: FileFacts) -> FileFacts | Unreadable:
    """The facts of an open PDF: its pages and the size of the first as shown (crop box, rotated).

    pdfium believes a page tree's ``/Count``: when its last page cannot be found, pypdf counts
    the pages the tree holds. Whether the handbook can include them is not known yet (None).
    """
    import pypdfium2.raw as pdfium_c

    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
            return _locked(partial)
        pages = len(document)
        if pages > 0 and not _has_page(document, pages - 1):
            pages = _counted_by_pypdf(handle)
        if pages == 0:
            return Unreadable(Subtype.BAD_PDF, "has no pages", partial)
        width, height = document.get_page_size(0)
        if not (math.isfinite(width) and math.isfinite(height)):
            raise ValueError("the first page's size is not a number")
    except Exception as error:  # whatever pdfium meets in a file is that file's problem
        return _damaged(error, partial)
    return FileFacts("PDF", partial.bytes, pages, (round(width, 2), round(height, 2)), None)


def _has_page(document: Any, index: int) -> bool:
    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FS_SIZEF()
    return bool(pdfium_c.FPDF_GetPageSizeByIndexF(document.raw, index, ctypes.byref(size)))


@contextmanager
def _pypdf_reader(handle: BinaryIO) -> Iterator[Any]:
    """A ``pypdf.PdfReader`` of the file from its start, its logs and warnings silenced (:func:`quiet`)."""
    from pypdf import PdfReader

    handle.seek(0)
    with quiet("pypdf"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield PdfReader(handle)


def _counted_by_pypdf(handle: BinaryIO) -> int:
    with _pypdf_reader(handle) as reader:
        return len(reader.pages)


def _read_by_pypdf(
    handle: BinaryIO, facts: FileFacts, needs: frozenset[str]
) -> tuple[FileFacts, tuple[Caveat, ...], tuple[OutlineEntry, ...]]:
    """What pypdf reads of a PDF for the parts *needs* names: whether the handbook can include every
    page (:data:`HANDBOOK`: the facts' ``includable``, and why not), the outline (:data:`PAGES`)."""
    if not needs:
        return facts, (), ()
    reason, outline = None, ()
    try:
        with _pypdf_reader(handle) as reader:
            if HANDBOOK in needs:
                reason = _not_includable(reader)
            if PAGES in needs:
                outline = _outline(reader)
    except Exception as error:  # whatever pypdf meets in a file is that file's problem
        reason = f"its pages cannot be read for the handbook ({describe_error(error)})"
    if HANDBOOK not in needs:
        return facts, (), outline
    facts = dataclasses.replace(facts, includable=reason is None)
    if reason is None:
        return facts, (), outline
    reason += (
        ", so the handbook leaves the report out of its appendix: export the PDF again (print it to PDF)"
    )
    return facts, (Caveat(Subtype.NOT_IN_HANDBOOK, reason),), outline


def _outline(reader: PdfReader) -> tuple[OutlineEntry, ...]:
    """The outline of a PDF, its titles cleaned (:func:`clean_text`); none when it cannot be read."""
    from .pdflayout import outline_entries

    try:
        entries = outline_entries(reader)
    except Exception:  # a damaged outline (or one nested too deeply) leaves the facts standing
        return ()
    cleaned = (OutlineEntry(e.level, " ".join(clean_text(e.title).split()), e.page) for e in entries)
    return tuple(entry for entry in cleaned if entry.title)


def _not_includable(reader: PdfReader) -> str | None:
    """Why LaTeX's PDF writer cannot include a page, or None.

    xdvipdfmx stops the whole handbook at a page whose ``/Contents`` is missing or is not a
    stream (or an array of streams); an empty array or an empty stream is fine. The handbook
    turns each page by its ``/Rotate``, which must be a number of quarter turns.
    """
    from pypdf.generic import ArrayObject, StreamObject

    for number, page in enumerate(reader.pages, start=1):
        rotate = page.get("/Rotate", 0) or 0
        if isinstance(rotate, bool) or not isinstance(rotate, (int, float)) or rotate % 90:
            return f"page {number}'s /Rotate is {str(rotate)[:20]!r}, not a multiple of 90 degrees"
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else None
        parts = list(contents) if isinstance(contents, ArrayObject) else [contents]
        if not all(
            isinstance(part.get_object() if part is not None else None, StreamObject) for part in parts
        ):
            return f"page {number} has no content stream"
    return None


# -- covers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    """A cover image: its path, its size in pixels, and the widths of its larger copies."""

    path: str
    width: int
    height: int
    copies: tuple[int, ...] = ()
    """Those of :data:`PAGE_COVER_WIDTHS` it has copies at: all of them for a report's own page."""

    @property
    def name(self) -> str:
        """The name it is published under, named by content (every cover is drawn by the site)."""
        return os.path.basename(self.path)

    def sized(self, width: int) -> str:
        """The path of its copy *width* pixels wide (one of :data:`PAGE_COVER_WIDTHS`)."""
        stem, suffix = os.path.splitext(self.path)
        return f"{stem}-{width}{suffix}"

    @property
    def files(self) -> tuple[str, ...]:
        """The cover and its larger copies."""
        return (self.path, *(self.sized(width) for width in self.copies))


def write_cover(image: Image.Image, target: Path, width: int, height: int) -> Cover:
    """*image* (at least as large as the largest of :data:`PAGE_COVER_WIDTHS`) as the cover *width*
    x *height* at *target* and its copies for the report's page, each one *image* made smaller."""
    card = _resized(image, (width, height))
    return save_cover(target, card, dict.fromkeys(PAGE_COVER_WIDTHS, image), smallest=True)


def save_cover(
    target: Path, card: Image.Image, copies: dict[int, Image.Image], smallest: bool = False
) -> Cover:
    """The cover *card* at *target* and, for each width of *copies*, that image as the copy that wide
    (made to that width when it is not), every one in the form *target*'s name ends with
    (:func:`image_bytes`); *smallest*: a PNG card compressed hardest, as for a report's own image."""
    cover = Cover(os.fspath(target), card.width, card.height, tuple(copies))
    write_atomically(target, image_bytes(card, target.suffix, smallest=smallest))
    for width, image in copies.items():
        shown = (width, max(1, round(image.height * width / image.width)))
        write_atomically(Path(cover.sized(width)), image_bytes(_resized(image, shown), target.suffix))
    return cover


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    from PIL import Image

    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


def cover_geometry(page_width: float, page_height: float, width: int = COVER_WIDTH) -> tuple[int, int, float]:
    """The cover of a page: its width and height in pixels, and the scale to draw the page at.

    Any shape of page gives a cover *width* pixels wide within :data:`COVER_RATIO`; a page
    taller or wider than that is cut, keeping its top left. :class:`ValueError` for a page
    without area, or one too large to place.
    """
    if not all(math.isfinite(v) and v > 0 for v in (page_width, page_height)):
        raise ValueError(f"the page has no area ({page_width:g} x {page_height:g} pt)")
    low, high = COVER_RATIO
    height = max(1, round(width * min(max(page_height / page_width, low), high)))
    if width * height > MAX_COVER_PIXELS:
        raise ValueError(f"a cover of {width} x {height} pixels is over {MAX_COVER_PIXELS} pixels")
    scale = max(width / page_width, height / page_height)
    if max(page_width, page_height) * scale > _MAX_EXTENT:
        raise ValueError(f"the page is too large to draw ({page_width:g} x {page_height:g} pt)")
    return width, height, scale


@contextmanager
def open_pdfium(path: str | os.PathLike[str]) -> Iterator[Any]:
    """A regular file opened as a ``pypdfium2.PdfDocument``, closed at the end of the block."""
    import pypdfium2 as pdfium

    with open_regular(path) as handle:
        document = pdfium.PdfDocument(handle)
        try:
            yield document
        finally:
            document.close()


def render_cover(
    pdf: str | os.PathLike[str] | Any,
    target: str | os.PathLike[str],
    width: int = COVER_WIDTH,
    copies: tuple[int, ...] = PAGE_COVER_WIDTHS,
) -> Cover:
    """Draw the first page of *pdf* as a JPEG *width* pixels wide, any shape (:func:`cover_geometry`),
    and its copies *copies* pixels wide, each drawn at its size (a page too extreme to draw that
    large: the cover made larger).

    *pdf* is a path, or a document already open (:func:`open_pdfium`).
    """
    if isinstance(pdf, (str, os.PathLike)):
        with open_pdfium(pdf) as document:
            return render_cover(document, target, width, copies)
    page = pdf[0]
    try:
        card = _draw(page, width)
        drawn = {}
        for size in copies:
            try:
                drawn[size] = _draw(page, size)
            except ValueError:
                drawn[size] = card
    finally:
        page.close()
    return save_cover(Path(target), card, drawn)


def _draw(page: Any, width: int) -> Image.Image:
    page_width, page_height = page.get_size()
    width, height, scale = cover_geometry(page_width, page_height, width)
    kept_width, kept_height = width / scale, height / scale  # in points, from the top left
    crop = (0, max(0.0, page_height - kept_height), max(0.0, page_width - kept_width), 0)
    image = page.render(scale=scale, crop=crop).to_pil()
    if image.size != (width, height):  # pdfium rounds sizes up
        image = image.crop((0, 0, min(image.width, width), min(image.height, height))).resize((width, height))
    return image


@contextmanager
def _pillow_bounded() -> Iterator[None]:
    """Pillow refuses images over :data:`MAX_IMAGE_PIXELS` (it refuses twice its own limit)."""
    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS // 2
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


class CoverRefusedError(ValueError):
    """A cover image declares more pixels than :data:`MAX_IMAGE_PIXELS`."""


def cover_image(source: str | os.PathLike[str]) -> Image.Image:
    """A cover image decoded, at most as wide as the largest of :data:`PAGE_COVER_WIDTHS`.

    Only a PNG or a JPEG is opened, and only decoded when its header declares at most
    :data:`MAX_IMAGE_PIXELS` (:class:`CoverRefusedError`). Never the source's bytes: whatever
    else the file holds (a script after the image) is left behind.
    """
    limit = f"more than the {MAX_IMAGE_PIXELS // 1_000_000} megapixels a cover may have"
    advice = f"save it smaller (the card shows it {COVER_WIDTH // 2} pixels wide)"
    from PIL import Image, ImageOps

    largest = max(PAGE_COVER_WIDTHS)
    with open_regular(source) as handle, _pillow_bounded():
        try:
            image = Image.open(handle, formats=("PNG", "JPEG"))
        except Image.DecompressionBombError:
            raise CoverRefusedError(f"is {limit}: {advice}") from None
        with image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise CoverRefusedError(f"is {width} x {height} pixels, {limit}: {advice}")
            image.draft("RGB", (largest, largest))  # a JPEG decodes at a fraction of its size
            return _fit(ImageOps.exif_transpose(image), largest)


def card_of(image: Image.Image) -> Image.Image:
    """The card's cover: *image* at most :data:`COVER_WIDTH` wide."""
    return _fit(image, COVER_WIDTH)


def png_bytes(image: Image.Image, smallest: bool = True) -> bytes:
    """*image* as a PNG: compressed hardest, or (*smallest* False) written three times faster, a few
    percent larger."""
    data = io.BytesIO()
    image.save(data, format="PNG", compress_level=9 if smallest else 1)
    return data.getvalue()


def image_bytes(image: Image.Image, suffix: str, smallest: bool = False) -> bytes:
    """*image* as a file whose name ends with *suffix*: :data:`DRAWN` (a JPEG at
    :data:`JPEG_QUALITY`) or :data:`OWN` (:func:`png_bytes`)."""
    if suffix == OWN:
        return png_bytes(image, smallest=smallest)
    assert suffix == DRAWN, suffix
    data = io.BytesIO()
    image.convert("RGB").save(data, format="JPEG", quality=JPEG_QUALITY, subsampling=0)
    return data.getvalue()


def _fit(image: Image.Image, widest: int) -> Image.Image:
    """*image* in RGB (RGBA with transparency), cut to :data:`COVER_RATIO`, at most *widest* wide."""
    from PIL import Image

    alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    image = image.convert("RGBA" if alpha else "RGB")
    width, height = image.size
    low, high = COVER_RATIO
    if height > width * high:
        image = image.crop((0, 0, width, max(1, round(width * high))))
    elif height < width * low:
        image = image.crop((0, 0, max(1, round(height / low)), height))
    if image.width > widest:
        shown_height = max(1, round(image.height * widest / image.width))
        image = image.resize((widest, shown_height), Image.Resampling.LANCZOS)
    return image


def cover_name(key: str, suffix: str = DRAWN) -> str:
    """The file name of the cover drawn from the file whose SHA-256 is *key*: a report's file
    (:data:`DRAWN`) or its own cover image (:data:`OWN`)."""
    return f"{key[:32]}{suffix}"


def text_name(key: str) -> str:
    """The file name of the text read from the file whose SHA-256 is *key*."""
    return f"{key}.json"


def digest_of(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a regular file's content."""
    sha = hashlib.sha256()
    with open_regular(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


# -- text ------------------------------------------------------------------------------


@functools.cache
def _unwanted() -> re.Pattern[str]:
    """Every character a text drops: controls (but newline and tab), format characters, surrogates,
    noncharacters.

    Only planes 0, 1 and 14 hold control, format or surrogate characters: the others are not
    looked at (a look at all of Unicode takes a quarter of a second).
    """
    found = [
        code
        for code in (*range(0x20000), *range(0xE0000, 0xE1000))
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs") and chr(code) not in "\n\t"
    ]
    found += [
        *range(0xFDD0, 0xFDF0),
        *(plane + end for plane in range(0, 0x110000, 0x10000) for end in (0xFFFE, 0xFFFF)),
    ]
    ranges: list[list[int]] = []
    for code in sorted(set(found)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges) + "]")


_ASCII_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """*text* as a page shows it to everyone: line breaks as ``\\n``, no control or format character
    (but ``\\n`` and ``\\t``), no space at the end of a line, at most one blank line in a row, none at
    either end.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = (_ASCII_UNWANTED if text.isascii() else _unwanted()).sub("", text)
    return _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("", text)).strip("\n")


def _has_unwanted(text: str) -> bool:
    """Whether *text* holds a control (but newline and tab), format, surrogate or noncharacter code point."""
    return (_ASCII_UNWANTED if text.isascii() else _unwanted()).search(text) is not None


def read_pages(document: Any, count: int | None = None) -> tuple[tuple[str, ...], bool]:
    """The text of each page of an open ``pypdfium2.PdfDocument`` (:func:`clean_text`); whether it is cut.

    At most :data:`MAX_TEXT_PAGES` pages are read, :data:`MAX_PAGE_CHARS` characters of each and
    :data:`MAX_TEXT_CHARS` in all: the pages after are empty strings and the text is cut. *count*:
    the pages there are at most, as the facts counted them (pdfium believes a page tree's ``/Count``).
    Raises what pypdfium2 raises.
    """
    count = len(document) if count is None else min(count, len(document))
    pages: list[str] = []
    room = MAX_TEXT_CHARS
    cut = count > MAX_TEXT_PAGES
    for index in range(min(count, MAX_TEXT_PAGES)):
        if room <= 0:
            cut = True
            break
        text, clipped = _page_text(document, index, min(MAX_PAGE_CHARS, room))
        pages.append(text)
        room -= len(text)
        cut = cut or clipped
    pages.extend("" for _ in range(count - len(pages)))
    return tuple(pages), cut


def _page_text(document: Any, index: int, limit: int) -> tuple[str, bool]:
    """The text of a page, at most *limit* characters, and whether it has more."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            if count <= limit:  # the whole page (quicker)
                raw = textpage.get_text_bounded() if count > 0 else ""
            else:  # its first characters only: pdfium writes no more than asked
                raw = textpage.get_text_range(0, limit)
        finally:
            textpage.close()
    finally:
        page.close()
    text = clean_text(raw)
    return text[:limit], count > limit or len(text) > limit


@dataclass(frozen=True)
class OutlineEntry:
    """An entry of a PDF's outline (bookmarks): its level, its title, the page it leads to (from 1)."""

    level: int
    """0 for the outline's top level."""
    title: str
    page: int


@dataclass(frozen=True)
class ReportText:
    """The text of a report's PDF, page by page, and its outline: what pages show to search and read aloud."""

    pages: tuple[str, ...]
    """The text of each page (:func:`clean_text`): ``""`` for a page without text, or one after the limits."""
    outline: tuple[OutlineEntry, ...]
    """The PDF's outline (bookmarks), as :func:`sphinx_dgx.pdflayout.outline_entries` reads it."""
    cut: bool
    """Whether some text was left out to stay within the limits (:data:`MAX_TEXT_CHARS` and the others)."""


def text_json(pages: tuple[str, ...], outline: tuple[OutlineEntry, ...], cut: bool) -> bytes:
    """The saved form of a text: the same JSON for the same text."""
    data = {
        "version": TEXT_VERSION,
        "pages": list(pages),
        "outline": [[entry.level, entry.title, entry.page] for entry in outline],
        "cut": cut,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def read_text(path: str | os.PathLike[str]) -> ReportText | None:
    """The text saved in *path* (:func:`text_json`); None when it is missing, too large or malformed."""
    try:
        return _text_from_json(json.loads(read_bounded(path, MAX_TEXT_FILE_BYTES)))
    except Exception:  # a text file is only ever ours: any other content is no text
        return None


def _text_from_json(data: Any) -> ReportText:
    if not isinstance(data, dict) or type(data.get("version")) is not int or data["version"] != TEXT_VERSION:
        raise ValueError("not a saved text of this version")
    pages, outline, cut = data["pages"], data["outline"], data["cut"]
    if not isinstance(pages, list) or not all(isinstance(page, str) for page in pages):
        raise ValueError("pages are not a list of strings")
    if any(_has_unwanted(page) for page in pages) or not isinstance(cut, bool):
        raise ValueError("a page holds a control character, or cut is not true or false")
    entries = []
    for item in outline:
        level, title, page = item
        if not (type(level) is int and type(page) is int and isinstance(title, str)) or level < 0 or page < 1:
            raise ValueError(f"not an outline entry: {item!r}")
        if _has_unwanted(title):
            raise ValueError("an outline entry holds a control character")
        entries.append(OutlineEntry(level, title, page))
    return ReportText(tuple(pages), tuple(entries), cut)


# -- what a build keeps ----------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """What is known of one file content: its facts (or why not), its cover, what they leave out, its text."""

    facts: FileFacts | None
    problem: Unreadable | None = None
    cover: Cover | None = None
    caveats: tuple[Caveat, ...] = ()
    text: str | None = None
    """The path of its text and outline (:func:`read_text`); None for a file whose text cannot be read."""
    parts: frozenset[str] = EVERYTHING
    """What was measured beyond the facts and the card's cover (:data:`PAGES`, :data:`HANDBOOK`)."""

    @property
    def outcome(self) -> FileFacts | Unreadable:
        """The facts of a file measured whole, else why not (with the facts that could be read)."""
        if self.problem is not None:
            return self.problem
        assert self.facts is not None, "a file is measured whole or has a problem"
        return self.facts


def under_name(measured: Measured, name: str) -> Measured:
    """A measured file as published under *name*: only under a name that ends as its format's do.

    A browser trusts a file's name, not its content: a PDF that is also a web page, named
    ``.html``, would run its script on the site. Such a file is not published; the problem
    says what to rename it to.
    """
    facts = measured.facts
    ending = EXTENSIONS.get(facts.format) if facts is not None else None
    if ending is None or name.lower().endswith(ending):
        return measured
    stem, suffix = os.path.splitext(name)
    named = f"named {suffix!r}" if suffix else "without .pdf in its name"
    reason = (
        f"is a {facts.format} {named}: rename the file to {stem + ending!r} (and its file: line); "
        "it is not published until then"
    )
    return Measured(facts, Unreadable(Subtype.WRONG_EXTENSION, reason, facts))


class FactsCache:
    """Facts, covers and texts of report files in a folder, keyed by the files' content (SHA-256).

    A file whose size, modification time, change time and inode are those it had when it was
    hashed (more than :data:`RACY_NS` after its last change) is not hashed again: a file
    replaced by another of the same size and modification time has a new change time. The
    index is written whole, at the end, under a temporary name of its own, then put in place.
    """

    VERSION = 6

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.index = self.folder / "index.json"
        self.covers = self.folder / "covers"
        self.texts = self.folder / "texts"
        self.entries: dict[str, dict[str, Any]] = {}
        self.stats: dict[str, list[Any]] = {}
        self.used: set[str] = set()
        self.changed = False
        """Whether this build measured or hashed anything (else the index need not be written)."""
        self._names: set[str] | None = None
        try:
            saved = json.loads(self.index.read_text(encoding="utf-8"))
            if saved.get("version") == self.VERSION:
                self.entries, self.stats = dict(saved["entries"]), dict(saved["stats"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no cache, or a broken one: measure again

    def key(self, path: str) -> str:
        """The SHA-256 of a regular file (:class:`OSError` when it cannot be read)."""
        found = check_regular(path)
        stamp = [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]
        known = self.stats.get(path)
        if isinstance(known, list) and len(known) == 6 and known[:4] == stamp:
            if isinstance(known[5], int) and found.st_ctime_ns + RACY_NS < known[5]:
                return str(known[4])
        hashed_at = time.time_ns()  # before reading: a change while hashing is after it
        digest = digest_of(path)
        self.stats[path] = [*stamp, digest, hashed_at]
        self.changed = True
        return digest

    def get(self, key: str, needs: frozenset[str] = frozenset()) -> Measured | None:
        """What is known of the content *key*, when it holds the parts *needs* names."""
        entry = self.entries.get(key)
        try:
            measured = (
                _measured_from_json(entry, self.covers, self.texts) if isinstance(entry, dict) else None
            )
        except Exception:  # an index written by hand or by another version: measure again
            return None
        if measured is None or not needs <= measured.parts:
            return None
        files = [*(measured.cover.files if measured.cover else ()), measured.text]
        present = self._present()
        if not all(os.path.basename(path) in present for path in files if path is not None):
            return None
        self.used.add(key)
        return measured

    def _present(self) -> set[str]:
        """The names of the covers and texts the cache holds, listed once (a look at each costs more)."""
        if self._names is None:
            self._names = set()
            for folder in (self.covers, self.texts):
                with contextlib.suppress(OSError):
                    self._names.update(os.listdir(folder))
        return self._names

    def parts(self, key: str) -> frozenset[str]:
        """The parts measured of the content *key* by an earlier build (to measure them again with others)."""
        entry = self.entries.get(key)
        parts = entry.get("parts") if isinstance(entry, dict) else None
        return frozenset(parts) & EVERYTHING if isinstance(parts, list) else frozenset()

    def measure(self, key: str, path: str, needs: frozenset[str] = EVERYTHING) -> Measured:
        """Measure a file (the parts *needs* names) and remember it under *key*; never raises
        (:func:`measure_file`)."""
        measured, keep = measure_file(self.covers, self.texts, key, path, needs)
        return self.remember(key, measured) if keep else measured

    def image(self, path: str) -> Cover | Caveat:
        """A report's own cover image, drawn again as a PNG (from the cache when its content is known).

        Why not, as a :class:`Caveat` (``dgx.bad_cover``): what follows ``cover 'files/c.png'``.
        """
        try:
            digest = self.key(path)
        except OSError as error:
            return Caveat(Subtype.BAD_COVER, f"cannot be read: {error.strerror or error}")
        key = "image:" + digest
        cached = self.get(key)
        if cached is not None and (cached.cover or cached.caveats):
            return cached.cover or cached.caveats[0]
        try:
            large = cover_image(path)
            card = card_of(large)
        except CoverRefusedError as error:
            return self._remember_image(key, Caveat(Subtype.BAD_COVER, str(error)))
        except Exception as error:  # whatever Pillow meets in a file is that file's problem
            reason = f"cannot be read as an image ({describe_error(error)}): save it again as PNG or JPEG"
            return self._remember_image(key, Caveat(Subtype.BAD_COVER, reason))
        try:
            self.covers.mkdir(parents=True, exist_ok=True)
            cover = write_cover(large, self.covers / cover_name(digest, OWN), *card.size)
        except OSError as error:  # the cache cannot be written: not the image's fault, not remembered
            return Caveat(Subtype.BAD_COVER, f"cannot be saved in {self.covers} ({describe_error(error)})")
        return self._remember_image(key, cover)

    def _remember_image(self, key: str, found: Cover | Caveat) -> Cover | Caveat:
        if isinstance(found, Cover):
            self.remember(key, Measured(None, None, found))
        else:
            self.remember(key, Measured(None, None, None, (found,)))
        return found

    def remember(self, key: str, measured: Measured) -> Measured:
        """Keep what was measured of the content *key* (by this process or another)."""
        self.entries[key] = _measured_to_json(measured)
        self._names = None  # its files: listed again when asked
        self.changed = True
        self.used.add(key)
        return measured

    def save(self) -> bool:
        """Write the index, keeping only the files met in this build, and remove unused covers and texts.

        False when the cache folder cannot be written (the next build measures again).
        """
        entries = {k: v for k, v in self.entries.items() if k in self.used}
        used = {key.removeprefix("image:") for key in self.used}
        stats = {p: s for p, s in self.stats.items() if isinstance(s, list) and len(s) == 6 and s[4] in used}
        if not self.changed and len(entries) == len(self.entries) and len(stats) == len(self.stats):
            return True  # the index as read, every entry used: nothing to write or remove
        covers = {
            os.path.basename(name)
            for e in entries.values()
            if e.get("cover")
            for name in Cover(e["cover"]["file"], 0, 0, tuple(e["cover"].get("copies", ()))).files
        }
        texts = {e["text"] for e in entries.values() if e.get("text")}
        text = json.dumps(
            {"version": self.VERSION, "entries": entries, "stats": stats}, indent=1, sort_keys=True
        )
        try:
            _remove_unused(self.covers, COVER_NAME, covers)
            _remove_unused(self.texts, TEXT_NAME, texts)
            self.folder.mkdir(parents=True, exist_ok=True)
            if self.index.is_file() and self.index.read_text(encoding="utf-8") == text:
                return True  # nothing new: the index stays as the last build left it
            write_atomically(self.index, text.encode("utf-8"))
        except OSError:
            return False
        return True


def _remove_unused(folder: Path, names: re.Pattern[str], keep: set[str]) -> None:
    """Remove the files of *folder* named as *names* but not in *keep* (not a build's temporary files)."""
    if not folder.is_dir():
        return
    for file in folder.iterdir():
        if names.fullmatch(file.name) and file.name not in keep:
            file.unlink(missing_ok=True)


def _undrawn(error: BaseException) -> str:
    """Why a file has no cover, when pdfium cannot draw its first page."""
    return (
        f"its first page cannot be drawn as a cover ({describe_error(error)}): give the report a "
        "cover image (cover:), or export the PDF again"
    )


def _measured_to_json(measured: Measured) -> dict[str, Any]:
    entry: dict[str, Any] = {"facts": asdict(measured.facts) if measured.facts else None}
    if measured.problem:
        entry["problem"] = {"subtype": measured.problem.subtype.value, "reason": measured.problem.reason}
    if measured.cover:
        entry["cover"] = {
            "file": os.path.basename(measured.cover.path),
            "width": measured.cover.width,
            "height": measured.cover.height,
            "copies": list(measured.cover.copies),
        }
    if measured.caveats:
        entry["caveats"] = [{"subtype": c.subtype.value, "reason": c.reason} for c in measured.caveats]
    if measured.text:
        entry["text"] = os.path.basename(measured.text)
    entry["parts"] = sorted(measured.parts)
    return entry


def _measured_from_json(entry: dict[str, Any], covers: Path, texts: Path) -> Measured:
    raw = entry.get("facts")
    facts = None
    if raw:
        size = raw.get("page_size")
        facts = FileFacts(
            raw["format"], raw["bytes"], raw.get("pages"), tuple(size) if size else None, raw["includable"]
        )
    problem = None
    if entry.get("problem"):
        problem = Unreadable(Subtype(entry["problem"]["subtype"]), entry["problem"]["reason"], facts)
    cover = None
    if entry.get("cover"):
        c = entry["cover"]
        if not COVER_NAME.fullmatch(c["file"]):
            raise ValueError(f"not the name of a cover: {c['file']!r}")
        copies = tuple(int(width) for width in c.get("copies", ()))
        if not set(copies) <= set(PAGE_COVER_WIDTHS):
            raise ValueError(f"not the widths of a cover's copies: {copies!r}")
        cover = Cover(os.fspath(covers / c["file"]), int(c["width"]), int(c["height"]), copies)
    caveats = tuple(Caveat(Subtype(c["subtype"]), str(c["reason"])) for c in entry.get("caveats", ()))
    text = None
    if entry.get("text"):
        if not TEXT_NAME.fullmatch(entry["text"]):
            raise ValueError(f"not the name of a text: {entry['text']!r}")
        text = os.fspath(texts / entry["text"])
    parts = frozenset(entry.get("parts", ()))
    if not parts <= EVERYTHING:
        raise ValueError(f"not parts of a measure: {sorted(parts)!r}")
    return Measured(facts, problem, cover, caveats, text, parts)


# -- measuring a file, in this process or another -------------------------------------------------


def measure_file(
    covers: Path, texts: Path, key: str, path: str, needs: frozenset[str] = EVERYTHING
) -> tuple[Measured, bool]:
    """Measure a file: its facts and its cover into *covers*, and the parts *needs* names: with
    :data:`PAGES` the cover's larger copies and its text and outline into *texts*, with
    :data:`HANDBOOK` whether the handbook can include every page. Never raises.

    pypdfium2 opens the file once for the facts, the cover and the text; pypdf reads it only for
    the handbook and the outline. A text that cannot be read leaves the facts and the cover
    standing: the file has no text. Also says whether the result is the content's own (to
    remember under *key*), not a failure of the cache or the disk. A top-level function, so that a
    pool of processes can run it (collect.py).
    """
    with _reading(path) as (found, document, handle):
        if isinstance(found, Unreadable):
            return Measured(found.facts, found), True
        assert handle is not None
        facts, caveats, outline = _read_by_pypdf(handle, found, needs)
        pages = PAGES in needs
        cover, drawn = _cover_of(covers, key, document, PAGE_COVER_WIDTHS if pages else ())
        text, saved = _text_of(texts, key, document, outline, facts.pages) if pages else (None, True)
        if isinstance(cover, Caveat):
            caveats, cover = (*caveats, cover), None
        return Measured(facts, None, cover, caveats, text, needs), drawn and saved


def _cover_of(covers: Path, key: str, document: Any, copies: tuple[int, ...]) -> tuple[Cover | Caveat, bool]:
    """The cover of an open document, or why not; whether that is the file's (else the cache's) doing."""
    try:
        covers.mkdir(parents=True, exist_ok=True)
        return render_cover(document, covers / cover_name(key), COVER_WIDTH, copies), True
    except OSError as error:  # the cache cannot be written: not the file's fault
        reason = f"its cover cannot be saved in {covers} ({describe_error(error)})"
        return Caveat(Subtype.NO_COVER, reason), False
    except Exception as error:  # whatever pdfium meets in a file is that file's problem
        return Caveat(Subtype.NO_COVER, _undrawn(error)), True


def _text_of(
    texts: Path, key: str, document: Any, outline: tuple[OutlineEntry, ...], count: int | None
) -> tuple[str | None, bool]:
    """The path of the text of an open document, saved; whether no text is the file's doing."""
    try:
        pages, cut = read_pages(document, count)
    except Exception:  # whatever pdfium meets in a file's text: the file has none, its facts stand
        return None, True
    target = texts / text_name(key)
    try:
        texts.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text_json(pages, outline, cut))
    except OSError:  # the cache cannot be written: not the file's fault
        return None, False
    return os.fspath(target), True
