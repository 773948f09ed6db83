"""The site's search finds words inside the reports' PDFs, in Chromium, and leads to where they are.

Every text page of a stand-in report carries a code word of its own (``dgxcloud2021p03``, see
scripts/make_standin_pdfs.py). The word of page 3 of the first report page's PDF is read from the
PDF itself (pypdf) and must be on no other page of any PDF of the site. Searched for on
``search.html``, it lists that report's page; following the result opens the page with the word
highlighted (``span.highlighted``, by ``sphinx_highlight.js``) in its ``#page-3`` section. Sphinx
hands the words to the page it opens in ``localStorage``; a link with ``?highlight=`` works too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from checking import DOWNLOADS, browsing, first_report_page, visit, wait_for_search

if TYPE_CHECKING:
    from playwright.sync_api import Page

PAGE = 3
CODE_WORD = re.compile(r"\bdgx[a-z0-9]*p\d+\b")
RESULTS = "#search-results ul.search > li > a"
HIGHLIGHTED = """() => [...document.querySelectorAll("span.highlighted")].map(span => [
    span.textContent, span.closest("section[id]")?.id ?? null,
])"""


@dataclass(frozen=True)
class Needle:
    """A word found on one page of one report's PDF only, and that report's page on the site."""

    word: str
    report_page: str  # reports/<id>.html
    pdf: str  # the file, relative to the site


def pdf_of(site: Path, report_page: str) -> str:
    """The file that a report page's card downloads, relative to the site."""
    soup = BeautifulSoup((site / report_page).read_text(encoding="utf-8"), "html.parser")
    links = soup.select(DOWNLOADS)
    assert len(links) == 1, f"{report_page} should have one download link ({DOWNLOADS}), not {len(links)}"
    return unquote(urljoin(report_page, str(links[0]["href"])))


def page_texts(site: Path) -> dict[tuple[str, int], str]:
    """The text of every page (counted from 1) of every PDF of the site, by file and page."""
    texts = {}
    for path in sorted(site.rglob("*.pdf")):
        for number, page in enumerate(PdfReader(path).pages, start=1):
            texts[(path.relative_to(site).as_posix(), number)] = page.extract_text() or ""
    return texts


@pytest.fixture(scope="module")
def needle(site) -> Needle:
    report_page = first_report_page(site)
    pdf = pdf_of(site, report_page)
    texts = page_texts(site)
    assert (pdf, PAGE) in texts, f"{pdf} has no page {PAGE}"
    words = CODE_WORD.findall(texts[(pdf, PAGE)])
    assert len(words) == 1, f"page {PAGE} of {pdf} should carry one code word, not {words}"
    word = words[0]
    assert re.fullmatch(rf"dgx[a-z0-9]*p0*{PAGE}", word), word
    elsewhere = [
        f"{file}, page {number}"
        for (file, number), text in texts.items()
        if (file, number) != (pdf, PAGE) and word in text.lower()
    ]
    assert not elsewhere, f"{word!r} is not only on page {PAGE} of {pdf}: also on {elsewhere}"
    print(f"\nsearching for {word!r}: page {PAGE} of {pdf}, shown on {report_page}")
    return Needle(word, report_page, pdf)


def check_highlighted(page: Page, needle: Needle) -> None:
    """The page is the report's, and the word is highlighted there, in the #page-3 section only."""
    assert urlsplit(page.url).path.endswith("/" + needle.report_page), page.url
    page.wait_for_selector("span.highlighted", state="attached", timeout=10_000)
    found = page.evaluate(HIGHLIGHTED)
    assert found, f"nothing is highlighted on {page.url}"
    wrong = [
        (text, section) for text, section in found if (text.lower(), section) != (needle.word, f"page-{PAGE}")
    ]
    assert not wrong, f"highlighted elsewhere than {needle.word!r} in #page-{PAGE}: {wrong}"


def test_search_finds_a_word_of_a_pdf_page_and_opens_the_report_page_there(browser, server, needle):
    with browsing(browser) as page:
        visit(page, server, f"search.html?q={quote(needle.word)}")
        summary = wait_for_search(page)
        results = page.locator(RESULTS).evaluate_all("links => links.map(a => a.href)")
        opened = [urlsplit(href)._replace(query="", fragment="").geturl() for href in results]
        assert opened == [server + needle.report_page], f"{summary!r}; results: {results}"
        with page.expect_navigation(wait_until="load"):
            page.locator(RESULTS).first.click()
        check_highlighted(page, needle)
        print(f"{summary} -> {page.url}, highlighted in #page-{PAGE}")


def test_a_link_with_highlight_marks_the_word_on_the_report_page(browser, server, needle):
    with browsing(browser) as page:
        visit(page, server, f"{needle.report_page}?highlight={quote(needle.word)}")
        check_highlighted(page, needle)
