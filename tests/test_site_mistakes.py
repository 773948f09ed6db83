"""Mistakes an editor makes across the site (pages, years, files): one located warning with the real fix.

The root ``test-years`` is a two-year site without a warning; each case changes a copy of it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sphinx_dgx.newyear import TO_DO
from support import located, parse_warnings

PAGE_2022 = Path("working-groups", "2022.md")


def forget_one_year(src: Path) -> None:
    """The 2022 page copied from 2021 with one ``:year:`` left at 2021."""
    page = src / PAGE_2022
    page.write_text(
        page.read_text().replace(":year: 2022\n```\n\n## Reports", ":year: 2021\n```\n\n## Reports")
    )


def forget_both_years(src: Path) -> None:
    page = src / PAGE_2022
    page.write_text(page.read_text().replace(":year: 2022", ":year: 2021"))


def append(path: Path, text: str) -> Callable[[Path], None]:
    def change(src: Path) -> None:
        with (src / path).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return change


def add_file(name: str) -> Callable[[Path], None]:
    return lambda src: shutil.copyfile(src / "files" / "cloud-2021.pdf", src / "files" / name)


# name: (change, conf overrides, expected [(file name, line, subtype, words in the message)])
CASES = {
    "a copied page keeps one :year:": (
        forget_one_year,
        {},
        [
            (
                "2022.md",
                7,
                "duplicate_target",
                ["2 working groups", "(:year: 2021)", "did you mean :year: 2022?"],
            )
        ],
    ),
    "a copied page keeps both :year:": (
        forget_both_years,
        {},
        [
            ("2022.md", 7, "duplicate_target", ["did you mean :year: 2022?", "working-groups/2021"]),
            ("2022.md", 13, "duplicate_target", ["report 'cloud-2021'", "did you mean :year: 2022?"]),
            ("catalogue.yaml", 10, "year_not_shown", ["year 2022", "working-groups/2022"]),
        ],
    ),
    "a year with no page": (
        lambda src: (src / PAGE_2022).unlink(),
        {},
        [
            (
                "catalogue.yaml",
                10,
                "year_not_shown",
                [
                    "year 2022 has 2 working groups and 1 report",
                    "create working-groups/2022.md",
                    "new-year -- 2022",
                ],
            )
        ],
    ),
    "a kramdown attribute list": (
        append(PAGE_2022, '\nSee [the blog](https://example.org/blog){:target="_blank"} for more.\n'),
        {},
        [("2022.md", 18, "kramdown", ["'{:target=\"_blank\"}'", "open in a new tab already"])],
    ),
    "a placeholder left in": (
        append(PAGE_2022, f"\n**{TO_DO}** Say what the year's groups did.\n"),
        {},
        [("2022.md", 18, "placeholder", ["'To do: replace this paragraph.'", "overview"])],
    ),
    "a PDF no report uses": (
        add_file("DGX Data Report 2022.pdf"),
        {},
        [("catalogue.yaml", 24, "unused_file", ["files/DGX Data Report 2022.pdf", "dgx_unused_files"])],
    ),
    "a PDF kept on purpose": (add_file("draft.pdf"), {"dgx_unused_files": ["draft.pdf"]}, []),
    "a kept file that is not there": (
        lambda src: None,
        {"dgx_unused_files": ["gone.pdf"]},
        [("conf.py", 1, "config", ["'gone.pdf'", "not in files/"])],
    ),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("parallel", [1, 2])
@pytest.mark.sphinx("html", testroot="years", srcdir="years-mistake", freshenv=True)
def test_a_site_mistake_is_one_located_warning_with_the_fix(name, parallel, srcdir, make_test_app):
    change, conf, expected = CASES[name]
    change(srcdir)
    app = make_test_app(confoverrides=conf, parallel=parallel)
    app.build()
    assert located(app) == sorted(case[:3] for case in expected)
    for file, line, subtype, words in expected:
        message = next(w.message for w in parse_warnings(app) if w[:3] == (file, line, subtype))
        for word in words:
            assert word in message, (word, message)


@pytest.mark.sphinx("html", testroot="years", freshenv=True)
def test_the_root_has_no_warning(app):
    app.build()
    assert app._warning.getvalue() == ""
    assert (Path(app.outdir) / "working-groups" / "2022.html").is_file()


@pytest.mark.sphinx("html", testroot="years", srcdir="years-advice", freshenv=True)
def test_following_the_advice_removes_the_warning(srcdir, make_test_app):
    """The duplicate's advice (``:year: 2022``) is the real fix: the 2022 page then shows 2022."""
    forget_one_year(srcdir)
    first = make_test_app()
    first.build()
    (*_, message), *_ = parse_warnings(first)
    first.cleanup()
    hint = re.search(r"did you mean (:year: \d+)\?", message)[1]
    page = srcdir / PAGE_2022
    page.write_text(page.read_text().replace(":year: 2021", hint))
    again = make_test_app()
    again.build()
    assert parse_warnings(again) == []
    html = (Path(again.outdir) / "working-groups" / "2022.html").read_text()
    assert 'id="dgx-wg-cloud-2022"' in html and 'id="dgx-wg-cloud-2021"' not in html
