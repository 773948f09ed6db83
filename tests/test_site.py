"""The real site in docs/: it builds with -W, and carries every sentence of the original 2021 page."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, TESTS

SEED = TESTS / "data" / "working-groups-2021.md"
BLOCKS = ["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "td", "th", "dt", "dd"]

# The original page credited the Digital Maturity MVP framework to the Digital Identity WG and
# misspelt "Digitial"; the site corrects both.
CORRECTIONS = {
    "Digitial Maturity": "Digital Maturity",
    "(MVP) framework by the DGX Digital Identity WG": "(MVP) framework by the DGX Digital Maturity WG",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-b",
            "html",
            "-d",
            str(out / "doctrees"),
            str(REPO / "docs"),
            str(out / "html"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out / "html"


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text.replace('"', "")).strip()


def page_text(path: Path) -> str:
    """The visible text of a page's article, blocks separated by spaces."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = page.select_one("article")
    for hidden in article.select(".dgx-visually-hidden, .headerlink"):
        hidden.decompose()
    for block in article.find_all(BLOCKS):
        block.insert_before(" ")
        block.insert_after(" ")
    return normalise(article.get_text(""))


def seed_sentences() -> list[str]:
    """Every sentence, heading and link text of the original page, with the two corrections."""
    text = SEED.read_text(encoding="utf-8").split("---", 2)[2]
    for wrong, right in CORRECTIONS.items():
        text = text.replace(wrong, right)
    text = text.replace('{:target="_blank"}', "")
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links keep their text
    text = re.sub(r"<([^>@\s]+@[^>\s]+)>", r"\1", text)  # autolinked e-mail
    text = text.replace("**", "")
    sentences = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:#+|[*-])\s*", "", line).strip()
        sentences += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", line) if s]
    return [normalise(s) for s in sentences]


def test_seed_reading_finds_the_pages_text():
    sentences = seed_sentences()
    assert len(sentences) >= 20
    assert "Overview" in sentences and "DGX WG Reports" in sentences
    assert (
        "Digital Maturity Minimum Viable Product (MVP) framework by the DGX Digital Maturity WG" in sentences
    )


def test_every_sentence_of_the_2021_page_is_on_the_site(site):
    text = page_text(site / "working-groups" / "2021.html")
    missing = [s for s in seed_sentences() if s not in text]
    assert missing == []


def test_the_2021_page_shows_five_groups_and_three_report_cards(site):
    page = BeautifulSoup((site / "working-groups" / "2021.html").read_text(), "html.parser")
    assert len(page.select(".dgx-working-group")) == 5
    cards = page.select(".dgx-report-card")
    assert len(cards) == 3
    for card in cards:
        href = card.select_one("a.dgx-download")["href"]
        assert href.startswith("../files/") and " " not in href
        assert (site / "working-groups" / unquote(href)).resolve().is_file()


def test_description_front_matter_is_the_meta_description(site):
    page = BeautifulSoup((site / "working-groups" / "2021.html").read_text(), "html.parser")
    seed_front = SEED.read_text(encoding="utf-8").split("---", 2)[1]
    expected = " ".join(seed_front.split("description: >", 1)[1].split())
    assert page.select_one('meta[name="description"]')["content"] == expected


def test_safe_travel_insights_link_to_the_un_desa_blog(site):
    page = BeautifulSoup((site / "working-groups" / "2021.html").read_text(), "html.parser")
    link = page.select_one("#dgx-wg-safe-travel-2021 .dgx-group-reports a")
    assert link["href"] == "https://publicadministration.un.org/en/Home/Blog"
    assert link["target"] == "_blank" and link["rel"] == ["noopener", "noreferrer"]


def test_home_links_each_year_and_the_catalogue_lists_every_report(site):
    home = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    assert home.select_one('article a[href="working-groups/2021.html"]') is not None
    catalogue = BeautifulSoup((site / "catalogue.html").read_text(), "html.parser")
    assert len(catalogue.select(".dgx-report-card")) == 4


def test_every_report_file_is_published_under_its_original_name(site):
    for pdf in (REPO / "files").glob("*.pdf"):
        assert (site / "files" / pdf.name).read_bytes() == pdf.read_bytes()
