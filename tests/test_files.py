"""Files the site publishes are safe, measuring them is bounded, and their content decides freshness.

Issue 12, as an attacker found it: a PDF that is also a web page, published under an ``.html``
name; a cover image with a script after it; page shapes that ask for gigabytes of pixels;
images that claim 900 megapixels; named pipes and endless devices where files should be; a
file replaced by another of the same size and time; a page without content that stopped the
handbook. Every hostile file is made here, in the test's own copy of tests/roots/test-files.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import signal
import struct
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject

from sphinx_dgx import facts, handbook, publishing, regular
from sphinx_dgx.domain import get_domain
from sphinx_dgx.problems import Subtype
from support import TESTS, parse_warnings, require_tools, soup, visible

# Each test has its own copy of the root (conftest.py: a module's srcdir gets the test's name)
pytestmark = pytest.mark.sphinx("html", testroot="files", srcdir="files", freshenv=True)

SCRIPT = b"<html><body><script>alert(document.domain)</script></body></html>\n"


# -- making files ------------------------------------------------------------------------------


def pdf_bytes(width: float = 612, height: float = 792, colour: str = "1 0 0", contents: bool = True) -> bytes:
    """A one-page PDF filled with one colour (``"1 0 0"`` is red); *contents* False: a page without any."""
    writer = PdfWriter()
    page = writer.add_blank_page(width, height)
    if contents:
        stream = DecodedStreamObject()
        stream.set_data(f"{colour} rg 0 0 {width} {height} re f".encode())
        page.replace_contents(stream)
    data = io.BytesIO()
    writer.write(data)
    return data.getvalue()


def png_bytes(width: int = 40, height: int = 60, colour: tuple[int, int, int] = (0, 128, 0)) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(data, format="PNG")
    return data.getvalue()


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims *width* x *height* pixels (68 bytes for 30,000 x 30,000)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"")[:3] + bytes(8))
        + chunk(b"IEND", b"")
    )


def add_reports(src: Path, *reports: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Append reports to the catalogue; by id, the line of the entry and of its ``file:``."""
    catalogue = src / "catalogue.yaml"
    lines = catalogue.read_text(encoding="utf-8").splitlines()
    found = {}
    for report in reports:
        entry = {"title": f"Report {report['id']}", "working_group": "files-2021", "summary": "A report."}
        entry.update(report)
        first = len(lines) + 1
        lines.append(f"  - id: {entry.pop('id')}")
        file_line = first
        for key, value in entry.items():
            if key == "file":
                file_line = len(lines) + 1
            lines.append(f"    {key}: {value!r}" if key in ("file", "cover") else f"    {key}: {value}")
        found[report["id"]] = (first, file_line)
    catalogue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return found


def cards(app) -> dict:
    return {card["id"].removeprefix("dgx-report-"): card for card in soup(app).select(".dgx-report-card")}


class Hung(BaseException):
    """Raised by :func:`no_longer_than`: no ``except Exception`` (or ``OSError``) on the way swallows it."""


@contextmanager
def no_longer_than(seconds: int) -> Iterator[None]:
    """Fail instead of hanging for ever (what a named pipe or an endless device used to do)."""

    def stop(signum, frame):
        raise Hung(f"still running after {seconds} s: something read a pipe or a device")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- security: a file is published only under a name that says what it is -------------------------


def test_a_pdf_under_another_name_is_not_published_and_says_what_to_rename_it_to(srcdir, make_test_app):
    (srcdir / "files" / "annual-report.html").write_bytes(pdf_bytes() + SCRIPT)  # a PDF and a web page
    (srcdir / "files" / "plain.pdf").write_bytes(pdf_bytes())
    lines = add_reports(
        srcdir, {"id": "annual", "file": "annual-report.html"}, {"id": "plain", "file": "plain.pdf"}
    )
    app = make_test_app()
    app.build()
    assert parse_warnings(app.warning) == [
        (
            "catalogue.yaml",
            lines["annual"][1],
            "wrong_extension",
            "report 'annual': file 'files/annual-report.html' is a PDF named '.html': rename the file to "
            "'annual-report.pdf' (and its file: line); it is not published until then",
        )
    ]
    out = Path(app.outdir)
    assert not (out / "files" / "annual-report.html").exists() and (out / "files" / "plain.pdf").is_file()
    card = cards(app)["annual"]
    assert visible(card.select_one(".dgx-meta")) == "The file is not available yet."
    assert card.select_one(".dgx-heading a") is None and card.select_one("img.dgx-cover") is None
    assert "annual-report.html" not in (out / "index.html").read_text(encoding="utf-8")
    assert not get_domain(app.env).downloadable("annual") and get_domain(app.env).downloadable("plain")
    [listed] = [
        r
        for r in json.loads((out / "reports.json").read_text(encoding="utf-8"))["reports"]
        if r["id"] == "annual"
    ]
    assert listed["url"] is None


