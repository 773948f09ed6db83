"""The mistakes content editors make: each one warning, with its subtype and file:line, and nothing else.

Every case builds a small site twice: without -W the rest of the site still builds; with -W the
build fails. No case may print a Python traceback.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from support import TESTS, located

GROUP = """working_groups:
  - id: cloud-2021
    name: Cloud
    year: 2021
    summary: The cloud WG met.
"""
REPORT = """reports:
  - id: cloud-2021
    title: Cloud governance
    working_group: cloud-2021
    summary: Baseline policies.
    file: report.pdf
"""
GOOD = GROUP + REPORT  # lines 1-5: the group; 6-11: the report
BAD_FILES = TESTS / "roots" / "test-cards" / "files"
CAT = "catalogue.yaml"


def report(**changes: str | None) -> str:
    """GOOD with the report's fields changed (None removes one; new ones follow from line 12)."""
    text = REPORT
    for key, value in changes.items():
        pattern = re.compile(rf"^    {key}: .*$", re.M)
        if pattern.search(text):
            text = pattern.sub("" if value is None else f"    {key}: {value}", text)
        elif value is not None:
            text += f"    {key}: {value}\n"
    return GROUP + re.sub(r"\n\n+", "\n", text)


def group(**changes: str | None) -> str:
    text = GOOD
    for key, value in changes.items():
        text = re.sub(
            rf"^    {key}: .*$", "" if value is None else f"    {key}: {value}", text, count=1, flags=re.M
        )
    return re.sub(r"\n\n+", "\n", text)


def copy_bad(name: str) -> Callable[[Path], None]:
    return lambda src: shutil.copyfile(BAD_FILES / name, src / "files" / "report.pdf")


def link_outside(src: Path) -> None:
    (src.parent / "secret.pdf").write_bytes((src / "files" / "report.pdf").read_bytes())
    os.symlink(src.parent / "secret.pdf", src / "files" / "link.pdf")


@dataclass
class Case:
    catalogue: str
    expected: list[tuple[str, int, str]]
    page: str = ""
    prepare: Callable[[Path], None] | None = None
    conf: dict[str, object] = field(default_factory=dict)


