"""Long and foreign text in the cards and the handbook: nothing clipped, nothing off the page.

The root test-layout holds what strains a layout: a 44-letter word in a card with a cover, a token
of 364 characters without a space, a summary of 6,300 characters, addresses with TeX's specials
and one of 369 characters, Arabic, bidi controls (in the page's text: the catalogue refuses them),
and emoji, which the handbook has no font for: one warning at the entry's line, and the handbook
leaves them out.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from sphinx_dgx import handbook
from sphinx_dgx.catalogue import load
from support import TESTS, located, require_tools, shared_build

ROOT = TESTS / "roots" / "test-layout"
CATALOGUE = load(ROOT / "catalogue.yaml", ROOT / "files")
REPORTS = CATALOGUE.reports_by_id
INDEX = (ROOT / "index.md").read_text(encoding="utf-8")
LONG_WORD = "Datenschutzgrundverordnungsumsetzungsgesetze"
A4_WIDTH_PT = 595.3
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_the_root_holds_what_it_says():
    assert len(LONG_WORD) == 44 and LONG_WORD in REPORTS["long-word"].summary
    assert len(REPORTS["long-summary"].summary) > 6300
    assert max(len(token) for token in REPORTS["long-word"].summary.split()) > 300
    assert len(REPORTS["long-url"].url) > 350
    assert set("^%#~_") <= set(REPORTS["specials"].url)


# -- the web site: a phone's width -----------------------------------------------------------------

PROBE = """<script>
(function () {
  var width = document.documentElement.clientWidth, wide = [];
  document.querySelectorAll('.dgx-report-card *, .dgx-working-group *').forEach(function (e) {
    if (!e.closest('.dgx-visually-hidden') && e.getBoundingClientRect().right > width + 0.5)
      wide.push(e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40));
  });
  parent.postMessage(JSON.stringify({width: width, wide: wide}), '*');
})();
</script></body>"""
FRAME = """<!DOCTYPE html><html><body>
<script>window.addEventListener('message', function (m) { document.body.dataset.probe = m.data; });</script>
<iframe src="probe.html" width="{width}" height="800" style="border:0"></iframe></body></html>"""


def wider_than_the_screen(outdir: Path, width: int) -> dict:
    """What of the cards and groups reaches past the right edge of a screen *width* pixels wide, in
    Chromium: the page in a frame of that width (a headless window is at least 500 wide)."""
    page = (outdir / "index.html").read_text(encoding="utf-8")
    (outdir / "probe.html").write_text(page.replace("</body>", PROBE), encoding="utf-8")
    (outdir / "frame.html").write_text(FRAME.replace("{width}", str(width)), encoding="utf-8")
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000"]
    dom = subprocess.run(
        [*command, "--dump-dom", (outdir / "frame.html").as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found[1]))


@pytest.mark.slow
@shared_build("html", testroot="layout")
def test_a_long_word_in_a_card_with_a_cover_breaks_at_375_px(app):
    require_tools("chromium")
    app.build()
    assert located(app.warning) == []
    outdir = Path(app.outdir)
    assert 'class="dgx-cover"' in (outdir / "index.html").read_text(encoding="utf-8")
    seen = wider_than_the_screen(outdir, 375)
    assert 300 < seen["width"] <= 375
    assert seen["wide"] == []


def test_cards_and_groups_let_long_words_break():
    css = (Path(handbook.__file__).parent / "static" / "dgx.css").read_text(encoding="utf-8")
    rule = re.search(r"\.dgx-report-card,\s*\.dgx-working-group\s*\{([^}]*)\}", css)
    assert rule and "overflow-wrap: anywhere" in rule[1]
    assert "grid-template-columns: auto minmax(0, 1fr)" in css


# -- the handbook's LaTeX ------------------------------------------------------------------------

LATEX = shared_build("latex", testroot="layout")


def tex_of(app) -> str:
    app.build()
    return (Path(app.outdir) / "layout.tex").read_text(encoding="utf-8")


def line_of(entry_id: str) -> int:
    return next(entry.line for entry in (*CATALOGUE.groups, *CATALOGUE.reports) if entry.id == entry_id)


@LATEX
def test_characters_without_a_font_are_one_warning_at_their_entry(app):
    tex_of(app)
    page_line = next(n for n, line in enumerate(INDEX.splitlines(), 1) if "launch" in line)
    assert located(app.warning) == [
        ("catalogue.yaml", line_of("emoji"), "no_glyph"),
        ("index.md", page_line, "no_glyph"),
    ]
    entry, page = [line for line in app.warning.getvalue().splitlines() if "no_glyph" in line]
    assert "report 'emoji': the PDF handbook has no font for '🚀' (U+1F680 ROCKET) in its title; " in entry
    assert "'🎉' (U+1F389 PARTY POPPER) in its summary: write it in words or remove it" in entry
    assert "the PDF handbook has no font for '🚀' (U+1F680 ROCKET): write it in words" in page


@LATEX
def test_the_handbook_leaves_out_what_it_cannot_print(app):
    tex = tex_of(app)
    assert "🚀" not in tex and "🎉" not in tex
    assert "A launch  on the page itself." in tex
    assert "Digital government" in tex and "\N{WHITE HEAVY CHECK MARK}" in tex  # in the body's font
    assert not set(BIDI_CONTROLS) & set(tex)


@LATEX
def test_addresses_with_tex_specials_are_written_for_a_link(app):
    tex = tex_of(app)
    specials = r"https://example.org/a_b/~team/x\%20y/2\^{}8?q=a_b&r=~x\#part_2"
    assert r"\sphinxhref{" + specials + "}{Specials in the address}" in tex
    assert tex.count(r"\sphinxurl{" + specials + "}") == 2  # the entry's row and the appendix
    for argument in re.findall(r"\\sphinx(?:href|url|nolinkurl)\{([^}]*)\}", tex):
        assert "textasciicircum" not in argument
    assert r"\sphinxhref{https://example.org/notes/2\%5E8\_a~b\%20c\#part\_2}" in tex  # Sphinx's own link


@LATEX
def test_right_to_left_runs_are_marked(app):
    tex = tex_of(app)
    assert r"\dgxrtl{تقرير الحكومة الرقمية}" in tex
    assert r"English first, then Arabic: \dgxrtl{الحكومة الرقمية للجميع، ثم} English again." in tex
    assert r"\dgxrtl{مرحبا بالعالم}" in tex  # the page's own text too


@LATEX
def test_overlong_tokens_get_break_points(app):
    tex = tex_of(app)
    token = next(t for t in REPORTS["long-word"].summary.split() if len(t) > 300)
    assert r"\dgxbreak{}".join(token[:5]).replace("-", r"\sphinxhyphen{}") in tex
    assert r"P\dgxbreak{}A\dgxbreak{}G\dgxbreak{}E\dgxbreak{}\sphinxhyphen{}\dgxbreak{}0" in tex  # the page's
    assert "the final words of the long summary" in tex  # words are left alone


# -- the handbook itself -------------------------------------------------------------------------


def letters(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


@pytest.mark.slow
@pytest.mark.sphinx("latex", testroot="layout", srcdir="layout-pdf", freshenv=True)
def test_the_handbook_keeps_long_text_on_its_pages(app):
    require_tools(*handbook.TOOLS)
    app.build()
    pdf = handbook.latexmk(Path(app.outdir), "layout")  # fails on any overfull box or missing character
    assert handbook.check_log(pdf.with_suffix(".log")) == []
    reader = PdfReader(pdf)
    assert all(float(page.mediabox.width) <= A4_WIDTH_PT for page in reader.pages)
    text = letters(" ".join(page.extract_text() for page in reader.pages))
    summary = REPORTS["long-summary"].summary
    assert letters(" ".join(summary.split()[-40:])) in text  # its end, after a page break
    assert letters(LONG_WORD) in text
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/URI" in annotation.get_object().get("/A", {})
    }
    assert REPORTS["specials"].url in uris
    assert REPORTS["long-url"].url in uris
    assert "https://example.org/notes/2%5E8_a~b%20c#part_2" in uris
    assert not any("TU" in uri or "\\" in uri for uri in uris)