@pytest.mark.parametrize(
    ("name", "renamed"), [("report", "report.pdf"), ("sub/deck.PDF.htm", "sub/deck.PDF.pdf")]
)
def test_the_advice_names_the_file_with_pdf_at_its_end(tmp_path, name, renamed):
    path = tmp_path / "file.pdf"
    path.write_bytes(pdf_bytes())
    cache = facts.FactsCache(tmp_path / "cache")
    measured = facts.under_name(cache.measure(cache.key(str(path)), str(path)), name)
    assert measured.problem.subtype is Subtype.WRONG_EXTENSION
    assert f"rename the file to {renamed!r}" in measured.problem.reason
    assert not measured.problem.publishable and measured.cover is None


def test_a_pdf_named_pdf_in_any_case_is_published(srcdir, make_test_app):
    (srcdir / "files" / "Upper Case.PDF").write_bytes(pdf_bytes())
    add_reports(srcdir, {"id": "upper", "file": "Upper Case.PDF"})
    app = make_test_app()
    app.build()
    assert parse_warnings(app.warning) == []
    assert (Path(app.outdir) / "files" / "Upper Case.PDF").read_bytes() == pdf_bytes()
    assert visible(cards(app)["upper"].select_one(".dgx-meta")).startswith("PDF,")


def test_a_cover_image_is_drawn_again_as_a_png_whatever_its_name(srcdir, make_test_app):
    (srcdir / "files" / "r.pdf").write_bytes(pdf_bytes())
    (srcdir / "files" / "cover.html").write_bytes(png_bytes(300, 600) + SCRIPT)  # a PNG and a web page
    add_reports(srcdir, {"id": "r", "file": "r.pdf", "cover": "cover.html"})
    app = make_test_app()
    app.build()
    assert parse_warnings(app.warning) == []
    image = cards(app)["r"].select_one("img.dgx-cover")
    published = Path(app.outdir) / image["src"]
    assert published.parent == Path(app.outdir) / "_dgx" / "covers"
    assert facts.COVER_NAME.fullmatch(published.name)
    assert b"<script" not in published.read_bytes()
    with Image.open(published) as png:  # the site's own PNG: at most 240 wide, the image's shape kept
        assert png.format == "PNG" and png.size == (240, 480) and png.getpixel((120, 240)) == (0, 128, 0)
    assert (image["width"], image["height"]) == ("120", "240")
    stem = published.name.removesuffix(".png")  # with its copies for the report's page
    assert sorted(p.name for p in published.parent.iterdir()) == [
        f"{stem}-320.png",
        f"{stem}-640.png",
        published.name,
    ]


# -- crashes: bounded covers, and every failure one warning -----------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "cover"),
    [(1, 14400, (240, 960)), (0.01, 842, (240, 960)), (14400, 1, (240, 60)), (595, 842, (240, 340))],
)
def test_a_page_of_any_shape_gives_a_bounded_cover(tmp_path, width, height, cover):
    path = tmp_path / "shape.pdf"
    path.write_bytes(pdf_bytes(width, height))
    found = facts.inspect(path)
    assert found.page_size == (round(width, 2), round(height, 2))  # the facts keep the page's shape
    drawn = facts.render_cover(path, tmp_path / "cover.png")
    assert (drawn.width, drawn.height) == cover
    with Image.open(drawn.path) as png:
        assert png.size == cover and png.getpixel((0, 0)) == (255, 0, 0)  # the top left of the page


@pytest.mark.parametrize(
    ("width", "height", "reason"),
    [
        (0, 792, "the page has no area (0 x 792 pt)"),
        (-5, 792, "the page has no area (-5 x 792 pt)"),
        (float("nan"), 792, "the page has no area (nan x 792 pt)"),
        (1, 1e12, "the page is too large to draw (1 x 1e+12 pt)"),
    ],
)
def test_a_page_that_cannot_be_placed_is_refused_before_drawing(width, height, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        facts.cover_geometry(width, height)


def broken_reader(tmp_path: Path, monkeypatch, library, name: str) -> Path:
    """A sound one-page PDF, and *library*'s *name* (how it opens a PDF) raising what no file should."""
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes())

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero in an xref table")

    monkeypatch.setattr(library, name, broken)
    return path


def test_any_exception_of_pdfium_is_the_problem_of_that_file(tmp_path, monkeypatch):
    path = broken_reader(tmp_path, monkeypatch, pypdfium2, "PdfDocument")
    found = facts.inspect(path)
    assert found.subtype is Subtype.BAD_PDF
    assert found.reason == "cannot be read as a PDF (ZeroDivisionError: division by zero in an xref table)"
    assert found.facts == facts.FileFacts("PDF", path.stat().st_size)  # what could be read: kept


def test_any_exception_of_pypdf_keeps_the_report_out_of_the_handbook_only(tmp_path, monkeypatch):
    path = broken_reader(tmp_path, monkeypatch, pypdf, "PdfReader")
    found, caveats = facts.examine(path)
    assert isinstance(found, facts.FileFacts) and found.pages == 1 and found.includable is False
    [caveat] = caveats
    assert caveat.subtype is Subtype.NOT_IN_HANDBOOK
    assert caveat.reason.startswith(
        "its pages cannot be read for the handbook (ZeroDivisionError: division by zero in an xref "
        "table), so the handbook leaves the report out of its appendix"
    )
    # a build without the handbook does not read the file with pypdf: nothing to say
    found, caveats = facts.examine(path, frozenset())
    assert found.includable is None and found.pages == 1 and caveats == ()


