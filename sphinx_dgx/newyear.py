"""Start a new year of the site: ``python -m sphinx_dgx.newyear docs 2022`` (``nox -s new-year -- 2022``).

Writes the year's page, ``docs/working-groups/<year>.md``, from :data:`PAGE_TEMPLATE` (never over
an existing page), then prints what to add to the catalogue: a YAML skeleton of the year's
working groups made from the newest year in the catalogue, an example report entry, and the
steps that follow. Every refusal is one plain line and exit status 1; nothing is written then.

The closing contact sentence is copied from the last paragraph of the newest existing year page,
not from ``dgx_contact_email`` in ``conf.py``: the page's sentence is what editors already read and
keep up to date, wording and address together, and the pages are MyST without substitutions, so
the configuration value cannot reach a page's text without changing ``conf.py``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from . import catalogue as cat

PAGES_DIR = "working-groups"
CATALOGUE = "catalogue.yaml"
FILES_DIR = "../files"
"""Where report files live, relative to the docs folder (``dgx_files_dir`` in ``docs/conf.py``)."""
FOUR_DIGITS = re.compile(r"[0-9]{4}")
YEAR_SUFFIX = re.compile(r"-[0-9]{4}$")
EMAIL = re.compile(r"[^\s<>()]+@[^\s<>()]+\.[^\s<>()]+")
PLACEHOLDER = '"..."'
BEGIN = "# ---- add to {catalogue} ----"
END = "# ---- end ----"

TO_DO = "To do: replace this paragraph."
"""The mark of the placeholder paragraph; a page still holding it is reported by the build."""

PAGE_TEMPLATE = """\
---
title: Working Groups {year}
description: >
  Download our {year} Digital Government Exchange reports on the topics of the year's
  working groups.
---

## Overview

**{to_do}** In one or two sentences, say which topics the {year}
Working Groups (WGs) covered and what their representatives shared.

```{{dgx-working-groups}}
:year: {year}
```

## DGX WG Reports

Our WGs have also produced in-depth reports on {year}'s topics. Please click on the links
below to download the reports.

```{{dgx-reports}}
:year: {year}
:kind: file
```
"""


class NewYearError(Exception):
    """A refusal, said in one plain line."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so that :func:`main` returns a status."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise NewYearError(f"{message} (usage: {self.prog} DOCS YEAR [--pages-dir FOLDER])")


def parse_year(text: str) -> int:
    """The year as a number; refuses anything but four digits within the catalogue's range."""
    low, high = cat.YEAR_RANGE
    if not FOUR_DIGITS.fullmatch(text):
        raise NewYearError(f"the year must be four digits, such as 2022, not {text!r}")
    year = int(text)
    if not low <= year <= high:
        raise NewYearError(f"the year must be between {low} and {high}, not {year}")
    return year


def year_pages(pages: Path) -> dict[int, Path]:
    """The existing year pages of the folder (``<four digits>.md``), by year."""
    return {int(p.stem): p for p in pages.glob("*.md") if FOUR_DIGITS.fullmatch(p.stem)}


