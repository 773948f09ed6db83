"""Hostile shapes of values the other test files do not generate: page rotations and file names."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter
from pypdf.generic import FloatObject, NameObject, NumberObject, TextStringObject

from sphinx_dgx import facts
from sphinx_dgx.catalogue import loads
from sphinx_dgx.problems import Subtype

GROUP = "working_groups:\n  - id: g\n    name: G\n    year: 2021\n    summary: S.\n"


def pdf_rotated(path: Path, rotate) -> Path:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 300)
    page[NameObject("/Rotate")] = rotate
    writer.write(path)
    return path


@pytest.mark.parametrize(
    "rotate", [TextStringObject("abc"), NumberObject(45), FloatObject(12.5)], ids=["text", "45", "12.5"]
)
def test_a_bad_rotation_says_what_is_wrong_with_the_page(tmp_path, rotate):
    # the site shows the page as pdfium draws it (unturned); the handbook, which turns each page
    # by its /Rotate, leaves the report out and says why
    found, caveats = facts.examine(pdf_rotated(tmp_path / "r.pdf", rotate))
    assert isinstance(found, facts.FileFacts) and found.page_size == (200.0, 300.0)
    assert found.includable is False
    [caveat] = caveats
    assert caveat.subtype is Subtype.NOT_IN_HANDBOOK
    assert caveat.reason.startswith("page 1's /Rotate is ") and "multiple of 90" in caveat.reason
    assert "not all arguments converted" not in caveat.reason


@pytest.mark.parametrize("rotate", [0, 90, 180, 270, -90])
def test_a_rotation_by_quarter_turns_is_measured(tmp_path, rotate):
    found = facts.inspect(pdf_rotated(tmp_path / "r.pdf", NumberObject(rotate)))
    assert isinstance(found, facts.FileFacts)
    assert found.page_size == ((300.0, 200.0) if rotate % 180 else (200.0, 300.0))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=0, max_size=80))
def test_any_file_name_is_a_located_problem_or_a_report(tmp_path, name):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4\n")
    value = name.replace("\\", "\\\\").replace('"', '\\"')
    text = (
        GROUP
        + f'reports:\n  - id: r\n    title: R\n    working_group: g\n    summary: S.\n    file: "{value}"\n'
    )
    catalogue = loads(text, files_dir=str(tmp_path))
    for problem in catalogue.problems:
        assert isinstance(problem.subtype, Subtype)
        assert problem.line is not None and 1 <= problem.line <= text.count("\n") + 1
        assert "\n" not in problem.message
    for report in catalogue.reports:
        assert report.file is not None
        assert not Path(report.file).is_absolute() and ".." not in Path(report.file).parts