def test_any_exception_while_drawing_is_one_warning_at_the_file_line(srcdir, make_test_app, monkeypatch):
    (srcdir / "files" / "r.pdf").write_bytes(pdf_bytes())
    lines = add_reports(srcdir, {"id": "r", "file": "r.pdf"})

    def out_of_memory(*args, **kwargs):
        raise MemoryError("cannot allocate 5.8 GB")

    monkeypatch.setattr(facts, "render_cover", out_of_memory)
    app = make_test_app()
    app.build()
    [found] = parse_warnings(app.warning)
    assert found[:3] == ("catalogue.yaml", lines["r"][1], "no_cover")
    assert found.message.startswith(
        "report 'r': file 'files/r.pdf': its first page cannot be drawn as a cover "
        "(MemoryError: cannot allocate"
    )
    assert "Traceback" not in app.warning.getvalue()
    card = cards(app)["r"]
    assert card.select_one("img.dgx-cover") is None and card.select_one(".dgx-heading a") is not None


def test_a_broken_or_boundless_cover_image_is_a_warning_and_the_first_page_stands_in(srcdir, make_test_app):
    (srcdir / "files" / "r.pdf").write_bytes(pdf_bytes())
    (srcdir / "files" / "garbage.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    bomb = png_claiming(30_000, 30_000)
    assert len(bomb) == 68
    (srcdir / "files" / "bomb.png").write_bytes(bomb)
    lines = add_reports(
        srcdir,
        {"id": "garbage", "file": "r.pdf", "cover": "garbage.png"},
        {"id": "bomb", "file": "r.pdf", "cover": "bomb.png"},
    )
    with no_longer_than(60):
        app = make_test_app()
        app.build()
    found = {w.line: w for w in parse_warnings(app.warning)}
    assert sorted(found) == [lines["garbage"][0], lines["bomb"][0]]
    assert {w.subtype for w in found.values()} == {"bad_cover"}
    garbage, bomb_warning = found[lines["garbage"][0]].message, found[lines["bomb"][0]].message
    assert garbage.startswith("report 'garbage': cover 'files/garbage.png' cannot be read as an image (")
    assert garbage.endswith("save it again as PNG or JPEG; the card shows the first page of its file instead")
    assert bomb_warning == (
        "report 'bomb': cover 'files/bomb.png' is more than the 40 megapixels a cover may have: save it "
        "smaller (the card shows it 120 pixels wide); the card shows the first page of its file instead"
    )
    for report in ("garbage", "bomb"):
        assert cards(app)[report].select_one("img.dgx-cover")["width"] == "120"


def test_an_image_too_large_is_refused_before_it_is_decoded(tmp_path, monkeypatch):
    path = tmp_path / "large.png"
    path.write_bytes(png_claiming(8000, 6000))  # 48 megapixels: under Pillow's own limit, over ours
    monkeypatch.setattr(facts, "_pillow_bounded", lambda: _unbounded())
    with pytest.raises(facts.CoverRefusedError, match="is 8000 x 6000 pixels, more than the 40 megapixels"):
        facts.cover_image(path)


@contextmanager
def _unbounded() -> Iterator[None]:
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def test_pillow_limit_is_set_while_reading_a_cover_and_put_back(tmp_path):
    saved = Image.MAX_IMAGE_PIXELS
    with facts._pillow_bounded():
        assert Image.MAX_IMAGE_PIXELS * 2 == facts.MAX_IMAGE_PIXELS
    assert Image.MAX_IMAGE_PIXELS == saved


def test_an_output_folder_that_cannot_be_written_is_a_warning(srcdir, make_test_app):
    (srcdir / "files" / "r.pdf").write_bytes(pdf_bytes())
    lines = add_reports(srcdir, {"id": "r", "file": "r.pdf"})
    app = make_test_app()
    out = Path(app.outdir)
    (out / "_dgx").mkdir(parents=True)
    (out / "_dgx" / "covers").write_text("a file where the covers' folder should be")
    (out / "files").write_text("a file where the files' folder should be")
    app.build()
    found = sorted(parse_warnings(app.warning))
    assert [w[:3] for w in found] == [
        ("catalogue.yaml", lines["r"][0], "publish_failed"),
        ("catalogue.yaml", lines["r"][1], "publish_failed"),
    ]
    cover, file = found[0].message, found[1].message
    assert (
        cover.startswith("report 'r': cover '_dgx/covers/") and "could not be written to the output" in cover
    )
    assert file.startswith("report 'r': file 'files/r.pdf' could not be written to the output folder (")
    assert file.endswith(
        "make the output folder writable (a file where a folder should be: remove it) and build again"
    )


def test_two_builds_saving_the_cache_at_once_both_succeed(tmp_path, monkeypatch):
    """The second build writes its index while the first is between writing and renaming its own."""
    folder = tmp_path / "cache"
    first, second = facts.FactsCache(folder), facts.FactsCache(folder)
    for cache, name in ((first, "a.pdf"), (second, "b.pdf")):
        path = tmp_path / name
        path.write_bytes(pdf_bytes(colour="0 0 1" if name == "a.pdf" else "0 1 0"))
        cache.measure(cache.key(str(path)), str(path))
    replace, inside = os.replace, []

    def interleaved(source, target):
        if not inside:
            inside.append(True)
            assert second.save()  # the other build, all at once, in the middle of this one
        replace(source, target)

    monkeypatch.setattr(os, "replace", interleaved)
    assert first.save()
    monkeypatch.setattr(os, "replace", replace)
    assert [p.name for p in folder.iterdir() if p.suffix == ".tmp"] == []
    assert facts.FactsCache(folder).entries  # a whole index, the last one written


def test_a_cache_in_a_folder_that_cannot_be_written_does_not_stop_the_build(tmp_path):
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes())
    cache = facts.FactsCache(tmp_path / "cache")
    measured = cache.measure(cache.key(str(path)), str(path))
    assert measured.facts.pages == 1 and measured.cover is None
    assert [c.subtype for c in measured.caveats] == [Subtype.NO_COVER]
    assert "its cover cannot be saved in" in measured.caveats[0].reason
    assert cache.save() is False