def last_paragraph(text: str) -> str | None:
    """The page's closing paragraph when it is a sentence with an e-mail address, else None."""
    blocks = [block.strip() for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    if not blocks:
        return None
    last = blocks[-1]
    if last.startswith(("`", ":", "#", "-", "*", ">", "|", "%", "<!--", "{")) or not EMAIL.search(last):
        return None
    return last


def contact_sentence(pages: Path, year: int) -> tuple[str | None, Path | None]:
    """The contact sentence of the newest year page (its year made *year*), and that page."""
    existing = year_pages(pages)
    if not existing:
        return None, None
    newest = max(existing)
    try:
        sentence = last_paragraph(existing[newest].read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise NewYearError(f"{existing[newest]} is not UTF-8 text: save it as UTF-8") from None
    if sentence is not None:
        sentence = re.sub(rf"\b{newest}\b", str(year), sentence)
    return sentence, existing[newest]


def render_page(year: int, contact: str | None) -> str:
    """The year's page: the template with the year filled in, and the contact sentence last."""
    page = PAGE_TEMPLATE.format(year=year, to_do=TO_DO)
    return f"{page}\n{contact}\n" if contact else page


def new_id(ident: str, year: int) -> str:
    """*ident* with its year suffix made *year* (``cloud-2021`` -> ``cloud-2022``), or the year added."""
    return YEAR_SUFFIX.sub("", ident) + f"-{year}"


def yaml_field(key: str, value: str | int, indent: str = "    ") -> str:
    """One ``key: value`` line, the value quoted by YAML itself where it needs quotes."""
    line = yaml.safe_dump({key: value}, allow_unicode=True, width=1_000_000, default_flow_style=False)
    return indent + line.strip()


def group_entries(catalogue: cat.Catalogue, year: int) -> tuple[int | None, list[tuple[str, str]]]:
    """The source year and the (id, name) of each new group made from its groups."""
    sources = [y for y in catalogue.years if y != year]
    if not sources:
        return None, [(f"example-{year}", "Example")]
    taken = set(catalogue.groups_by_id)
    made = [(new_id(g.id, year), g.name) for g in catalogue.select_groups([sources[0]])]
    return sources[0], [(ident, name) for ident, name in made if ident not in taken]


def groups_skeleton(source: int | None, entries: list[tuple[str, str]], year: int) -> list[str]:
    """The ``working_groups:`` part of the skeleton."""
    made_from = f"made from {source}'s groups" if source else "an example"
    lines = [
        "working_groups:",
        f"  # Add these at the end of the working_groups: list ({made_from}).",
        f"  # Keep the groups that met in {year}, delete the others, and write each summary.",
        "  # Each id becomes the group's permanent link anchor (#dgx-wg-<id>): choose it once.",
    ]
    for ident, name in entries:
        lines += [
            yaml_field("id", ident, "  - "),
            yaml_field("name", name),
            yaml_field("year", year),
            f"    summary: {PLACEHOLDER}",
        ]
    return lines


def report_skeleton(group_id: str, group_name: str, year: int) -> list[str]:
    """The ``reports:`` part of the skeleton: one example entry for the first new group."""
    return [
        "reports:",
        "  # Add one entry per report at the end of the reports: list, for example this one.",
        "  # Its id becomes the report's permanent link anchor (#dgx-report-<id>): choose it once.",
        yaml_field("id", group_id, "  - "),
        f"    title: {PLACEHOLDER}",
        yaml_field("working_group", group_id),
        f"    summary: {PLACEHOLDER}",
        "    # The PDF goes into files/ under exactly this name (spaces and capitals count).",
        "    # A report published elsewhere has url: https://... instead of file:.",
        yaml_field("file", f"DGX {group_name} Working Group Report {year}.pdf"),
    ]


def skeleton(catalogue: cat.Catalogue, year: int, shown: str) -> str:
    """The YAML to add to the catalogue (*shown* is its path as printed), between marker comments."""
    source, entries = group_entries(catalogue, year)
    if not entries:
        return f"# {shown} already has every working group this would suggest for {year}."
    lines = [BEGIN.format(catalogue=shown), *groups_skeleton(source, entries, year), ""]
    lines += [*report_skeleton(*entries[0], year), END]
    return "\n".join(lines)


def next_steps(page: Path, shown: str, skeleton_text: str, contact_from: Path | None) -> str:
    """What the editor does next, with the skeleton in the middle."""
    contact_note = (
        f"   The closing contact sentence comes from {contact_from}.\n"
        if contact_from
        else "   No year page ends with a contact sentence to copy: add one at the end of this page.\n"
    )
    return (
        f"Wrote {page}.\n\n"
        "Next:\n"
        f"1. In {page}, replace the paragraph marked 'To do' under Overview.\n"
        f"{contact_note}"
        f"2. Add the year's working groups and reports to {shown}. A start:\n\n"
        f"{skeleton_text}\n\n"
        "3. Copy the year's report PDFs into files/, each under the exact name given as file:.\n"
        "4. Build the site and fix anything it reports: nox -s docs\n"
    )


def write_page(path: Path, text: str) -> None:
    """Create *path*; refuses when it exists (even one created a moment ago)."""
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise NewYearError(f"{path} already exists; nothing was written") from None


def new_year(docs: Path, year: int, pages_dir: str) -> str:
    """Write the year's page under *docs*; returns what to print."""
    pages = docs / pages_dir
    if not pages.is_dir():
        raise NewYearError(f"the folder {pages} does not exist (check the docs folder and --pages-dir)")
    page = pages / f"{year}.md"
    catalogue = cat.load(docs / CATALOGUE, docs / FILES_DIR)
    if not catalogue.readable:  # an unreadable catalogue always has its problem
        raise NewYearError(f"{docs / CATALOGUE} cannot be used: {catalogue.problems[0].message}")
    contact, contact_from = contact_sentence(pages, year)
    text = skeleton(catalogue, year, str(docs / CATALOGUE))
    write_page(page, render_page(year, contact))  # refuses an existing page: nothing printed before
    return next_steps(page, str(docs / CATALOGUE), text, contact_from if contact else None)


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status (0 done, 1 refused), never raising."""
    parser = _Parser(
        prog="python -m sphinx_dgx.newyear",
        description="Write the page of a new year and print what to add to the catalogue.",
    )
    parser.add_argument("docs", type=Path, help="the docs folder (holding conf.py and catalogue.yaml)")
    parser.add_argument("year", help="the new year, four digits, such as 2022")
    parser.add_argument(
        "--pages-dir",
        default=PAGES_DIR,
        metavar="FOLDER",
        help=f"the folder of the year pages in the docs folder ({PAGES_DIR})",
    )
    try:
        args = parser.parse_args(argv)
        print(new_year(args.docs, parse_year(args.year), args.pages_dir), end="")
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else 0
    except (NewYearError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
