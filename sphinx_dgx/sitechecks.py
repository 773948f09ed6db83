"""Checks of the site as a whole, for the mistakes no single entry or page shows.

- a file in the files folder that no report uses (``dgx.unused_file``);
- a year of the catalogue that no page shows (``dgx.year_not_shown``);
- a kramdown attribute list pasted from the old Jekyll site into a page (``dgx.kramdown``);
- the placeholder paragraph of ``nox -s new-year`` left in a page (``dgx.placeholder``).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms import SphinxTransform

from . import catalogue as cat
from .config import get_dgx_config, setting_location
from .domain import GROUP, REPORT, get_domain, year_hint
from .logging import warn
from .newyear import TO_DO
from .nodes import dgx_reports, dgx_working_groups
from .problems import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

KRAMDOWN = re.compile(r"\{:[^{}\n]*\}")


# -- files that no report uses ----------------------------------------------


def unused_files(catalogue: cat.Catalogue, present: list[str], kept: tuple[str, ...]) -> list[str]:
    """The files *present* that no report names as its file or cover, nor *kept* lists."""
    used = {name for r in catalogue.reports for name in (r.file, r.cover) if name is not None}
    return [name for name in present if name not in used and name not in kept]


def check_unused_files(app: Sphinx) -> None:
    """``builder-inited``: warn about each unused file, once the catalogue has no other problem."""
    catalogue = get_domain(app.env).catalogue
    if catalogue.problems or not catalogue.readable or not os.path.isdir(catalogue.files_dir):
        return
    config = get_dgx_config(app.config)
    present = cat.file_names(catalogue.files_dir)
    # where the report would be added: after the last one (a file itself has no line to point at)
    where = f"{catalogue.path}:{max((r.line for r in catalogue.reports), default=1)}"
    for name in unused_files(catalogue, present, config.unused_files):
        warn(
            Subtype.UNUSED_FILE,
            f"files/{name} is used by no report in the catalogue: add the report it belongs to "
            f"(file: {name}), delete the file, or list it in dgx_unused_files if it is kept on purpose",
            location=where,
        )
    for name in sorted(set(config.unused_files) - set(present)):
        warn(
            Subtype.CONFIG,
            f"dgx_unused_files names {name!r}, which is not in files/: remove it from the list",
            location=setting_location(app.confdir, "dgx_unused_files"),
        )


# -- years that no page shows -------------------------------------------------


def years_not_shown(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: warn about each catalogue year none of whose entries has a main place."""
    domain = get_domain(env)
    catalogue = domain.catalogue
    if not catalogue.readable:
        return
    shown_years: dict[int, str] = {}
    for kind, entries in ((GROUP, catalogue.groups), (REPORT, catalogue.reports)):
        for entry in entries:
            place = domain.place(kind, entry.id)
            if place is not None:
                shown_years.setdefault(entry.year, place.docname)
    for year in catalogue.years:
        if year not in shown_years:
            page = _page_for(env, year, shown_years)
            warn(Subtype.YEAR_NOT_SHOWN, _year_message(catalogue, year, page), _first_line(catalogue, year))


def _page_for(env: BuildEnvironment, year: int, shown_years: dict[int, str]) -> str | None:
    """The source file a year's page would have, named like another year's page (None if none is)."""
    for other, docname in sorted(shown_years.items(), reverse=True):
        if year_hint(docname, "") == f":year: {other}":
            source = os.path.relpath(env.doc2path(docname), env.srcdir)
            return source.replace(os.sep, "/").replace(str(other), str(year))
    return None


def _year_message(catalogue: cat.Catalogue, year: int, page: str | None) -> str:
    groups = sum(1 for g in catalogue.groups if g.year == year)
    reports = sum(1 for r in catalogue.reports if r.year == year)
    counted = " and ".join(
        f"{n} {word}{'' if n == 1 else 's'}"
        for n, word in ((groups, "working group"), (reports, "report"))
        if n
    )
    where = f"create {page} (nox -s new-year -- {year})" if page else "create a page for it"
    them = "it" if groups + reports == 1 else "them"
    return (
        f"year {year} has {counted} in the catalogue, but no page shows {them}: {where}, "
        f"with dgx-working-groups and dgx-reports filtered by :year: {year}"
    )


def _first_line(catalogue: cat.Catalogue, year: int) -> str:
    lines = [e.line for e in (*catalogue.groups, *catalogue.reports) if e.year == year]
    return f"{catalogue.path}:{min(lines)}"


# -- kramdown attribute lists ---------------------------------------------------


class PageText(SphinxTransform):
    """Warn about text pasted from the old site (kramdown) and a placeholder left in a page."""

    default_priority = 700  # before smart quotes, so the message quotes what was written

    def apply(self, **kwargs: object) -> None:
        for text in self.document.findall(nodes.Text):
            if (KRAMDOWN.search(text) or TO_DO in text) and not _is_literal_or_catalogue(text):
                self.check(text)

    def check(self, text: nodes.Text) -> None:
        for found in KRAMDOWN.findall(text):
            if "target" in found:
                advice = "external links open in a new tab already"
            else:
                advice = "MyST writes attributes as {.class} or {#id} (with attrs_inline)"
            warn(
                Subtype.KRAMDOWN,
                f"kramdown attribute list {found!r} is shown as text: remove it; {advice}",
                location=_located(text),
            )
        if TO_DO in text:
            warn(
                Subtype.PLACEHOLDER,
                f"the paragraph marked {TO_DO!r} is still on this page: replace it with the year's overview",
                location=_located(text),
            )


def _is_literal_or_catalogue(text: nodes.Text) -> bool:
    """Code shows text as written; catalogue text is checked where it is written."""
    skip = (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment, dgx_reports, dgx_working_groups)
    parent = text.parent
    while parent is not None:
        if isinstance(parent, skip):
            return True
        parent = parent.parent
    return False


def _located(text: nodes.Text) -> nodes.Node:
    """The nearest enclosing node that knows its line."""
    parent = text.parent
    while parent is not None and parent.line is None and parent.parent is not None:
        parent = parent.parent
    return parent if parent is not None else text


def setup_sitechecks(app: Sphinx) -> None:
    """Register the checks; the catalogue must be loaded (at ``builder-inited``) before they run."""
    app.add_transform(PageText)
    app.connect("builder-inited", check_unused_files)
    app.connect("env-updated", years_not_shown)