def test_a_file_replaced_with_an_older_time_is_shown_anew_by_an_incremental_build(srcdir, make_test_app):
    """A file replaced by another that keeps an old modification time (unzip, ``cp -p``, ``rsync -a``):
    Sphinx's dependency on the file's time does not see it; the content does, and the page showing
    the report is read again with the new file's facts and cover."""
    report = srcdir / "files" / "r.pdf"
    report.write_bytes(pdf_bytes(colour="1 0 0"))
    add_reports(srcdir, {"id": "r", "file": "r.pdf"})
    first = make_test_app()
    first.build()
    before = cards(first)["r"].select_one("img.dgx-cover")["src"]
    first.cleanup()
    same_size_and_time(report, pdf_bytes(colour="0 0 1"))
    again = make_test_app(freshenv=False)
    again.build()
    after = cards(again)["r"].select_one("img.dgx-cover")["src"]
    assert after != before and not (Path(again.outdir) / before).exists()
    with Image.open(Path(again.outdir) / after) as drawn:
        assert colour_of(drawn.getpixel((10, 10))) == "blue"
    again.cleanup()
    last = make_test_app(freshenv=False)
    last.build()  # nothing changed since: no page read again
    assert "0 added, 0 changed, 0 removed" in last.status.getvalue()


def test_a_cover_image_replaced_with_an_older_time_is_shown_anew(srcdir, make_test_app):
    cover = srcdir / "files" / "cover.png"
    cover.write_bytes(png_bytes(colour=(255, 0, 0)))
    (srcdir / "files" / "r.pdf").write_bytes(pdf_bytes())
    add_reports(srcdir, {"id": "r", "file": "r.pdf", "cover": "cover.png"})
    first = make_test_app()
    first.build()
    before = cards(first)["r"].select_one("img.dgx-cover")["src"]
    first.cleanup()
    same_size_and_time(cover, png_bytes(colour=(0, 255, 0)))
    again = make_test_app(freshenv=False)
    again.build()
    after = cards(again)["r"].select_one("img.dgx-cover")["src"]
    assert after != before and (Path(again.outdir) / after).is_file()
    with Image.open(Path(again.outdir) / after) as shown:
        assert shown.convert("RGB").getpixel((5, 5)) == (0, 255, 0)


def test_after_an_update_that_draws_covers_anew_no_page_shows_a_cover_that_is_gone(
    srcdir, make_test_app, monkeypatch
):
    """A version whose covers are named otherwise (its facts cache has a new format): the pages are
    read and written again, since the environment was made with the old covers."""
    (srcdir / "files" / "r.pdf").write_bytes(pdf_bytes())
    add_reports(srcdir, {"id": "r", "file": "r.pdf"})
    first = make_test_app()
    first.build()
    before = cards(first)["r"].select_one("img.dgx-cover")["src"]
    first.cleanup()
    named = facts.cover_name
    monkeypatch.setattr(
        facts,
        "cover_name",
        lambda key, suffix=facts.DRAWN: named(f"{int(key[0], 16) ^ 1:x}{key[1:]}", suffix),
    )
    monkeypatch.setattr(facts.FactsCache, "VERSION", facts.FactsCache.VERSION + 1)
    again = make_test_app(freshenv=False)  # the environment of the first build, as after an update
    again.build()
    after = cards(again)["r"].select_one("img.dgx-cover")["src"]
    assert after != before and (Path(again.outdir) / after).is_file()
    assert not (Path(again.outdir) / before).exists()  # the old cover is not published any more


