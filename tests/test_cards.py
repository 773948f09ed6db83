"""Report cards: facts measured from the files, covers rendered once, names that say what a link opens."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from PIL import Image
from pypdf import PdfReader

from sphinx_dgx.facts import FactsCache, human_size, inspect, render_cover
from sphinx_dgx.problems import Subtype
from support import REPO, accessible_name, located, shared_build, soup, visible

FILES = REPO / "files"
# The tests that only read the HTML build of test-cards share it
CARDS = shared_build("html", testroot="cards", freshenv=True)


def cards(app) -> dict:
    return {card["id"].removeprefix("dgx-report-"): card for card in soup(app).select(".dgx-report-card")}


# -- facts -------------------------------------------------------------------------


@pytest.mark.parametrize("pdf", sorted(FILES.glob("*.pdf")), ids=lambda p: p.name)
def test_facts_of_the_stand_ins_equal_what_pypdf_reports(pdf):
    facts = inspect(pdf)
    reader = PdfReader(pdf)
    assert facts.format == "PDF" and facts.format_name == "Portable Document Format"
    assert facts.bytes == os.path.getsize(pdf)
    assert facts.pages == len(reader.pages)
    box = reader.pages[0].mediabox
    assert facts.page_size == (round(float(box.width), 2), round(float(box.height), 2))


def test_the_format_is_read_from_the_content_not_the_name(tmp_path):
    disguised = tmp_path / "report.docx"
    shutil.copyfile(next(FILES.glob("*.pdf")), disguised)
    assert inspect(disguised).format == "PDF"
    fake = tmp_path / "fake.pdf"
    fake.write_text("<html>not a pdf</html>")
    assert inspect(fake).subtype is Subtype.NOT_PDF


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1.0 KB"),
        (5731, "5.6 KB"),
        (10 * 1024, "10 KB"),
        (1_258_291, "1.2 MB"),
        (250 * 1024 * 1024, "250 MB"),
    ],
)
def test_sizes_read_like_govuk_attachments(count, expected):
    assert human_size(count) == expected


def test_a_cover_is_drawn_for_every_page_size(tmp_path):
    for pdf in FILES.glob("*.pdf"):
        cover = render_cover(pdf, tmp_path / f"{pdf.stem}.png")
        width, height = inspect(pdf).page_size
        with Image.open(cover.path) as image:
            assert image.format == "PNG" and image.size == (cover.width, cover.height) == (240, image.height)
        assert abs(cover.height / cover.width - height / width) < 0.01, pdf.name


def test_the_cache_measures_each_content_once(tmp_path):
    source = next(FILES.glob("*.pdf"))
    copy = tmp_path / "renamed copy.pdf"
    shutil.copyfile(source, copy)
    cache = FactsCache(tmp_path / "cache")
    key = cache.key(str(source))
    assert cache.get(key) is None
    first = cache.measure(key, str(source))
    assert cache.key(str(copy)) == key  # same content, same entry
    cache.save()
    again = FactsCache(tmp_path / "cache")
    assert again.get(key) == first
    # a changed file is measured again
    shutil.copyfile(FILES / "dgx_2021_digital_identity_in_response_to_covid-19.pdf", copy)
    assert again.key(str(copy)) != key


# -- cards ---------------------------------------------------------------------------


@CARDS
def test_bad_pdfs_warn_at_their_catalogue_line_and_their_cards_still_render(built, warning):
    found = located(warning)
    assert found == [("catalogue.yaml", line, "bad_pdf") for line in (22, 27, 32)]  # their file: lines
    text = warning.getvalue()
    assert "report 'encrypted': file 'files/encrypted.pdf' is encrypted (password-protected)" in text
    assert "report 'corrupt': file 'files/corrupt.pdf' cannot be read as a PDF" in text
    assert "report 'no-pages': file 'files/no-pages.pdf' has no pages" in text
    shown = cards(built)
    assert visible(shown["encrypted"].select_one(".dgx-meta")) == "PDF, 6.0 KB"
    assert visible(shown["corrupt"].select_one(".dgx-meta")) == "PDF, 400 bytes"
    for broken in ("encrypted", "corrupt", "no-pages"):
        assert shown[broken].select_one("img.dgx-cover") is None
        assert shown[broken].select_one(".dgx-heading a")["href"] == f"reports/{broken}.html"
        assert shown[broken].select_one(".dgx-meta a")["href"].startswith("files/")


@CARDS
def test_a_card_shows_its_facts_with_the_format_as_an_abbreviation(built):
    card = cards(built)["slides"]
    meta = card.select_one(".dgx-meta")
    assert visible(meta) == "PDF, 6.5 KB, 6 pages"
    abbr = meta.select_one("abbr")
    assert (abbr.get_text(), abbr["title"]) == ("PDF", "Portable Document Format")


@CARDS
def test_the_title_leads_to_the_reports_page_and_the_facts_download_it(built):
    title = cards(built)["slides"].select_one(".dgx-heading a")
    assert accessible_name(title) == visible(title) == "Slides & more"
    assert title["href"] == "reports/slides.html"
    assert (Path(built.outdir) / "reports" / "slides.html").is_file()
    link = cards(built)["slides"].select_one(".dgx-meta a")
    assert accessible_name(link) == "Download Slides & more, PDF, 6.5 KB, 6 pages"
    assert visible(link) == "PDF, 6.5 KB, 6 pages"
    assert unquote(link["href"]) == "files/Slides 2021 - Final.pdf"
    outside = cards(built)["elsewhere"].select_one(".dgx-heading a")
    assert accessible_name(outside) == "Elsewhere, web page at example.org (opens in a new tab)"


@CARDS
def test_a_cover_is_decorative_sized_and_lazy(built):
    card = cards(built)["slides"]
    image = card.select_one("img.dgx-cover")
    assert image["alt"] == "" and image["loading"] == "lazy"
    assert (image["width"], image["height"]) == ("120", "68")  # a 16:9 slide, at half its 240 pixels
    assert image["src"].endswith(".jpg")  # a page drawn by the site
    with Image.open(Path(built.outdir) / image["src"]) as drawn:
        assert drawn.format == "JPEG" and drawn.size == (240, 135)
    css = (Path(built.outdir) / "_static" / "dgx.css").read_text()
    assert re.search(r"@media print\s*{\s*\.dgx-cover\s*{\s*display: none", css)


@CARDS
def test_a_report_may_name_its_own_cover(built):
    image = cards(built)["own-cover"].select_one("img.dgx-cover")
    own = Path(built.srcdir) / "files" / "own-cover.png"
    with Image.open(Path(built.outdir) / image["src"]) as published, Image.open(own) as given:
        assert image["src"].endswith(".png") and published.format == "PNG"  # drawn again by the site
        assert published.tobytes() == given.convert(published.mode).tobytes()
    assert (image["width"], image["height"]) == ("100", "140")


@CARDS
def test_file_cards_offer_an_accessible_format_by_email(built):
    shown = cards(built)
    link = shown["slides"].select_one(".dgx-request a")
    assert link.get_text() == "Request an accessible format"
    href = urlsplit(unquote(link["href"].replace("&#64;", "@")))
    assert (href.scheme, href.path) == ("mailto", "tmo@tech.gov.sg")
    assert parse_qs(urlsplit(link["href"]).query)["subject"] == [
        "Request for an accessible format: Slides & more"
    ]
    assert shown["elsewhere"].select_one(".dgx-request") is None


@pytest.mark.sphinx("html", testroot="cards", freshenv=True, confoverrides={"dgx_contact_email": ""})
def test_no_request_link_without_a_contact(built):
    assert all(card.select_one(".dgx-request") is None for card in cards(built).values())


@pytest.mark.sphinx("html", testroot="cards", srcdir="cards-rebuild", freshenv=True)
def test_a_rebuild_with_no_change_measures_and_renders_nothing(app, make_app):
    first = app
    first.build()
    assert "dgx: report files: 5 measured, 0 from the cache" in first._status.getvalue()
    covers = sorted((Path(first.doctreedir) / "dgx-cache" / "covers").iterdir())
    stamps = [p.stat().st_mtime_ns for p in covers]
    first.cleanup()
    again = make_app("html", srcdir=first.srcdir, freshenv=True)  # even a fresh environment reuses the cache
    again.build()
    assert "dgx: report files: 0 measured, 5 from the cache" in again._status.getvalue()
    assert [p.stat().st_mtime_ns for p in covers] == stamps


@pytest.mark.sphinx("text", testroot="cards", freshenv=True)
def test_covers_stay_out_of_text_output(built):
    text = (Path(built.outdir) / "index.txt").read_text()
    assert "[image" not in text and "Slides & more" in text


@CARDS
def test_every_node_of_a_card_knows_its_page(built):
    """Docutils asks a node for its document each time a node is added under it: a node made apart
    from the page and never told walks up to the page each time (and with no page above, raises and
    catches an error). Every element the directives make is told its page as it is read."""
    from docutils import nodes

    from sphinx_dgx.nodes import dgx_report_card, dgx_working_group

    doctree = built.env.get_doctree("index")
    entries = [*doctree.findall(dgx_report_card), *doctree.findall(dgx_working_group)]
    assert entries
    for entry in entries:
        told = [node.__dict__.get("_document") for node in entry.findall(nodes.Element)]
        assert all(document is doctree for document in told), entry["ids"]
