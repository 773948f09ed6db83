"""Hostile text stays text, and Singapore's four official languages keep their glyphs: in HTML and PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from sphinx_dgx import handbook
from support import TESTS, require_tools, shared_build, soup, visible

ROOT = TESTS / "roots" / "test-hostile"
CATALOGUE = yaml.safe_load((ROOT / "catalogue.yaml").read_text(encoding="utf-8"))
TEXTS = [
    *(g[key] for g in CATALOGUE["working_groups"] for key in ("name", "summary")),
    *(r[key] for r in CATALOGUE["reports"] for key in ("title", "summary", "reference") if key in r),
]
HOSTILE = [t for t in TEXTS if re.search(r"[<>&%$#_{}~^\\`*]", t)]
LANGUAGES = {"Malay": "Kerajaan digital", "Chinese": "数字政府交流", "Tamil": "டிஜிட்டல்"}
# The tests of the HTML build share it
HOSTILE_HTML = shared_build("html", testroot="hostile", freshenv=True)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@HOSTILE_HTML
def test_hostile_text_appears_literally_in_the_html(built, warning):
    page = soup(built)
    article = page.select_one("article")
    shown = visible(article)
    for text in HOSTILE:
        assert squeeze(text) in shown, text
    # nothing an editor typed became markup or code
    assert article.select("script, img:not(.dgx-cover), b, iframe, [onerror]") == []
    assert "javascript:" not in " ".join(a.get("href", "") for a in page.select("a"))
    for script in page.select("script"):  # only the site's own scripts, and data that stays data
        assert script.get("src") or script.get("type") == "application/ld+json" or "alert" not in script.text
    raw = (Path(built.outdir) / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<img src=x" not in raw
    assert warning.getvalue() == ""


@HOSTILE_HTML
def test_the_four_languages_render_in_the_html(built):
    shown = visible(soup(built))
    assert "English: Digital government." in shown
    for language, sample in LANGUAGES.items():
        assert sample in shown, language


@pytest.fixture(scope="module")
def hostile_pdf(tmp_path_factory) -> Path:
    require_tools(*handbook.TOOLS)
    # the log check fails the build on any "Missing character" (a glyph the fonts lack); the build
    # writes only under its build folder, so it reads the root in place
    return handbook.build_pdf(ROOT, tmp_path_factory.mktemp("hostile") / "build")


@pytest.mark.slow
def test_hostile_text_appears_literally_in_the_pdf(hostile_pdf):
    # PDF text extraction guesses word spaces from gaps: compare without white space
    text = re.sub(r"\s+", "", " ".join(page.extract_text() for page in PdfReader(hostile_pdf).pages))
    for hostile in HOSTILE:
        assert re.sub(r"\s+", "", hostile) in text, hostile


@pytest.mark.slow
def test_the_four_languages_have_real_glyphs_in_the_pdf(hostile_pdf):
    log = (hostile_pdf.parent.parent / "latex" / "hostile.log").read_text(errors="replace")
    assert "Missing character" not in log
    fonts = set()
    for page in PdfReader(hostile_pdf).pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("WenQuanYi" in f for f in fonts), fonts  # the Chinese font
    assert any("FreeSerif" in f for f in fonts), fonts  # Latin, Malay and Tamil
    text = " ".join(page.extract_text() for page in PdfReader(hostile_pdf).pages)
    for language, sample in LANGUAGES.items():
        if language != "Tamil":  # Tamil vowel signs come out of text extraction in visual order
            assert sample in text, language
    assert re.search("[\u0b80-\u0bff]{4}", text)