def test_a_file_without_pages_is_told_apart_from_an_encrypted_one_in_any_order(tmp_path):
    """pdfium's error code can be one an earlier file left: after an encrypted file, a file without
    pages was said to be encrypted too (one process measures many files, in any order)."""
    files = TESTS / "roots" / "test-cards" / "files"
    said = {"encrypted.pdf": "is encrypted (password-protected)", "no-pages.pdf": "has no pages"}
    for order in (["encrypted.pdf", "no-pages.pdf"], ["no-pages.pdf", "encrypted.pdf"]):
        for index, name in enumerate(order * 2):
            found, _ = facts.measure_file(tmp_path / "c", tmp_path / "t", f"{index:064x}", str(files / name))
            assert (name, found.problem.reason) == (name, said[name])


def test_only_temporaries_untouched_for_an_hour_are_removed(tmp_path):
    old = time.time() + regular.STALE_AFTER + 60  # as if an hour had passed since every file changed
    (tmp_path / "covers").mkdir()
    temporaries = [tmp_path / ".index.json.x1y2.tmp", tmp_path / "covers" / ".ab.jpg.123-7f.tmp"]
    kept = [tmp_path / "index.json", tmp_path / "covers" / "ab.jpg", tmp_path / "notes.tmp"]
    for path in (*temporaries, *kept):
        path.write_bytes(b"x")
    (tmp_path / ".folder.tmp").mkdir()  # not a file: not ours
    (tmp_path / ".link.tmp").symlink_to(tmp_path / "index.json")
    assert regular.remove_stale_temporaries(tmp_path) == 0  # just written: a build may be writing them
    assert all(path.exists() for path in temporaries)
    assert regular.remove_stale_temporaries(tmp_path, now=old) == 2
    assert not any(path.exists() for path in temporaries)
    assert all(path.exists() for path in kept)
    assert (tmp_path / ".folder.tmp").is_dir() and (tmp_path / ".link.tmp").is_symlink()
    assert regular.remove_stale_temporaries(tmp_path / "missing", now=old) == 0


def test_a_file_is_written_under_a_temporary_name_of_its_own_then_put_in_place(tmp_path, monkeypatch):
    target = tmp_path / "reports.json"
    names = [regular.temporary_beside(target) for _ in range(3)]
    assert len(set(names)) == 3
    assert all(os.path.dirname(name) == str(tmp_path) for name in names)
    assert all(regular.TEMPORARY.fullmatch(os.path.basename(name)) for name in names)  # tidied if left
    # one left by an earlier process of the same number is passed over, not written into
    monkeypatch.setattr(regular, "_numbers", itertools.chain([7], itertools.count(7)))
    left = tmp_path / f".reports.json.{os.getpid()}-7.tmp"
    left.write_bytes(b"someone else's")
    descriptor, name = regular.create_temporary(target)
    os.close(descriptor)
    assert name == str(tmp_path / f".reports.json.{os.getpid()}-8.tmp")
    assert left.read_bytes() == b"someone else's"
    assert os.stat(name).st_mode & 0o777 == 0o600
    regular.write_atomically(target, b"[]")
    assert target.read_bytes() == b"[]"


def test_a_file_with_the_longest_name_a_file_system_allows_is_published(tmp_path):
    """Its temporary name repeats only the start of its name (255 bytes: the name, then
    ``.<pid>-<n>.tmp``, would be too long)."""
    for index, name in enumerate(("a" * 251 + ".pdf", "é" * 125 + ".pdf")):  # 255 bytes each
        source = tmp_path / name
        source.write_bytes(pdf_bytes())
        target = tmp_path / f"out{index}" / name
        assert publishing.publish_or_warn(source, target, "catalogue.yaml:1", "file")
        assert target.read_bytes() == pdf_bytes()
        regular.write_atomically(target, b"again")
        assert target.read_bytes() == b"again"
        assert sorted(path.name for path in target.parent.iterdir()) == [name]  # no temporary left


@pytest.mark.parametrize("written", ["./sub/r.pdf", "sub//r.pdf", "sub/./r.pdf"])
def test_a_file_named_with_dots_or_doubled_slashes_is_published_and_kept(srcdir, make_test_app, written):
    """The published copy is named as the file is, however the catalogue writes the path; the
    removal of stale copies does not take it for another file."""
    (srcdir / "files" / "sub").mkdir()
    (srcdir / "files" / "sub" / "r.pdf").write_bytes(pdf_bytes())
    add_reports(srcdir, {"id": "r", "file": written})
    for _ in range(2):  # the first build publishes it, the second finds it there
        app = make_test_app()
        app.build()
        assert (Path(app.outdir) / "files" / "sub" / "r.pdf").read_bytes() == pdf_bytes()
        app.cleanup()


