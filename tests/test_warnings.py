"""Bad input: each mistake is one dgx warning at its file and line, and the rest still builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import parse_warnings


@pytest.mark.sphinx("html", testroot="bad", freshenv=True)
def test_each_mistake_is_one_located_dgx_warning(app, warning):
    app.build()
    assert sorted(parse_warnings(warning)) == sorted(
        [
            ("catalogue.yaml", 2, "missing_field", "working group 'cloud-2021' has no 'summary'"),
            (
                "catalogue.yaml",
                5,
                "unknown_key",
                "unknown key 'summery' in working group 'cloud-2021' (did you mean 'summary'?)",
            ),
            (
                "catalogue.yaml",
                15,
                "missing_file",
                "report 'data-2021': file 'files/Missing Report.pdf' does not exist",
            ),
            (
                "catalogue.yaml",
                18,
                "unknown_group",
                "report 'orphan' names unknown working group 'clod-2021'",
            ),
            ("catalogue.yaml", 25, "not_pdf", "report 'notes': file 'files/notes.pdf' is not a PDF"),
            (
                "catalogue.yaml",
                30,
                "bad_url",
                "url 'javascript:alert(1)' of report 'script' must be an absolute address starting with "
                "https:// or http://",
            ),
            (
                "index.md",
                3,
                "unknown_filter",
                "dgx-reports: no working group 'data-2020' in the catalogue (did you mean 'data-2021'?)",
            ),
            (
                "index.md",
                7,
                "unknown_filter",
                "dgx-working-groups: no year 2019 in the catalogue (it has 2021)",
            ),
            ("index.md", 11, "unknown_id", "unknown report id 'data-2012' (did you mean 'data-2021'?)"),
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
    found = parse_warnings(warning)
    assert len(found) == 1, found
    name, line, kind, message = found[0]
    assert (name, line, kind) == ("conf.py", 1, "missing_catalogue")
    assert (
        message.startswith("cannot read the catalogue: No such file or directory (")
        and "nowhere.yaml)" in message
    )


@pytest.mark.sphinx("html", testroot="basic", freshenv=True, confoverrides={"dgx_files_dir": " "})
def test_a_bad_config_value_falls_back_to_its_default(app, warning):
    app.build()
    found = parse_warnings(warning)
    assert found == [("conf.py", 3, "config", "dgx_files_dir must be non-empty text, not ' '; using 'files'")]
    assert (Path(app.outdir) / "files" / "identity.pdf").is_file()