CASES = {
    "yaml syntax error": Case(GOOD.replace("    name: Cloud", "   name: Cloud"), [(CAT, 3, "yaml_error")]),
    "unclosed quote": Case(
        GOOD.replace("title: Cloud governance", 'title: "Cloud'), [(CAT, 8, "yaml_error")]
    ),
    "not UTF-8": Case(GOOD.replace("Cloud governance", "Caf\udce9"), [(CAT, 8, "yaml_error")]),
    "colon in an unquoted title": Case(report(title="Cloud: governance"), [(CAT, 8, "yaml_error")]),
    "tab in indentation": Case(GOOD.replace("    name: Cloud", "\tname: Cloud"), [(CAT, 3, "yaml_error")]),
    "comment in an unquoted title": Case(report(title="Report #2"), [(CAT, 8, "comment_in_value")]),
    "top level is a list": Case("- cloud\n- data\n", [(CAT, 1, "structure")]),
    "top level is text": Case("just some words\n", [(CAT, 1, "structure")]),
    "empty file": Case("", [(CAT, 1, "empty_catalogue")]),
    "empty lists": Case("working_groups: []\nreports: []\n", [(CAT, 1, "empty_catalogue")]),
    "section is a mapping": Case(GROUP + "reports:\n  id: x\n", [(CAT, 7, "structure")]),
    "entry is not a mapping": Case(GOOD + "  - just text\n", [(CAT, 12, "structure")]),
    "unknown top-level key": Case(GOOD + "report:\n  - id: x\n", [(CAT, 12, "unknown_key")]),
    "missing required field": Case(report(title=None), [(CAT, 7, "missing_field")]),
    "missing group field": Case(group(name=None), [(CAT, 2, "missing_field")]),
    "number for a title": Case(report(title="42"), [(CAT, 8, "wrong_type")]),
    "text for a list": Case(report(tags="cloud"), [(CAT, 12, "wrong_type")]),
    "boolean for a year": Case(group(year="yes"), [(CAT, 4, "wrong_type")]),
    "list for a summary": Case(report(summary="[a, b]"), [(CAT, 10, "wrong_type")]),
    "empty title": Case(report(title='""'), [(CAT, 8, "missing_field")]),
    "misspelt key": Case(
        report(summary=None, summery="Baseline policies."),
        [(CAT, 7, "missing_field"), (CAT, 11, "unknown_key")],
    ),
    "key given twice": Case(report(reference="A") + "    reference: B\n", [(CAT, 13, "duplicate_key")]),
    "bad id": Case(
        report().replace("  - id: cloud-2021\n    title", "  - id: Cloud 2021\n    title"),
        [(CAT, 7, "bad_id")],
    ),
    "duplicate report id": Case(
        GOOD + REPORT.removeprefix("reports:\n").replace("file: report.pdf", "url: https://example.org/x"),
        [(CAT, 12, "duplicate_id")],
    ),
    "duplicate group id": Case(
        GROUP + GROUP.removeprefix("working_groups:\n") + REPORT, [(CAT, 6, "duplicate_id")]
    ),
    "unknown working group": Case(report(working_group="clod-2021"), [(CAT, 9, "unknown_group")]),
    "group year out of range": Case(group(year="1921"), [(CAT, 4, "bad_year")]),
    "report year out of range": Case(report(year="2200"), [(CAT, 12, "bad_year")]),
    "both file and url": Case(report(url="https://example.org/x"), [(CAT, 7, "file_or_url")]),
    "neither file nor url": Case(report(file=None), [(CAT, 7, "file_or_url")]),
    "ftp url": Case(report(file=None, url="ftp://example.org/x.pdf"), [(CAT, 11, "bad_url")]),
    "javascript url": Case(report(file=None, url="javascript:alert(1)"), [(CAT, 11, "bad_url")]),
    "data url": Case(
        report(file=None, url="'data:text/html,<script>alert(1)</script>'"), [(CAT, 11, "bad_url")]
    ),
    "relative url": Case(report(file=None, url="reports/x.pdf"), [(CAT, 11, "bad_url")]),
    "missing file": Case(report(file="Missing Report 2021.pdf"), [(CAT, 11, "missing_file")]),
    "file name typo, the close name in files/": Case(
        report(file="DGX Working Group Cybersecurity.pdf"),
        [(CAT, 11, "missing_file")],
        prepare=lambda src: shutil.copyfile(
            src / "files" / "report.pdf", src / "files" / "DGX Working Group_Cybersecurity.pdf"
        ),
    ),
    "path leaving files/": Case(report(file="../conf.py"), [(CAT, 11, "bad_path")]),
    "absolute path": Case(report(file="/etc/passwd"), [(CAT, 11, "bad_path")]),
    "symlink outside": Case(report(file="link.pdf"), [(CAT, 11, "bad_path")], prepare=link_outside),
    "not a PDF": Case(
        report(),
        [(CAT, 11, "not_pdf")],
        prepare=lambda src: (src / "files" / "report.pdf").write_text("<html>"),
    ),
    "empty PDF file": Case(
        report(), [(CAT, 11, "not_pdf")], prepare=lambda src: (src / "files" / "report.pdf").write_bytes(b"")
    ),
    "PDF without pages": Case(report(), [(CAT, 11, "bad_pdf")], prepare=copy_bad("no-pages.pdf")),
    "corrupt PDF": Case(report(), [(CAT, 11, "bad_pdf")], prepare=copy_bad("corrupt.pdf")),
    "encrypted PDF": Case(report(), [(CAT, 11, "bad_pdf")], prepare=copy_bad("encrypted.pdf")),
    "cover not an image": Case(report(cover="report.pdf"), [(CAT, 12, "bad_cover")]),
    "unknown year in a filter": Case(
        GOOD, [("index.md", 11, "unknown_filter")], page="```{dgx-reports}\n:year: 2012\n```\n"
    ),
    "unknown group in a filter": Case(
        GOOD, [("index.md", 11, "unknown_filter")], page="```{dgx-reports}\n:group: clod-2021\n```\n"
    ),
    "unknown tag in a filter": Case(
        GOOD, [("index.md", 11, "unknown_filter")], page="```{dgx-reports}\n:tag: clouds\n```\n"
    ),
    "unknown report id in a role": Case(
        GOOD, [("index.md", 11, "unknown_id")], page="See {dgx:report}`cloud-2012`.\n"
    ),
    "unknown group id in a role": Case(GOOD, [("index.md", 11, "unknown_id")], page="See {dgx:wg}`cloud`.\n"),
    "missing catalogue": Case(
        GOOD, [("conf.py", 1, "missing_catalogue")], conf={"dgx_catalogue": "nowhere.yaml"}
    ),
}


def make_site(src: Path, case: Case) -> Path:
    """The test's copy of test-mistakes (*src*) with the case's catalogue, page text and changes."""
    raw = case.catalogue.encode("utf-8", "surrogateescape")  # "\udce9" stands for a lone latin-1 byte
    (src / CAT).write_bytes(raw)
    if case.page:
        with (src / "index.md").open("a") as page:
            page.write("\n" + case.page)
    if case.prepare:
        case.prepare(src)
    return src


@pytest.mark.parametrize("name", CASES)
@pytest.mark.sphinx("html", testroot="mistakes", srcdir="mistakes", freshenv=True)
def test_a_mistake_is_one_located_warning_and_the_rest_builds(name, srcdir, make_test_app):
    case = CASES[name]
    make_site(srcdir, case)
    app = make_test_app(confoverrides=case.conf)
    app.build()
    assert located(app) == sorted(case.expected)
    assert "Traceback" not in app.warning.getvalue() + app.status.getvalue()
    page = (Path(app.outdir) / "index.html").read_text()
    assert "Text that must survive any catalogue" in page
    app.cleanup()


@pytest.mark.parametrize("name", ["yaml syntax error", "missing file", "unknown report id in a role"])
@pytest.mark.sphinx("html", testroot="mistakes", srcdir="mistakes-w")
def test_with_w_a_mistake_fails_the_build(name, srcdir, tmp_path, capsys):
    """sphinx-build's command line, in this process (``python -m sphinx`` runs the same ``build_main``)."""
    make_site(srcdir, CASES[name])
    command = ["-W", "--keep-going", "-q", "--color", "-b", "html", str(srcdir), str(tmp_path / "out")]
    assert build_main(command) == 1
    stderr = capsys.readouterr().err
    assert "[dgx." in stderr and "Traceback" not in stderr
    # and without -W the same site builds (afresh: -E)
    assert build_main(["-E", *(c for c in command if c != "-W")]) == 0