def test_a_build_tidies_what_a_stopped_build_left_in_its_cache(srcdir, make_test_app, monkeypatch):
    (srcdir / "files" / "r.pdf").write_bytes(pdf_bytes())
    add_reports(srcdir, {"id": "r", "file": "r.pdf"})
    first = make_test_app()
    first.build()
    cache = Path(first.doctreedir) / "dgx-cache"
    covers = sorted((cache / "covers").iterdir())
    left = [cache / "covers" / f".{covers[0].name}.4242-7f00.tmp", cache / ".index.json.k3j_x.tmp"]
    for path in left:
        path.write_bytes(b"half a file")
    (cache / "feeds-html.key").write_text("0" * 64)  # the feeds' stamp of an earlier version
    first.cleanup()
    again = make_test_app()
    again.build()  # the temporaries were written a moment ago: a build beside this one may own them
    assert all(path.exists() for path in left) and not (cache / "feeds-html.key").exists()
    again.cleanup()
    monkeypatch.setattr(regular, "STALE_AFTER", -1)  # as if an hour had passed
    last = make_test_app()
    last.build()
    assert not any(path.exists() for path in left)
    assert sorted((cache / "covers").iterdir()) == covers and (cache / "index.json").is_file()
    assert parse_warnings(last.warning) == []


# -- hangs: only regular files are read, and the catalogue only up to a limit --------------------


def test_a_named_pipe_as_report_file_or_cover_is_refused_without_waiting(srcdir, make_test_app):
    (srcdir / "files" / "r.pdf").write_bytes(pdf_bytes())
    os.mkfifo(srcdir / "files" / "pipe.pdf")
    os.mkfifo(srcdir / "files" / "pipe.png")
    lines = add_reports(
        srcdir, {"id": "pipe", "file": "pipe.pdf"}, {"id": "covered", "file": "r.pdf", "cover": "pipe.png"}
    )
    with no_longer_than(60):  # the app reads the catalogue and measures the files when it is made
        app = make_test_app()
        app.build()
    found = sorted(parse_warnings(app.warning))
    assert [w[:3] for w in found] == [
        ("catalogue.yaml", lines["pipe"][1], "missing_file"),
        ("catalogue.yaml", lines["covered"][1] + 1, "missing_file"),
    ]
    assert found[0].message == (
        "report 'pipe': file 'files/pipe.pdf' cannot be read: it is a named pipe, not a regular file; "
        "put the file itself there"
    )
    assert "'files/pipe.png' cannot be read: it is a named pipe" in found[1].message


@pytest.mark.parametrize("kind", ["device", "pipe"])
def test_a_catalogue_that_is_not_a_file_is_refused_at_the_setting(srcdir, make_test_app, kind):
    catalogue = srcdir / "catalogue.yaml"
    catalogue.unlink()
    if kind == "device":
        catalogue.symlink_to("/dev/zero")  # endless
    else:
        os.mkfifo(catalogue)
    with no_longer_than(60):  # the app reads the catalogue when it is made
        app = make_test_app()
        app.build()
    [found] = parse_warnings(app.warning)
    assert found[:3] == ("conf.py", 4, "missing_catalogue")  # the dgx_catalogue line
    shown = "a device" if kind == "device" else "a named pipe"
    assert found.message.startswith(
        f"cannot read the catalogue: it is {shown}, not a regular file: "
        "point dgx_catalogue at the YAML file ("
    )


@pytest.mark.sphinx("html", testroot="files", confoverrides={"dgx_catalogue_max_bytes": 100})
def test_a_catalogue_over_the_limit_is_not_read(app):
    app.build()
    [found] = parse_warnings(app.warning)
    assert found[:3] == ("conf.py", 4, "catalogue_too_large")
    assert found.message.startswith(
        "the catalogue is larger than dgx_catalogue_max_bytes (100 bytes): point dgx_catalogue at the "
        "catalogue itself, or raise dgx_catalogue_max_bytes in conf.py ("
    )
    assert not get_domain(app.env).catalogue.readable


@pytest.mark.sphinx("html", testroot="files", confoverrides={"dgx_catalogue_max_bytes": 0})
def test_the_catalogue_limit_is_a_whole_number_above_zero(app):
    app.build()
    assert [w[2:] for w in parse_warnings(app.warning)] == [
        ("config", "dgx_catalogue_max_bytes must be a whole number above 0, not 0; using 10485760")
    ]


def test_reading_is_bounded_and_refuses_what_is_not_a_regular_file(tmp_path):
    text = tmp_path / "text"
    text.write_bytes(b"x" * 11)
    assert regular.read_bounded(text, 11) == b"x" * 11
    with pytest.raises(regular.TooLargeError):
        regular.read_bounded(text, 10)
    os.mkfifo(tmp_path / "pipe")
    with no_longer_than(20):
        assert (
            facts.inspect(tmp_path / "pipe").reason
            == "cannot be read: it is a named pipe, not a regular file"
        )
        with pytest.raises(regular.NotRegularFileError):
            facts.FactsCache(tmp_path / "cache").key(str(tmp_path / "pipe"))
        with pytest.raises(regular.NotRegularFileError):
            publishing.publish(tmp_path / "pipe", tmp_path / "copy")
        with pytest.raises(regular.NotRegularFileError):
            regular.read_bounded("/dev/zero", 10)


# -- stale: the content decides --------------------------------------------------------------------


def same_size_and_time(path: Path, data: bytes) -> None:
    """Replace *path* with *data* of the same size, and set its modification time back."""
    before = path.stat()
    assert len(data) == before.st_size
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def colour_of(pixel: tuple[int, int, int]) -> str:
    """The colour a drawn cover's pixel is, within what its JPEG changes."""
    named = {"red": (255, 0, 0), "blue": (0, 0, 255)}
    near = [
        name
        for name, value in named.items()
        if all(abs(a - b) < 8 for a, b in zip(pixel, value, strict=True))
    ]
    return near[0] if near else f"none of {sorted(named)}: {pixel}"


