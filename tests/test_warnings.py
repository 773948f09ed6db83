"""Bad input: each mistake is one dgx warning at its file and line, and the rest still builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import warnings_of

WARNING = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+)?:? ?WARNING: (?P<msg>.*) \[(?P<kind>[\w.]+)\]$")


def parsed(warning) -> list[tuple[str, str, str, str]]:
    """(file name, line, type.subtype, message) for every warning line."""
    found = []
    for line in warnings_of(warning):
        match = WARNING.match(line)
        assert match, f"not a located warning: {line!r}"
        found.append((Path(match["file"]).name, match["line"], match["kind"], match["msg"]))
    return found


@pytest.mark.sphinx("html", testroot="bad", freshenv=True)
def test_each_mistake_is_one_located_dgx_warning(app, warning):
    app.build()
    assert sorted(parsed(warning)) == sorted(
        [
            ("catalogue.yaml", "2", "dgx.missing_field", "working group 'cloud-2021' has no 'summary'"),
            (
                "catalogue.yaml",
                "5",
                "dgx.unknown_key",
                "unknown key 'summery' in working group 'cloud-2021' (did you mean 'summary'?)",
            ),
            (
                "catalogue.yaml",
                "15",
                "dgx.missing_file",
                "report 'data-2021': file 'files/Missing Report.pdf' does not exist",
            ),
            (
                "catalogue.yaml",
                "18",
                "dgx.unknown_group",
                "report 'orphan' names unknown working group 'clod-2021'",
            ),
            ("catalogue.yaml", "25", "dgx.not_pdf", "report 'notes': file 'files/notes.pdf' is not a PDF"),
            (
                "catalogue.yaml",
                "30",
                "dgx.bad_url",
                "url 'javascript:alert(1)' of report 'script' must be an absolute address starting with "
                "https:// or http://",
            ),
            (
                "index.md",
                "3",
                "dgx.unknown_filter",
                "dgx-reports: no working group 'data-2020' in the catalogue (did you mean 'data-2021'?)",
            ),
            (
                "index.md",
                "7",
                "dgx.unknown_filter",
                "dgx-working-groups: no year 2019 in the catalogue (it has 2021)",
            ),
            ("index.md", "11", "dgx.unknown_id", "unknown report id 'data-2012' (did you mean 'data-2021'?)"),
        ]
    )


@pytest.mark.sphinx("html", testroot="bad", freshenv=True)
def test_the_rest_of_the_site_still_builds(app, warning):
    app.build()
    html = (Path(app.outdir) / "index.html").read_text()
    assert "Data report" in html  # kept, without a download
    assert "The file is not available yet." in html
    assert "javascript:" not in html
    assert 'href="files/' not in html
    assert "Traceback" not in warning.getvalue()


@pytest.mark.sphinx("html", testroot="basic", freshenv=True, confoverrides={"dgx_catalogue": "nowhere.yaml"})
def test_a_missing_catalogue_is_one_warning_at_conf_py(app, warning):
    app.build()
    found = parsed(warning)
    assert len(found) == 1, found
    name, line, kind, message = found[0]
    assert (name, line, kind) == ("conf.py", "1", "dgx.missing_catalogue")
    assert (
        message.startswith("cannot read the catalogue: No such file or directory (")
        and "nowhere.yaml)" in message
    )


@pytest.mark.sphinx("html", testroot="basic", freshenv=True, confoverrides={"dgx_files_dir": " "})
def test_a_bad_config_value_falls_back_to_its_default(app, warning):
    app.build()
    found = parsed(warning)
    assert found == [
        ("conf.py", "3", "dgx.config", "dgx_files_dir must be non-empty text, not ' '; using 'files'")
    ]
    assert (Path(app.outdir) / "files" / "identity.pdf").is_file()
