"""Mistakes an editor makes across the site (pages, years, files): one located warning with the real fix.

The root ``test-years`` is a two-year site without a warning; each case changes a copy of it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ANSI
from sphinx_dgx.newyear import TO_DO

WARNING = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+)?:? ?WARNING: (?P<message>.*) \[dgx\.(?P<subtype>\w+)\]$"
)
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


def located(warnings: str) -> list[tuple[str, int, str, str]]:
    found = []
    for line in ANSI.sub("", warnings).splitlines():
        match = WARNING.match(line)
        assert match, f"not one located dgx warning: {line!r}"
        found.append((Path(match["file"]).name, int(match["line"] or 0), match["subtype"], match["message"]))
    return found


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("parallel", [1, 2])
def test_a_site_mistake_is_one_located_warning_with_the_fix(name, parallel, rootdir, tmp_path, make_app):
    change, conf, expected = CASES[name]
    src = tmp_path / "site"
    shutil.copytree(rootdir / "test-years", src)
    change(src)
    app = make_app("html", srcdir=src, freshenv=True, confoverrides=conf, parallel=parallel)
    app.build()
    found = located(app._warning.getvalue())
    assert sorted((f, n, s) for f, n, s, _ in found) == sorted((f, n, s) for f, n, s, _ in expected)
    for file, line, subtype, words in expected:
        message = next(m for f, n, s, m in found if (f, n, s) == (file, line, subtype))
        for word in words:
            assert word in message, (word, message)


@pytest.mark.sphinx("html", testroot="years", freshenv=True)
def test_the_root_has_no_warning(app):
    app.build()
    assert app._warning.getvalue() == ""
    assert (Path(app.outdir) / "working-groups" / "2022.html").is_file()


def test_following_the_advice_removes_the_warning(rootdir, tmp_path, make_app):
    """The duplicate's advice (``:year: 2022``) is the real fix: the 2022 page then shows 2022."""
    src = tmp_path / "site"
    shutil.copytree(rootdir / "test-years", src)
    forget_one_year(src)
    first = make_app("html", srcdir=src, freshenv=True)
    first.build()
    (_, _, _, message), *_ = located(first._warning.getvalue())
    first.cleanup()
    hint = re.search(r"did you mean (:year: \d+)\?", message)[1]
    page = src / PAGE_2022
    page.write_text(page.read_text().replace(":year: 2021", hint))
    again = make_app("html", srcdir=src, freshenv=True)
    again.build()
    assert located(again._warning.getvalue()) == []
    html = (Path(again.outdir) / "working-groups" / "2022.html").read_text()
    assert 'id="dgx-wg-cloud-2022"' in html and 'id="dgx-wg-cloud-2021"' not in html