def test_a_file_replaced_with_the_same_size_and_time_is_measured_and_published_again(srcdir, make_test_app):
    report = srcdir / "files" / "r.pdf"
    red, blue = pdf_bytes(colour="1 0 0"), pdf_bytes(colour="0 0 1")
    report.write_bytes(red)
    add_reports(srcdir, {"id": "r", "file": "r.pdf"})
    first = make_test_app()
    first.build()
    cover = Path(first.outdir) / cards(first)["r"].select_one("img.dgx-cover")["src"]
    with Image.open(cover) as drawn:
        assert colour_of(drawn.getpixel((10, 10))) == "red"
    first.cleanup()
    same_size_and_time(report, blue)
    again = make_test_app(freshenv=True)  # sphinx-build -E -a
    again.build()
    assert (Path(again.outdir) / "files" / "r.pdf").read_bytes() == blue
    cover = Path(again.outdir) / cards(again)["r"].select_one("img.dgx-cover")["src"]
    with Image.open(cover) as drawn:
        assert colour_of(drawn.getpixel((10, 10))) == "blue"
    assert "dgx: report files: 1 measured, 0 from the cache" in again._status.getvalue()


def test_publish_compares_the_content_when_size_and_time_agree(tmp_path):
    source, target = tmp_path / "r.pdf", tmp_path / "out" / "r.pdf"
    target.parent.mkdir()
    source.write_bytes(b"%PDF-1 first")
    publishing.publish(source, target)
    same_size_and_time(source, b"%PDF-1 other")
    publishing.publish(source, target)
    assert target.read_bytes() == b"%PDF-1 other"
    assert target.stat().st_mtime_ns == source.stat().st_mtime_ns
    assert [p.name for p in target.parent.iterdir()] == ["r.pdf"]  # no temporary file left


def test_an_unchanged_copy_is_not_read_again(tmp_path, monkeypatch):
    source, target = tmp_path / "r.pdf", tmp_path / "out" / "r.pdf"
    target.parent.mkdir()
    source.write_bytes(b"%PDF-1 first")
    publishing.publish(source, target)
    monkeypatch.setattr(publishing, "same_content", lambda *paths: pytest.fail("compared an unchanged copy"))
    publishing.publish(source, target)  # the copy is newer than the source's last change


def test_covers_are_published_as_links_to_the_cache_readable_by_all(srcdir, make_test_app):
    (srcdir / "files" / "r.pdf").write_bytes(pdf_bytes())
    add_reports(srcdir, {"id": "r", "file": "r.pdf"})
    app = make_test_app()
    app.build()
    cover = get_domain(app.env).cover("r")
    assert cover is not None and len(cover.files) == 3  # the card's, and the report page's two
    for path in cover.files:
        published = Path(app.outdir, publishing.COVERS_URL_DIR, Path(path).name).stat()
        cached = Path(path).stat()
        assert (published.st_dev, published.st_ino) == (cached.st_dev, cached.st_ino)
        assert published.st_mode & 0o777 == 0o644
    # the cache puts a new file in place of one it changes: the link keeps what it was made with
    card = Path(cover.path)
    before = (Path(app.outdir) / publishing.COVERS_URL_DIR / card.name).read_bytes()
    regular.write_atomically(card, b"another drawing")
    assert (Path(app.outdir) / publishing.COVERS_URL_DIR / card.name).read_bytes() == before


def test_a_cover_is_copied_where_the_output_cannot_link_to_the_cache(tmp_path, monkeypatch):
    source, target = tmp_path / "cache" / "c.png", tmp_path / "out" / "c.png"
    source.parent.mkdir()
    target.parent.mkdir()
    source.write_bytes(png_bytes())

    def other_file_system(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(publishing.os, "link", other_file_system)
    assert publishing.publish_or_warn(source, target, "catalogue.yaml:1", "cover", from_cache=True)
    assert target.read_bytes() == source.read_bytes() and target.stat().st_ino != source.stat().st_ino
    assert [p.name for p in target.parent.iterdir()] == ["c.png"]  # no temporary left


def test_stale_files_and_the_folders_they_leave_empty_are_removed(tmp_path):
    root = tmp_path / "files"
    for name in ("2021/keep.pdf", "2021/old.pdf", "gone/sub/old.pdf", "top.pdf", ".tmp-left.pdf"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"%PDF-1")
    publishing.remove_stale(root, keep={root / "2021" / "keep.pdf", root / "top.pdf"})
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        "2021",
        "2021/keep.pdf",
        "top.pdf",
    ]
    publishing.remove_stale(root, keep=set())
    assert root.is_dir() and not any(root.iterdir())  # the root itself stays
    publishing.remove_stale(tmp_path / "none", keep=set())  # no folder: nothing to do


