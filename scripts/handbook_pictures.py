#!/usr/bin/env python3
"""Draw the pages of the PDF handbook that the guide shows editors: the title page, a page of
report entries with their covers, a page of a portrait report and a page of slides.

The handbook is built from a copy of the site with a second year added, as the tests make it
(``tests/sites.py``: a 15-page A4 report and a 41-slide 720 x 405 deck), so that every kind of
page is in it. Pages are found by what they hold, never by number, and drawn with pdftoppm.

Usage::

    python scripts/handbook_pictures.py [--out docs/guide/handbook]

Needs the TeX tools of the handbook (see the README) and poppler-utils (pdftoppm).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from sites import make_site  # noqa: E402

from sphinx_dgx import handbook  # noqa: E402

RESOLUTION = 60
"""Dots per inch: an A4 page 496 pixels wide, readable beside the guide's text."""


def find(reader: PdfReader) -> dict[str, int]:
    """The page index of each picture: the title page, the first page with a report entry's
    "In this handbook" row, the first sheet of a portrait report, the first sheet of slides."""
    texts = [page.extract_text() or "" for page in reader.pages]
    found = {"title": 0}
    found["cards"] = next(n for n, text in enumerate(texts) if "In this handbook" in text)
    found["report"] = next(n for n, text in enumerate(texts) if "Report page 3 of" in text)
    found["slides"] = next(n for n, text in enumerate(texts) if "Report pages 3" in text)
    return found


def draw(pdf: Path, index: int, target: Path) -> None:
    page = str(index + 1)
    command = ["pdftoppm", "-r", str(RESOLUTION), "-png", "-singlefile", "-f", page, "-l", page]
    subprocess.run([*command, str(pdf), str(target.with_suffix(""))], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "guide" / "handbook")
    args = parser.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1669852800")  # 2022-12-01: pictures that do not change
    with tempfile.TemporaryDirectory() as work:
        docs = make_site(Path(work), "with a second year")
        pdf = handbook.build_pdf(docs, Path(work) / "build")
        reader = PdfReader(pdf)
        args.out.mkdir(parents=True, exist_ok=True)
        for name, index in find(reader).items():
            draw(pdf, index, args.out / f"{name}.png")
            print(f"{args.out / f'{name}.png'}: page {index + 1} of {len(reader.pages)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
