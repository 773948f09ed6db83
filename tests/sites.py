"""Copies of the real site, as shipped or with content an editor adds, and stand-in report files;
and the text of the original 2021 page, which the site (HTML and PDF) must carry.

The tests of the real site run on every site made here: what they expect comes from the
catalogue of the copy, so they hold for any valid content.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from support import REPO, TESTS

SCRIPTS = REPO / "scripts"
SLIDES_720 = (720.0, 405.0)
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
SITES = ("as shipped", "with a second year")


def copy_site(dest: Path) -> Path:
    """docs/ and files/ side by side under *dest*; returns the copy's docs folder."""
    shutil.copytree(REPO / "docs", dest / "docs", ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(REPO / "files", dest / "files")
    return dest / "docs"


def make_pdf(
    path: Path,
    title: str,
    pages: list[tuple[tuple[float, float], bool]],
    working_group: str = "DGX Working Group",
    year: int = 2022,
) -> Path:
    """A stand-in PDF made by scripts/make_standin_pdfs.py, with the shape of a real report.

    *pages* gives each page's size (one size for all) and whether it has text or is image-only
    (no text layer). Page 1 is the cover and page 2 a contents page linking to six sections
    (fewer in a short file); it has a few web links and an outline with the sections.
    """
    standins = standin_generator()
    sizes = {size for size, _ in pages}
    assert len(sizes) == 1, f"a stand-in has one page size, not {sorted(sizes)}"
    image_only = [number for number, (_, has_text) in enumerate(pages, start=1) if not has_text]
    text_pages = max(0, len(pages) - 2 - len(image_only))
    spec = standins.make_spec(
        path.name,
        title,
        working_group,
        sizes.pop(),
        len(pages),
        sections=min(6, text_pages),
        web_links=min(4, text_pages),
        image_only_pages=image_only,
        year=year,
    )
    path.write_bytes(standins.build_pdf(spec))
    return path


def standin_generator():
    """The module of scripts/make_standin_pdfs.py (it is not a package: found on sys.path)."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    import make_standin_pdfs

    return make_standin_pdfs


SECOND_YEAR_GROUPS = """\
  - id: cloud-2022
    name: Cloud
    year: 2022
    summary: >
      The 2022 Cloud WG compared how member governments move services to the cloud.
  - id: digital-identity-2022
    name: Digital Identity
    year: 2022
    summary: The 2022 Digital Identity WG looked at verifiable credentials across borders.
"""
SECOND_YEAR_REPORTS = """\
  - id: cloud-2022
    title: "Cloud migration: what member governments learnt"
    working_group: cloud-2022
    summary: Lessons from moving government services to the cloud.
    file: DGX Cloud Working Group Report 2022 v1.5.pdf
  - id: digital-identity-2022
    title: "Verifiable credentials for cross-border services: a good practice guide for governments"
    working_group: digital-identity-2022
    summary: Slides from the 2022 Digital Identity WG, with one slide that is only a picture.
    file: DGX_DIWG_2022_Slides.pdf
"""


def add_second_year(docs: Path, year: int = 2022) -> Path:
    """Add a year as an editor would: the new-year command, catalogue entries, PDFs, the page's prose."""
    files = docs.parent / "files"
    report = files / "DGX Cloud Working Group Report 2022 v1.5.pdf"
    make_pdf(report, "Cloud 2022", [(A4, True)] * 15, "DGX Cloud Working Group", year)
    slides = [(SLIDES_720, number != 7) for number in range(1, 42)]  # slide 7: image only
    group = "DGX Digital Identity Working Group"
    make_pdf(files / "DGX_DIWG_2022_Slides.pdf", "Digital Identity 2022", slides, group, year)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_dgx.newyear", str(docs), str(year)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    page = docs / "working-groups" / f"{year}.md"
    overview = (
        f"The {year} Working Groups (WGs) shared what they learnt about the cloud and digital identity."
    )
    page.write_text(re.sub(r"\*\*To do:.*?\n\n", overview + "\n\n", page.read_text(), flags=re.S))
    catalogue = docs / "catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    head, reports = text.split("\nreports:\n", 1)
    catalogue.write_text(
        f"{head.rstrip()}\n{SECOND_YEAR_GROUPS}\nreports:\n{reports.rstrip()}\n{SECOND_YEAR_REPORTS}",
        encoding="utf-8",
    )
    return docs


SEED = TESTS / "data" / "working-groups-2021.md"  # the original 2021 page

# The original page credited the Digital Maturity MVP framework to the Digital Identity WG and
# misspelt "Digitial"; the site corrects both.
CORRECTIONS = {
    "Digitial Maturity": "Digital Maturity",
    "(MVP) framework by the DGX Digital Identity WG": "(MVP) framework by the DGX Digital Maturity WG",
}


def normalise(text: str) -> str:
    """Straight quotes (double ones dropped) and single spaces: how the sentences are compared."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text.replace('"', "")).strip()


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
    assert "DGX WG Reports" in sentences, "the seed page was not read"  # else its users prove nothing
    return [normalise(s) for s in sentences]


def make_site(dest: Path, which: str) -> Path:
    """A copy of the real site (*which* is one of :data:`SITES`); returns its docs folder."""
    docs = copy_site(dest)
    if which == "with a second year":
        add_second_year(docs)
    return docs