@pytest.mark.parametrize("kernel", [True, False], ids=["sendfile", "in-blocks"])
def test_a_copy_holds_the_source_whatever_copies_it(tmp_path, monkeypatch, kernel):
    source, target = tmp_path / "r.pdf", tmp_path / "out" / "r.pdf"
    target.parent.mkdir()
    data = os.urandom(3 << 20) + b"%%EOF"  # more than one block
    source.write_bytes(data)
    if not kernel:

        def cannot(*args):
            raise OSError(22, "Invalid argument")

        monkeypatch.setattr(publishing.os, "sendfile", cannot)
    publishing.publish(source, target)
    assert target.read_bytes() == data and target.stat().st_mtime_ns == source.stat().st_mtime_ns


def test_a_file_hashed_well_after_its_last_change_is_not_hashed_again(tmp_path, monkeypatch):
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes())
    cache = facts.FactsCache(tmp_path / "cache")
    key = cache.key(str(path))
    cache.stats[str(path)][5] += 10 * facts.RACY_NS  # as if hashed long after it was written
    monkeypatch.setattr(facts, "digest_of", lambda path: pytest.fail("hashed an unchanged file"))
    assert cache.key(str(path)) == key


def hashed_then_replaced(tmp_path: Path) -> tuple[facts.FactsCache, Path, str]:
    """A cache that hashed a red PDF, the file now a blue one of the same size and time, and the red key."""
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes(colour="1 0 0"))
    cache = facts.FactsCache(tmp_path / "cache")
    key = cache.key(str(path))
    same_size_and_time(path, pdf_bytes(colour="0 0 1"))
    return cache, path, key


def test_a_file_replaced_with_the_same_size_and_time_has_a_new_key(tmp_path):
    cache, path, key = hashed_then_replaced(tmp_path)
    assert cache.key(str(path)) == facts.digest_of(path) != key


def test_a_file_changed_just_after_it_was_hashed_is_hashed_again(tmp_path):
    """Its change time may equal the one noted (a coarse clock): noted too close to it, it proves nothing."""
    cache, path, key = hashed_then_replaced(tmp_path)
    now = path.stat()
    cache.stats[str(path)] = [now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino, key, time.time_ns()]
    assert cache.key(str(path)) != key


# -- the handbook: a page it cannot include --------------------------------------------------------


def handbook_site(srcdir: Path) -> dict[str, tuple[int, int]]:
    (srcdir / "files" / "empty-page.pdf").write_bytes(pdf_bytes(contents=False))
    (srcdir / "files" / "fine.pdf").write_bytes(pdf_bytes())
    return add_reports(srcdir, {"id": "empty", "file": "empty-page.pdf"}, {"id": "fine", "file": "fine.pdf"})


@pytest.mark.sphinx("latex", testroot="files", srcdir="files-latex", freshenv=True)
def test_a_page_without_content_leaves_the_report_out_of_the_appendix(srcdir, make_test_app):
    lines = handbook_site(srcdir)
    app = make_test_app()
    app.build()
    assert parse_warnings(app.warning) == [
        (
            "catalogue.yaml",
            lines["empty"][1],
            "not_in_handbook",
            "report 'empty': file 'files/empty-page.pdf': page 1 has no content stream, so the handbook "
            "leaves the report out of its appendix: export the PDF again (print it to PDF)",
        )
    ]
    domain = get_domain(app.env)
    assert domain.facts("empty").includable is False and domain.downloadable("empty")
    assert not publishing.in_appendix(domain, domain.catalogue.reports_by_id["empty"])
    assert sorted(p.name for p in (Path(app.outdir) / publishing.APPENDIX_DIR).iterdir()) == ["fine.pdf"]


@pytest.mark.slow
@pytest.mark.sphinx("latex", testroot="files", srcdir="files-tex", freshenv=True)
def test_the_handbook_is_written_when_a_report_has_a_page_without_content(srcdir, tmp_path):
    require_tools(*handbook.TOOLS)
    handbook_site(srcdir)
    latex = tmp_path / "latex"
    handbook.sphinx("latex", srcdir, latex, tmp_path / "doctrees")  # warns (not_in_handbook): no -W
    pdf = handbook.latexmk(latex, handbook.jobname_of(latex))
    assert pdf.stat().st_size > 0


# -- fuzz: any page shape ---------------------------------------------------------------------------

SIZES = st.floats(min_value=0.01, max_value=20_000, allow_nan=False, allow_infinity=False)


@given(width=SIZES, height=SIZES)
def test_any_page_shape_is_measured_and_drawn_within_bounds(width, height):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "page.pdf")
        path.write_bytes(pdf_bytes(width, height))
        found = facts.inspect(path)
        assert isinstance(found, facts.FileFacts) and found.pages == 1 and found.includable
        cover = facts.render_cover(path, Path(folder, "cover.png"))
        assert cover.width == facts.COVER_WIDTH
        assert cover.width * cover.height <= facts.MAX_COVER_PIXELS
        low, high = facts.COVER_RATIO
        assert low * cover.width - 1 <= cover.height <= high * cover.width
        with Image.open(cover.path) as png:
            assert png.size == (cover.width, cover.height)
