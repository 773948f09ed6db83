"""Directive options, read by the directive itself; and which page owns an entry shown on several.

A bad option (unknown, or a value the directive cannot read) is one ``dgx.bad_option`` warning at
its line, naming the option, what was written and what is accepted, and the directive shows
nothing: never every entry, never docutils' or MyST's own message. With ``-j``, the anchors of an
entry shown by several pages are decided after reading, so the output equals a serial build's.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from support import located, parse_warnings, soup, tree, visible

CASES = "options"
"""The copy of test-basic each case writes its page into."""


def page_with(srcdir: Path, directive: str, fmt: str = "md") -> None:
    """test-basic with one page: *directive* (the lines of a directive block) in MyST or rST."""
    for name in ("index.md", "other.md", "rst.rst"):
        (srcdir / name).unlink()
    if fmt == "md":
        text = "# Page\n\n\n```{dgx-reports}\n" + directive + "```\n"  # at line 4, as in rST
    else:
        body = "".join(f"   {line}\n" for line in directive.splitlines())
        text = "Page\n====\n\n.. dgx-reports::\n" + body
    (srcdir / f"index.{fmt}").write_text(text, encoding="utf-8")


def cards(app) -> list[str]:
    return [card["class"] for card in soup(app).select(".dgx-report-card")]


def page_warnings(app) -> list:
    """The build's warnings but those of the site as a whole (the one page shows no year's entries)."""
    return [w for w in parse_warnings(app.warning) if w.subtype != "year_not_shown"]


def only_warning(app) -> tuple[str, int, str, str]:
    found = page_warnings(app)
    assert len(found) == 1, found
    return found[0]


BAD = {
    # name: (options as written, line of the option, words the message must hold)
    "year with a letter": (
        ":year: 20x1\n",
        5,
        [":year: '20x1' is not a year", "four digits 0-9", "2021, 2022"],
    ),
    "superscript year": (":year: ²⁰²¹\n", 5, [":year: '²⁰²¹' is not a year", "four digits 0-9"]),
    "full-width year": (":year: \uff12\uff10\uff12\uff11\n", 5, [":year: '\uff12\uff10\uff12\uff11' is not"]),
    "five-digit year": (":year: 20211\n", 5, [":year: '20211' is not a year"]),
    "one bad year of two": (":year: 2021, 2O22\n", 5, [":year: '2O22' is not a year"]),
    "empty year": (":year:\n", 5, [":year: is empty", ":year: 2021"]),
    "kind files": (
        ":no-index:\n:kind: files\n",
        6,
        [":kind: 'files' is not a kind (did you mean 'file'?)", ":kind: file", ":kind: url"],
    ),
    "unknown option": (
        ":tags: cloud\n",
        5,
        ["unknown option :tags: (did you mean ':tag:'?)", ":year:, :group:, :tag:, :kind: and :no-index:"],
    ),
    "tag with a space": (
        ":tag: cloud policy\n",
        5,
        [":tag: 'cloud policy' is not one tag", ":tag: cloud, policy"],
    ),
    "empty tag": (":tag: ,\n", 5, [":tag: is empty"]),
    "no-index with a value": (":no-index: yes\n", 5, [":no-index: takes no value, not 'yes'"]),
}


@pytest.mark.parametrize("fmt", ["md", "rst"])
@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.sphinx("html", testroot="basic", srcdir=CASES, freshenv=True)
def test_a_bad_option_shows_nothing_with_one_warning_at_its_line(make_test_app, srcdir, case, fmt):
    options, line, words = BAD[case]
    page_with(srcdir, options, fmt)
    app = make_test_app()
    app.build()
    name, at, subtype, message = only_warning(app)
    assert (name, at, subtype) == (f"index.{fmt}", line, "bad_option")
    assert message.startswith("dgx-reports: ")
    assert message.endswith("; the directive shows nothing until this is fixed")
    for word in words:
        assert word in message
    assert cards(app) == []
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "unknown option" not in html and "Invalid option" not in html  # no docutils error block


GOOD = {
    # name: (options as written, the reports shown, by id)
    "years separated by spaces": (":year: 2021 2022\n", ["cloud-2022", "cloud-2021", "identity-2021"]),
    "years separated by commas": (":year: 2022,2021\n", ["cloud-2022", "cloud-2021", "identity-2021"]),
    "tags separated by commas, trimmed": (":tag:  policy ,identity \n", ["cloud-2021", "identity-2021"]),
    "one tag": (":tag: cloud\n", ["cloud-2022", "cloud-2021"]),
    "kind url": (":kind: url\n", ["cloud-2022"]),
    "groups separated by commas and spaces": (
        ":group: cloud-2021, identity-2021\n",
        ["cloud-2021", "identity-2021"],
    ),
    "no-index alone": (":no-index:\n:kind: file\n", ["cloud-2021", "identity-2021"]),
}


@pytest.mark.parametrize("fmt", ["md", "rst"])
@pytest.mark.parametrize("case", list(GOOD))
@pytest.mark.sphinx("html", testroot="basic", srcdir=CASES, freshenv=True)
def test_good_options_choose_their_reports(make_test_app, srcdir, case, fmt):
    options, shown = GOOD[case]
    page_with(srcdir, options, fmt)
    app = make_test_app()
    app.build()
    assert page_warnings(app) == []
    ids = {r.title: r.id for r in app.env.get_domain("dgx").catalogue.reports}
    assert [ids[visible(h)] for h in soup(app).select(".dgx-report-card .dgx-heading")] == shown


def test_the_reference_documents_how_options_are_separated():
    from sphinx_dgx.directives import ReportsDirective, WorkingGroupsDirective

    assert "separated by commas" in ReportsDirective.option_help["tag"]
    assert "four digits" in ReportsDirective.option_help["year"]
    assert "four digits" in WorkingGroupsDirective.option_help["year"]
    assert list(ReportsDirective.option_spec) == list(ReportsDirective.option_help)


# -- which page owns an entry shown on several ---------------------------------------------------


def outputs(app) -> dict[str, str]:
    """Every output file but the build info (which names the config, the same in both)."""
    return {name: digest for name, digest in tree(Path(app.outdir)).items() if name != ".buildinfo"}


@pytest.mark.slow
@pytest.mark.sphinx("html", testroot="owners", srcdir="owners", freshenv=True)
def test_parallel_and_serial_builds_give_the_same_bytes(make_test_app, srcdir):
    copy = srcdir.with_name(f"{srcdir.name}-parallel")
    shutil.copytree(srcdir, copy, ignore=shutil.ignore_patterns("_build"))
    serial = make_test_app()
    serial.build()
    serial.cleanup()  # its nodes and directives unregistered, as before a new process
    parallel = make_test_app(srcdir=copy, builddir=copy / "_build", parallel=2)
    assert parallel.is_parallel_allowed("read")
    parallel.build()
    assert outputs(parallel) == outputs(serial)
    assert "objects.inv" in outputs(serial)
    # the first page by name keeps each entry; the pages after it show it without an anchor
    for page in ("a-reports", "b-groups"):
        assert soup(parallel, page).select("[id^=dgx-]")
    for page in ("x-reports-again", "y-groups-again"):
        assert soup(parallel, page).select(".dgx-report-card, .dgx-working-group")
        assert soup(parallel, page).select("[id^=dgx-]") == []
    assert located(parallel.warning) == located(serial.warning)


@pytest.mark.sphinx("latex", testroot="owners", srcdir="owners-latex", freshenv=True)
def test_the_handbook_anchors_each_entry_once_on_its_own_page(app):
    app.build()
    [tex] = Path(app.outdir).glob("*.tex")
    labels = re.findall(r"\\label\{\\detokenize\{([^}]*:dgx-[^}]*)\}\}", tex.read_text(encoding="utf-8"))
    catalogue = app.env.get_domain("dgx").catalogue
    assert sorted(labels) == sorted(
        [f"a-reports:dgx-report-{r.id}" for r in catalogue.reports]
        + [f"b-groups:dgx-wg-{g.id}" for g in catalogue.groups]
    )
