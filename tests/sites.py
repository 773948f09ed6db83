"""Copies of the real site, as shipped or with content an editor adds, and stand-in report files;
and the text of the original 2021 page, which the site (HTML and PDF) must carry.

The tests of the real site run on every site made here: what they expect comes from the
catalogue of the copy, so they hold for any valid content.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from support import REPO, TESTS

SLIDES_720 = (720.0, 405.0)
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
SITES = ("as shipped", "with a second year")


def copy_site(dest: Path) -> Path:
    """docs/ and files/ side by side under *dest*; returns the copy's docs folder."""
    shutil.copytree(REPO / "docs", dest / "docs", ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(REPO / "files", dest / "files")
    return dest / "docs"


def make_pdf(path: Path, title: str, pages: list[tuple[tuple[float, float], bool]]) -> Path:
    """A stand-in PDF: each page of the given size, with text, or image-only (no text layer)."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF(unit="pt")
    pdf.set_creation_date(datetime(2022, 12, 1, tzinfo=timezone.utc))
    pdf.set_title(title)
    pdf.set_auto_page_break(False)
    picture = io.BytesIO()
    Image.new("RGB", (64, 36), (0, 84, 122)).save(picture, format="PNG")
    for number, (size, has_text) in enumerate(pages, start=1):
        pdf.add_page(format=size)
        if has_text:
            pdf.set_font("Helvetica", size=14)
            pdf.set_xy(36, 36)
            pdf.multi_cell(size[0] - 72, 18, f"{title}\nStand-in page {number} of {len(pages)}.")
        else:  # a slide exported as a picture: nothing to extract
            picture.seek(0)
            pdf.image(picture, x=0, y=0, w=size[0], h=size[1])
    path.write_bytes(bytes(pdf.output()))
    return path


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
    make_pdf(files / "DGX Cloud Working Group Report 2022 v1.5.pdf", "Cloud 2022", [(A4, True)] * 15)
    slides = [(SLIDES_720, number != 7) for number in range(1, 42)]  # slide 7: image only
    make_pdf(files / "DGX_DIWG_2022_Slides.pdf", "Digital Identity 2022", slides)
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
