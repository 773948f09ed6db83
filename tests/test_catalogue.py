"""Unit tests of the catalogue loader (:mod:`sphinx_dgx.catalogue`), without Sphinx.

Catalogue texts are written inline; line numbers in the assertions refer to the
lines of those texts (1-based, as the loader reports them). Report files are
written into ``tmp_path``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sites import SITES, make_site

from sphinx_dgx import facts
from sphinx_dgx.catalogue import Catalogue, load, loads
from sphinx_dgx.problems import Problem, Subtype

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

# One valid working group, lines 1-5. Reports appended after it start at line 6.
GROUP = """\
working_groups:
  - id: cloud-2021
    name: Cloud
    year: 2021
    summary: Cloud things.
"""


def report_catalogue(*extra: str, id: str = "r1", group: str = "cloud-2021") -> str:
    """GROUP plus one report (lines 6-10) followed by *extra* lines (from line 11)."""
    lines = [
        "reports:",  # 6
        f"  - id: {id}",  # 7
        "    title: A report",  # 8
        f"    working_group: {group}",  # 9
        "    summary: About it.",  # 10
    ]
    lines += [f"    {line}" for line in extra]  # 11, 12, ...
    return GROUP + "\n".join(lines) + "\n"


def only_problem(catalogue: Catalogue) -> Problem:
    """The single problem of *catalogue* (fails when there are none or several)."""
    assert len(catalogue.problems) == 1, [(p.subtype, p.line, p.message) for p in catalogue.problems]
    return catalogue.problems[0]


def assert_problem(catalogue: Catalogue, subtype: Subtype, line: int | None, *fragments: str) -> Problem:
    problem = only_problem(catalogue)
    assert problem.subtype is subtype
    assert problem.line == line
    for fragment in fragments:
        assert fragment in problem.message
    return problem


@pytest.fixture
def files_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    return folder


def load_text(text: str, files_dir: Path) -> Catalogue:
    return loads(text, "cat.yaml", str(files_dir))


# --------------------------------------------------------------------------
# The real catalogue


@pytest.fixture(scope="module", params=SITES)
def real(request, tmp_path_factory) -> Catalogue:
    """The real catalogue, as shipped and with a year added as an editor would."""
    docs = make_site(tmp_path_factory.mktemp("real"), request.param)
    return load(docs / "catalogue.yaml", docs.parent / "files")


def test_real_catalogue_has_no_problems(real: Catalogue) -> None:
    assert real.problems == ()


def test_real_2021_is_the_original_pages(real: Catalogue) -> None:
    """2021 does not change: its five groups (Safe Travel a special edition) and four reports."""
    assert [g.id for g in real.select_groups([2021])] == [
        "cloud-2021",
        "data-governance-2021",
        "digital-identity-2021",
        "digital-maturity-2021",
        "safe-travel-2021",
    ]
    reports = real.select_reports([2021])
    assert [r.kind for r in reports] == ["file", "file", "file", "url"]
    assert all(r.file_ok for r in real.reports)
    assert real.groups_by_id["safe-travel-2021"].special_edition is True


def test_real_digital_maturity_report_belongs_to_its_group(real: Catalogue) -> None:
    [report] = [r for r in real.reports if "Digital Maturity" in r.title]
    assert report.id == "digital-maturity-2021"
    assert report.group == "digital-maturity-2021"
    assert report.file == "DGX Digital Maturity Working Group Report 2021 - Digital Maturity MVP.pdf"
    assert real.reports_of("digital-maturity-2021") == [report]
    assert real.reports_of("digital-identity-2021") == [real.reports_by_id["digital-identity-2021"]]


def test_real_report_years_are_their_groups_years(real: Catalogue) -> None:
    for report in real.reports:
        assert report.year == real.groups_by_id[report.group].year
    assert 2021 in real.years


def test_real_summaries_are_folded(real: Catalogue) -> None:
    cloud = real.groups_by_id["cloud-2021"]
    assert "\n" not in cloud.summary
    assert cloud.summary.startswith("The cloud WG dwelled on the momentous shift")


# --------------------------------------------------------------------------
# Years and selection, on a small synthetic catalogue

TWO_YEARS = """\
working_groups:
  - id: cloud-2020
    name: Cloud
    year: 2020
    summary: Cloud 2020.
  - id: data-2021
    name: Data
    year: 2021
    summary: Data 2021.
  - id: cloud-2021
    name: Cloud
    year: 2021
    summary: Cloud 2021.
reports:
  - id: old-a
    title: Old A
    working_group: cloud-2020
    summary: s
    url: https://example.org/old-a
    tags: [cloud]
  - id: new-b
    title: New B
    working_group: data-2021
    summary: s
    file: b.pdf
    tags: [data, policy]
  - id: old-c
    title: Old C
    working_group: cloud-2020
    summary: s
    file: c.pdf
    tags: [policy]
  - id: new-d
    title: New D
    working_group: cloud-2021
    summary: s
    url: https://example.org/new-d
  - id: later-e
    title: Later E
    working_group: cloud-2020
    year: 2022
    summary: s
    url: https://example.org/later-e
    tags: [cloud]
"""


@pytest.fixture
def two_years(files_dir: Path) -> Catalogue:
    (files_dir / "b.pdf").write_bytes(PDF)
    (files_dir / "c.pdf").write_bytes(PDF)
    catalogue = load_text(TWO_YEARS, files_dir)
    assert catalogue.problems == ()
    return catalogue


def ids(items) -> list[str]:
    return [item.id for item in items]


def test_report_year_defaults_to_group_and_can_be_overridden(two_years: Catalogue) -> None:
    by_id = two_years.reports_by_id
    assert by_id["old-a"].year == 2020
    assert by_id["new-b"].year == 2021
    assert by_id["later-e"].year == 2022
    assert by_id["later-e"].group == "cloud-2020"
    assert two_years.years == (2022, 2021, 2020)
    assert two_years.tags == ("cloud", "data", "policy")


def test_select_reports_order_newest_year_first_then_catalogue_order(two_years: Catalogue) -> None:
    assert ids(two_years.select_reports()) == ["later-e", "new-b", "new-d", "old-a", "old-c"]


def test_select_reports_filter_years(two_years: Catalogue) -> None:
    assert ids(two_years.select_reports(years=[2020])) == ["old-a", "old-c"]
    assert ids(two_years.select_reports(years=[2020, 2021])) == ["new-b", "new-d", "old-a", "old-c"]
    assert two_years.select_reports(years=[1999]) == []


def test_select_reports_filter_groups(two_years: Catalogue) -> None:
    assert ids(two_years.select_reports(groups=["cloud-2020"])) == ["later-e", "old-a", "old-c"]
    assert ids(two_years.select_reports(groups=("data-2021", "cloud-2021"))) == ["new-b", "new-d"]


def test_select_reports_filter_tags_match_any(two_years: Catalogue) -> None:
    assert ids(two_years.select_reports(tags=["policy"])) == ["new-b", "old-c"]
    assert ids(two_years.select_reports(tags=["cloud", "data"])) == ["later-e", "new-b", "old-a"]
    assert two_years.select_reports(tags=["nothing"]) == []


def test_select_reports_filter_kind(two_years: Catalogue) -> None:
    assert ids(two_years.select_reports(kind="file")) == ["new-b", "old-c"]
    assert ids(two_years.select_reports(kind="url")) == ["later-e", "new-d", "old-a"]


def test_select_reports_filters_combine(two_years: Catalogue) -> None:
    assert ids(two_years.select_reports(years=[2020], tags=["policy"])) == ["old-c"]
    assert ids(two_years.select_reports(groups=["cloud-2020"], kind="url")) == ["later-e", "old-a"]
    assert two_years.select_reports(years=[2021], groups=["cloud-2020"]) == []


def test_select_groups(two_years: Catalogue) -> None:
    assert ids(two_years.select_groups()) == ["data-2021", "cloud-2021", "cloud-2020"]
    assert ids(two_years.select_groups(years=[2020])) == ["cloud-2020"]
    assert ids(two_years.select_groups(years={2021})) == ["data-2021", "cloud-2021"]
    assert two_years.select_groups(years=[2022]) == []


def test_reports_of(two_years: Catalogue) -> None:
    assert ids(two_years.reports_of("cloud-2020")) == ["old-a", "old-c", "later-e"]
    assert two_years.reports_of("nope") == []


# --------------------------------------------------------------------------
# The file as a whole


def test_yaml_syntax_error_line() -> None:
    text = "working_groups:\n  - id: a\n    name: b: c\n"
    catalogue = loads(text)
    assert_problem(catalogue, Subtype.YAML_ERROR, 3, "not valid YAML", "colon", 'name: "b: c"')
    assert catalogue.groups == () and catalogue.reports == ()


def test_yaml_syntax_error_bad_indentation_line() -> None:
    text = "working_groups:\n  - id: a\n    name: b\n   year: 3\n"
    assert_problem(loads(text), Subtype.YAML_ERROR, 4, "not valid YAML")


def test_top_level_list() -> None:
    assert_problem(
        loads("# comment\n- a\n- b\n"),
        Subtype.STRUCTURE,
        2,
        "must be a mapping with 'working_groups' and 'reports'",
        "not a list",
    )


def test_top_level_scalar() -> None:
    assert_problem(loads("hello\n"), Subtype.STRUCTURE, 1, "must be a mapping", "not a single value")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    assert_problem(loads(text), Subtype.EMPTY_CATALOGUE, 1, "the catalogue is empty")


def test_empty_lists() -> None:
    text = "# nothing yet\n\nworking_groups: []\nreports: []\n"
    catalogue = loads(text)
    assert_problem(catalogue, Subtype.EMPTY_CATALOGUE, 3, "no working groups and no reports")


def test_null_sections_are_empty_lists() -> None:
    assert_problem(loads("working_groups:\nreports:\n"), Subtype.EMPTY_CATALOGUE, 1, "the catalogue is empty")


def test_missing_catalogue(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    catalogue = load(path, tmp_path)
    problem = assert_problem(catalogue, Subtype.MISSING_CATALOGUE, None, "cannot read the catalogue")
    assert "No such file" in problem.message
    assert problem.path == str(path)
    assert problem.location == str(path)
    assert catalogue.groups == () and catalogue.reports == ()


def test_catalogue_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes((GROUP.replace("Cloud things.", "Caf\xe9.")).encode("latin-1"))
    catalogue = load(path, tmp_path)
    problem = assert_problem(catalogue, Subtype.YAML_ERROR, 5, "not UTF-8")
    assert problem.location == f"{path}:5"  # the line of the first byte that is not UTF-8
    assert catalogue.groups == ()


def test_load_reads_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "cat.yaml"
    path.write_text(GROUP.replace("Cloud things.", "Café — ünïcode."), encoding="utf-8")
    catalogue = load(path, tmp_path)
    assert catalogue.problems == ()
    assert catalogue.groups[0].summary == "Café — ünïcode."
    assert catalogue.path == str(path)


def test_unknown_top_level_key_with_hint() -> None:
    text = GROUP + "report: []\n"
    catalogue = loads(text)
    assert_problem(
        catalogue, Subtype.UNKNOWN_KEY, 6, "unknown top-level key 'report'", "did you mean 'reports'?"
    )
    assert ids(catalogue.groups) == ["cloud-2021"]


def test_unknown_top_level_key_without_hint() -> None:
    problem = assert_problem(loads(GROUP + "zzz: 1\n"), Subtype.UNKNOWN_KEY, 6, "'zzz'")
    assert "did you mean" not in problem.message


def test_duplicate_top_level_key() -> None:
    catalogue = loads(GROUP + "working_groups: []\n")
    assert_problem(catalogue, Subtype.DUPLICATE_KEY, 6, "'working_groups' is given twice")
    assert ids(catalogue.groups) == ["cloud-2021"]


def test_section_is_a_mapping() -> None:
    text = GROUP + "reports:\n  id: r1\n  title: T\n"
    catalogue = loads(text)
    assert_problem(catalogue, Subtype.STRUCTURE, 7, "'reports' must be a list of entries", "not a mapping")
    assert ids(catalogue.groups) == ["cloud-2021"]


def test_section_is_a_scalar() -> None:
    assert_problem(
        loads("working_groups: cloud\n"),
        Subtype.STRUCTURE,
        1,
        "'working_groups' must be a list",
        "single value",
    )


# --------------------------------------------------------------------------
# Entries: structure and fields


def test_entry_not_a_mapping() -> None:
    text = GROUP + "  - just text\n"
    catalogue = loads(text)
    assert_problem(catalogue, Subtype.STRUCTURE, 6, "each working group must be a mapping of fields")
    assert ids(catalogue.groups) == ["cloud-2021"]


def test_report_entry_not_a_mapping() -> None:
    text = GROUP + "reports:\n  - [a, b]\n"
    assert_problem(loads(text), Subtype.STRUCTURE, 7, "each report must be a mapping of fields")


@pytest.mark.parametrize("missing", ["name", "year", "summary"])
def test_group_missing_required_field(missing: str) -> None:
    text = "\n".join(line for line in GROUP.splitlines() if not line.strip().startswith(f"{missing}:"))
    text += "\n" + "  - id: data-2021\n    name: Data\n    year: 2021\n    summary: s\n"
    catalogue = loads(text)
    assert_problem(catalogue, Subtype.MISSING_FIELD, 2, f"working group 'cloud-2021' has no '{missing}'")
    assert ids(catalogue.groups) == ["data-2021"]


def test_group_missing_id() -> None:
    text = "working_groups:\n  - name: Cloud\n    year: 2021\n    summary: s\n"
    catalogue = loads(text)
    assert_problem(catalogue, Subtype.MISSING_FIELD, 2, "working group has no 'id'")
    assert catalogue.groups == ()


@pytest.mark.parametrize("missing", ["title", "working_group", "summary"])
def test_report_missing_required_field(missing: str) -> None:
    lines = report_catalogue("url: https://example.org/r1").splitlines()
    # Drop the field from the report only (lines 6 on), not from the group.
    text = "\n".join(lines[:5] + [line for line in lines[5:] if not line.strip().startswith(f"{missing}:")])
    catalogue = loads(text + "\n")
    assert_problem(catalogue, Subtype.MISSING_FIELD, 7, f"report 'r1' has no '{missing}'")
    assert catalogue.reports == ()
    assert ids(catalogue.groups) == ["cloud-2021"]


def test_report_missing_id() -> None:
    text = (
        GROUP
        + "reports:\n  - title: T\n    working_group: cloud-2021\n    summary: s\n    url: https://x.org\n"
    )
    assert_problem(loads(text), Subtype.MISSING_FIELD, 7, "report has no 'id'")


def test_wrong_type_number_for_title() -> None:
    text = report_catalogue("url: https://example.org").replace("title: A report", "title: 42")
    catalogue = loads(text)
    assert_problem(catalogue, Subtype.WRONG_TYPE, 8, "'title' of report 'r1' must be text", "the number 42")
    assert catalogue.reports == ()


def test_wrong_type_string_for_tags() -> None:
    catalogue = loads(report_catalogue("url: https://example.org", "tags: cloud"))
    assert_problem(
        catalogue, Subtype.WRONG_TYPE, 12, "'tags' of report 'r1' must be a list of text", "not text"
    )
    assert catalogue.reports == ()


def test_wrong_type_tag_items() -> None:
    catalogue = loads(report_catalogue("url: https://example.org", "tags: [cloud, 2021]"))
    assert_problem(catalogue, Subtype.WRONG_TYPE, 12, "'tags' of report 'r1' must be a list of text")


def test_wrong_type_boolean_for_group_year() -> None:
    catalogue = loads(GROUP.replace("year: 2021", "year: true"))
    assert_problem(
        catalogue,
        Subtype.WRONG_TYPE,
        4,
        "'year' of working group 'cloud-2021' must be a whole number",
        "true/false",
    )
    assert catalogue.groups == ()


def test_wrong_type_boolean_for_report_year() -> None:
    catalogue = loads(report_catalogue("url: https://example.org", "year: yes"))
    assert_problem(
        catalogue, Subtype.WRONG_TYPE, 12, "'year' of report 'r1' must be a whole number", "true/false"
    )


def test_wrong_type_list_for_summary() -> None:
    catalogue = loads(GROUP.replace("summary: Cloud things.", "summary: [a, b]"))
    assert_problem(
        catalogue, Subtype.WRONG_TYPE, 5, "'summary' of working group 'cloud-2021' must be text", "a list"
    )


def test_wrong_type_special_edition() -> None:
    catalogue = loads(GROUP + "    special_edition: 'yes'\n")
    assert_problem(catalogue, Subtype.WRONG_TYPE, 6, "'special_edition'", "must be true or false", "not text")


def test_wrong_type_number_for_id() -> None:
    catalogue = loads(GROUP.replace("id: cloud-2021", "id: 2021"))
    assert_problem(
        catalogue, Subtype.WRONG_TYPE, 2, "'id' of working group '2021' must be text", "the number 2021"
    )


@pytest.mark.parametrize("value", ['""', "'   '"])
def test_empty_required_field(value: str) -> None:
    catalogue = loads(GROUP.replace("name: Cloud", f"name: {value}"))
    assert_problem(catalogue, Subtype.MISSING_FIELD, 3, "'name' of working group 'cloud-2021' is empty")
    assert catalogue.groups == ()


def test_empty_required_report_field() -> None:
    catalogue = loads(
        report_catalogue("url: https://example.org").replace("summary: About it.", "summary: ''")
    )
    assert_problem(catalogue, Subtype.MISSING_FIELD, 10, "'summary' of report 'r1' is empty")


def test_unknown_key_in_entry_with_hint_keeps_entry() -> None:
    catalogue = loads(report_catalogue("url: https://example.org", "summery: typo"))
    assert_problem(
        catalogue,
        Subtype.UNKNOWN_KEY,
        12,
        "unknown key 'summery' in report 'r1'",
        "(did you mean 'summary'?)",
    )
    assert ids(catalogue.reports) == ["r1"]
    assert catalogue.reports[0].summary == "About it."


def test_unknown_key_in_group_with_hint() -> None:
    catalogue = loads(GROUP + "    nmae: Typo\n")
    assert_problem(
        catalogue, Subtype.UNKNOWN_KEY, 6, "'nmae' in working group 'cloud-2021'", "did you mean 'name'?"
    )
    assert ids(catalogue.groups) == ["cloud-2021"]


def test_duplicate_key_in_entry() -> None:
    catalogue = loads(report_catalogue("url: https://example.org", "title: Again"))
    assert_problem(catalogue, Subtype.DUPLICATE_KEY, 12, "key 'title' is given twice in this report")
    assert catalogue.reports == ()


def test_non_text_key_in_entry() -> None:
    catalogue = loads(GROUP + "    1: one\n")
    assert_problem(catalogue, Subtype.STRUCTURE, 6, "field names must be text", "1")
    assert catalogue.groups == ()


@pytest.mark.parametrize("bad", ["Cloud-2021", "cloud 2021", "'cloud_2021'", "-cloud", "cloud-"])
def test_bad_group_id(bad: str) -> None:
    catalogue = loads(GROUP.replace("id: cloud-2021", f"id: {bad}"))
    problem = assert_problem(
        catalogue, Subtype.BAD_ID, 2, "working group id", "lower-case letters, digits and hyphens"
    )
    assert repr(bad.strip("'")) in problem.message
    assert catalogue.groups == ()


def test_bad_report_id() -> None:
    catalogue = loads(report_catalogue("url: https://example.org", id="'Cloud Report'"))
    assert_problem(catalogue, Subtype.BAD_ID, 7, "report id 'Cloud Report' must be lower-case")
    assert catalogue.reports == ()


def test_duplicate_group_id_names_first_line() -> None:
    text = GROUP + "  - id: cloud-2021\n    name: Other\n    year: 2022\n    summary: s\n"
    catalogue = loads(text)
    assert_problem(
        catalogue,
        Subtype.DUPLICATE_ID,
        6,
        "duplicate working group id 'cloud-2021'",
        "first defined at <catalogue>:2",
    )
    assert [g.name for g in catalogue.groups] == ["Cloud"]


def test_duplicate_report_id_names_first_line() -> None:
    text = report_catalogue("url: https://example.org/1")
    text += "  - id: r1\n    title: Second\n    working_group: cloud-2021\n    summary: s\n    url: https://x.org\n"
    catalogue = load_text(text, Path("."))
    assert_problem(
        catalogue, Subtype.DUPLICATE_ID, 12, "duplicate report id 'r1'", "(first defined at cat.yaml:7)"
    )
    assert [r.title for r in catalogue.reports] == ["A report"]


def test_same_id_for_group_and_report_is_fine() -> None:
    catalogue = loads(report_catalogue("url: https://example.org", id="cloud-2021"))
    assert catalogue.problems == ()
    assert ids(catalogue.reports) == ["cloud-2021"]


def test_unknown_working_group_with_hint() -> None:
    catalogue = loads(report_catalogue("url: https://example.org", group="clod-2021"))
    assert_problem(
        catalogue,
        Subtype.UNKNOWN_GROUP,
        9,
        "report 'r1' names unknown working group 'clod-2021'",
        "(did you mean 'cloud-2021'?)",
    )
    assert catalogue.reports == ()


def test_unknown_working_group_without_hint() -> None:
    problem = assert_problem(
        loads(report_catalogue("url: https://example.org", group="zzz")), Subtype.UNKNOWN_GROUP, 9, "'zzz'"
    )
    assert "did you mean" not in problem.message


@pytest.mark.parametrize("year", [1989, 2101, 0, -2021, 20210])
def test_group_year_out_of_range(year: int) -> None:
    catalogue = loads(GROUP.replace("year: 2021", f"year: {year}"))
    assert_problem(
        catalogue, Subtype.BAD_YEAR, 4, f"year {year} of working group 'cloud-2021' is outside 1990-2100"
    )
    assert catalogue.groups == ()


@pytest.mark.parametrize("year", [1990, 2100])
def test_group_year_bounds_are_inclusive(year: int) -> None:
    catalogue = loads(GROUP.replace("year: 2021", f"year: {year}"))
    assert catalogue.problems == ()
    assert catalogue.groups[0].year == year


def test_report_year_out_of_range() -> None:
    catalogue = loads(report_catalogue("url: https://example.org", "year: 1921"))
    assert_problem(catalogue, Subtype.BAD_YEAR, 12, "year 1921 of report 'r1' is outside 1990-2100")
    assert catalogue.reports == ()


# --------------------------------------------------------------------------
# file and url


def test_both_file_and_url(files_dir: Path) -> None:
    (files_dir / "r.pdf").write_bytes(PDF)
    catalogue = load_text(report_catalogue("file: r.pdf", "url: https://example.org"), files_dir)
    assert_problem(catalogue, Subtype.FILE_OR_URL, 7, "report 'r1' has both 'file' and 'url'")
    assert catalogue.reports == ()


def test_neither_file_nor_url() -> None:
    catalogue = loads(report_catalogue("tags: [x]"))
    assert_problem(catalogue, Subtype.FILE_OR_URL, 7, "report 'r1' has neither 'file' nor 'url'")
    assert catalogue.reports == ()


def test_empty_url_counts_as_absent() -> None:
    catalogue = loads(report_catalogue("url: ''"))
    assert_problem(catalogue, Subtype.FILE_OR_URL, 7, "neither 'file' nor 'url'")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://x",
        "reports/r1.html",
        "/reports/r1.html",
        "//example.org/r1",
        "https://",
        "mailto:a@example.org",
        "http://[x",  # urlsplit raises for a bracket that opens no IPv6 address
    ],
)
def test_bad_url(url: str) -> None:
    catalogue = loads(report_catalogue(f"url: '{url}'"))
    assert_problem(
        catalogue,
        Subtype.BAD_URL,
        11,
        f"url {url!r} of report 'r1'",
        "must be an absolute address starting with https://",
    )
    assert catalogue.reports == ()


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=c#d", "http://example.org", "HTTPS://EXAMPLE.ORG/x"]
)
def test_good_url(url: str) -> None:
    catalogue = loads(report_catalogue(f"url: '{url}'"))
    assert catalogue.problems == ()
    [report] = catalogue.reports
    assert report.url == url
    assert report.kind == "url"
    assert report.file is None
    assert report.file_ok is True


def test_url_is_stripped() -> None:
    catalogue = loads(report_catalogue("url: '  https://example.org/x  '"))
    assert catalogue.problems == ()
    assert catalogue.reports[0].url == "https://example.org/x"


@pytest.mark.parametrize("name", ["../x.pdf", "sub/../../x.pdf", "a\\\\b.pdf"])
def test_file_path_escaping(files_dir: Path, name: str) -> None:
    (files_dir.parent / "x.pdf").write_bytes(PDF)
    catalogue = load_text(report_catalogue(f'file: "{name}"'), files_dir)
    assert_problem(catalogue, Subtype.BAD_PATH, 11, "of report 'r1' is outside the files folder")
    assert catalogue.reports == ()


def test_file_absolute_path(files_dir: Path) -> None:
    target = files_dir / "r.pdf"
    target.write_bytes(PDF)
    catalogue = load_text(report_catalogue(f"file: '{target}'"), files_dir)
    assert_problem(
        catalogue, Subtype.BAD_PATH, 11, f"file {str(target)!r} of report 'r1' is outside the files folder"
    )
    assert catalogue.reports == ()


def test_symlink_pointing_outside(files_dir: Path) -> None:
    secret = files_dir.parent / "secret.pdf"
    secret.write_bytes(PDF)
    (files_dir / "link.pdf").symlink_to(secret)
    catalogue = load_text(report_catalogue("file: link.pdf"), files_dir)
    assert_problem(
        catalogue, Subtype.BAD_PATH, 11, "file 'link.pdf' of report 'r1' leads outside the files folder"
    )
    assert catalogue.reports == ()


def test_symlinked_directory_pointing_outside(files_dir: Path) -> None:
    outside = files_dir.parent / "outside"
    outside.mkdir()
    (outside / "r.pdf").write_bytes(PDF)
    (files_dir / "sub").symlink_to(outside, target_is_directory=True)
    catalogue = load_text(report_catalogue("file: sub/r.pdf"), files_dir)
    assert_problem(catalogue, Subtype.BAD_PATH, 11, "leads outside the files folder")


def test_symlink_inside_files_is_fine(files_dir: Path) -> None:
    (files_dir / "real.pdf").write_bytes(PDF)
    (files_dir / "alias.pdf").symlink_to(files_dir / "real.pdf")
    catalogue = load_text(report_catalogue("file: alias.pdf"), files_dir)
    assert catalogue.problems == ()
    assert catalogue.reports[0].file_ok is True


def test_missing_file_keeps_report(files_dir: Path) -> None:
    catalogue = load_text(report_catalogue("file: Cloud.pdf"), files_dir)
    assert_problem(catalogue, Subtype.MISSING_FILE, 11, "report 'r1': file 'files/Cloud.pdf' does not exist")
    [report] = catalogue.reports
    assert report.file == "Cloud.pdf"
    assert report.file_ok is False
    assert report.kind == "file"


def test_directory_instead_of_file(files_dir: Path) -> None:
    (files_dir / "dir.pdf").mkdir()
    catalogue = load_text(report_catalogue("file: dir.pdf"), files_dir)
    assert_problem(catalogue, Subtype.MISSING_FILE, 11, "'files/dir.pdf' cannot be read: Is a directory")
    assert catalogue.reports[0].file_ok is False


def test_file_name_is_case_sensitive(files_dir: Path) -> None:
    (files_dir / "cloud.pdf").write_bytes(PDF)
    catalogue = load_text(report_catalogue("file: Cloud.pdf"), files_dir)
    assert_problem(catalogue, Subtype.MISSING_FILE, 11, "'files/Cloud.pdf' does not exist")


@pytest.mark.parametrize("content", [b"<html>not a pdf</html>\n", b""], ids=["html", "empty"])
def test_not_pdf_is_judged_by_facts_not_by_the_catalogue(files_dir: Path, content: bytes) -> None:
    """The catalogue only needs the file to be there; its content is judged by facts.inspect.

    The build warns about it at the line of the ``file`` field (test_mistakes: 'not a PDF').
    """
    (files_dir / "fake.pdf").write_bytes(content)
    catalogue = load_text(report_catalogue("file: fake.pdf"), files_dir)
    assert catalogue.problems == ()
    [report] = catalogue.reports
    assert (report.file, report.file_ok, report.file_line) == ("fake.pdf", True, 11)
    judged = facts.inspect(files_dir / report.file)
    assert isinstance(judged, facts.Unreadable)
    assert (judged.subtype, judged.reason) == (Subtype.NOT_PDF, "is not a PDF")


def test_pdf_judged_by_content_not_name(files_dir: Path) -> None:
    (files_dir / "report.bin").write_bytes(PDF)
    catalogue = load_text(report_catalogue("file: report.bin"), files_dir)
    assert catalogue.problems == ()
    assert catalogue.reports[0].file_ok is True


def test_file_name_with_spaces_and_capitals(files_dir: Path) -> None:
    name = "DGX Cloud Working Group Report 2021 - Baseline Policies.pdf"
    (files_dir / name).write_bytes(PDF)
    catalogue = load_text(report_catalogue(f"file: {name}"), files_dir)
    assert catalogue.problems == ()
    [report] = catalogue.reports
    assert report.file == name
    assert report.file_ok is True
    assert report.kind == "file"
    assert report.url is None


def test_file_in_subfolder(files_dir: Path) -> None:
    (files_dir / "2021").mkdir()
    (files_dir / "2021" / "r.pdf").write_bytes(PDF)
    catalogue = load_text(report_catalogue("file: 2021/r.pdf"), files_dir)
    assert catalogue.problems == ()
    assert catalogue.reports[0].file == "2021/r.pdf"


# --------------------------------------------------------------------------
# Links of working groups


def test_group_links(tmp_path: Path) -> None:
    text = GROUP + "    links:\n      - title: ' Blog '\n        url: https://example.org/blog\n"
    catalogue = loads(text)
    assert catalogue.problems == ()
    [link] = catalogue.groups[0].links
    assert (link.title, link.url, link.line) == ("Blog", "https://example.org/blog", 7)


def test_group_link_bad_url_skips_group() -> None:
    text = GROUP + "    links:\n      - title: Blog\n        url: javascript:alert(1)\n"
    catalogue = loads(text)
    assert_problem(catalogue, Subtype.BAD_URL, 8, "'javascript:alert(1)' of working group 'cloud-2021'")
    assert catalogue.groups == ()


def test_group_link_missing_url() -> None:
    text = GROUP + "    links:\n      - title: Blog\n"
    catalogue = loads(text)
    assert_problem(catalogue, Subtype.MISSING_FIELD, 7, "link of working group 'cloud-2021' has no 'url'")
    assert catalogue.groups == ()


# --------------------------------------------------------------------------
# Invalid entries are skipped, the rest loads

MIXED = """\
working_groups:
  - id: cloud-2021
    name: Cloud
    year: 2021
    summary: Cloud.
  - id: Bad Group
    name: Bad
    year: 2021
    summary: s
  - id: data-2021
    name: Data
    year: 1900
    summary: s
  - id: identity-2021
    name: Identity
    year: 2021
    summary: Identity.
reports:
  - id: ok-url
    title: OK by url
    working_group: cloud-2021
    summary: s
    url: https://example.org/ok
  - id: evil
    title: Evil
    working_group: cloud-2021
    summary: s
    url: javascript:alert(1)
  - id: orphan
    title: Of a skipped group
    working_group: data-2021
    summary: s
    url: https://example.org/orphan
  - id: ok-file
    title: OK by file
    working_group: identity-2021
    summary: s
    file: ok.pdf
  - id: gone
    title: Missing file
    working_group: identity-2021
    summary: s
    file: gone.pdf
  - not a mapping
  - id: no-title
    working_group: cloud-2021
    summary: s
    url: https://example.org/no-title
"""


def test_invalid_entries_are_skipped_rest_loads(files_dir: Path) -> None:
    (files_dir / "ok.pdf").write_bytes(PDF)
    catalogue = load_text(MIXED, files_dir)
    assert ids(catalogue.groups) == ["cloud-2021", "identity-2021"]
    assert ids(catalogue.reports) == ["ok-url", "ok-file", "gone"]
    assert catalogue.reports_by_id["ok-file"].file_ok is True
    assert catalogue.reports_by_id["gone"].file_ok is False
    assert [(p.subtype, p.line) for p in catalogue.problems] == [
        (Subtype.BAD_ID, 6),
        (Subtype.BAD_YEAR, 12),
        (Subtype.BAD_URL, 28),
        # the orphan of the skipped group data-2021 is left out without a second warning
        (Subtype.MISSING_FILE, 43),
        (Subtype.STRUCTURE, 44),
        (Subtype.MISSING_FIELD, 45),
    ]
    assert all(p.path == "cat.yaml" for p in catalogue.problems)


# --------------------------------------------------------------------------
# Never raises

BAD_TEXTS = {
    "syntax": "working_groups:\n  - id: a\n    name: b: c\n",
    "unclosed": "working_groups: [\n",
    "tab": "working_groups:\n\t- id: a\n",
    "control_char": "working_groups: \x07\n",
    "undefined_alias": "working_groups: *nope\n",
    "list": "- a\n",
    "scalar": "42\n",
    "empty": "",
    "empty_lists": "working_groups: []\nreports: []\n",
    "unknown_top": "workinggroups: []\n",
    "complex_top_key": "? [a, b]\n: 1\n",
    "null_top_key": "null: 1\n",
    "section_mapping": "working_groups: {a: 1}\n",
    "entry_scalar": "working_groups: [1, null, [x]]\nreports: [true]\n",
    "entry_complex_key": "working_groups:\n  - ? [a]\n    : 1\n",
    "missing": "working_groups:\n  - id: a\n",
    "wrong_types": (
        "working_groups:\n  - id: [a]\n    name: {b: 1}\n    year: 2021.5\n    summary: 2021-01-01\n"
    ),
    "null_values": "working_groups:\n  - id:\n    name:\n    year:\n    summary:\n",
    "links_not_list": GROUP + "    links: https://example.org\n",
    "links_scalars": GROUP + "    links: [1, 2]\n",
    "huge_year": GROUP.replace("2021", "99999999999999999999999999"),
    "anchors": GROUP
    + "reports:\n  - &r {id: a, title: t, working_group: cloud-2021, summary: s, url: 'https://x.org'}\n"
    "  - *r\n",
    "report_bad_everything": report_catalogue(
        "file: ../x", "url: ftp://x", "tags: [1]", "year: 3", group="no"
    ),
    "report_no_group": report_catalogue("url: https://x.org", group="''"),
    "report_tags_null": report_catalogue("url: https://x.org", "tags: [null, '']"),
}


@pytest.mark.parametrize("text", BAD_TEXTS.values(), ids=BAD_TEXTS.keys())
def test_loads_never_raises(text: str, files_dir: Path) -> None:
    catalogue = load_text(text, files_dir)
    assert isinstance(catalogue, Catalogue)
    assert catalogue.problems
    for problem in catalogue.problems:
        assert isinstance(problem.subtype, Subtype)
        assert problem.message
        assert problem.line is None or problem.line >= 1


@pytest.mark.parametrize("text", BAD_TEXTS.values(), ids=BAD_TEXTS.keys())
def test_load_never_raises(text: str, tmp_path: Path, files_dir: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    catalogue = load(path, files_dir)
    assert catalogue.problems
    assert all(p.path == str(path) for p in catalogue.problems)


def test_load_never_raises_on_odd_files(tmp_path: Path, files_dir: Path) -> None:
    assert load(tmp_path / "missing.yaml", files_dir).problems[0].subtype is Subtype.MISSING_CATALOGUE
    assert load(tmp_path, files_dir).problems[0].subtype is Subtype.MISSING_CATALOGUE  # a directory
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    assert load(binary, files_dir).problems[0].subtype is Subtype.YAML_ERROR


def test_load_accepts_str_and_pathlike(tmp_path: Path, files_dir: Path) -> None:
    path = tmp_path / "cat.yaml"
    path.write_text(GROUP, encoding="utf-8")
    for catalogue in (load(path, files_dir), load(str(path), str(files_dir))):
        assert catalogue.problems == ()
        assert catalogue.path == str(path)
        assert catalogue.files_dir == str(files_dir)


# --------------------------------------------------------------------------
# Problem.location


def test_location_path_and_line() -> None:
    problem = only_problem(loads(GROUP + "zzz: 1\n", path="docs/catalogue.yaml"))
    assert problem.location == "docs/catalogue.yaml:6"


def test_location_without_line() -> None:
    assert Problem(Subtype.MISSING_CATALOGUE, "m", "docs/catalogue.yaml").location == "docs/catalogue.yaml"
    assert Problem(Subtype.BAD_ID, "m", "c.yaml", 12).location == "c.yaml:12"


def test_control_character_yaml_error_has_its_line() -> None:
    # The reader error carries a character position; the problem gets its line.
    problem = only_problem(loads("reports: []\nworking_groups: \x07\n", path="c.yaml"))
    assert problem.subtype is Subtype.YAML_ERROR
    assert problem.line == 2
    assert problem.location == "c.yaml:2"
    assert "'\\x07' is not allowed" in problem.message


# --------------------------------------------------------------------------
# Inputs that once crashed the loader: each is a problem at its line now.


def test_unknown_yaml_tag_is_a_problem() -> None:
    catalogue = loads(
        report_catalogue("url: https://x.org").replace("title: A report", "title: !custom A report")
    )
    problem = only_problem(catalogue)
    assert problem.line == 8
    assert problem.subtype in (Subtype.YAML_ERROR, Subtype.WRONG_TYPE)
    assert ids(catalogue.groups) == ["cloud-2021"]


def test_merge_key_is_a_problem_not_a_crash() -> None:
    text = GROUP + "  - <<: {name: Data, year: 2021, summary: s}\n    id: data-2021\n"
    catalogue = loads(text)
    # Either support merge keys, or report them as a problem; never raise.
    assert catalogue.problems == () or catalogue.problems[0].line == 6
    assert "cloud-2021" in ids(catalogue.groups)


def test_bad_explicit_int_is_a_problem() -> None:
    catalogue = loads(GROUP.replace("year: 2021", "year: !!int abc"))
    problem = only_problem(catalogue)
    assert problem.line == 4
    assert problem.subtype in (Subtype.YAML_ERROR, Subtype.WRONG_TYPE)


def test_id_with_trailing_newline_is_refused() -> None:
    catalogue = loads(GROUP.replace("id: cloud-2021", 'id: "cloud-2021\\n"'))
    assert_problem(catalogue, Subtype.BAD_ID, 2, "lower-case letters, digits and hyphens")
    assert catalogue.groups == ()


def test_nul_in_file_name_is_refused(files_dir: Path) -> None:
    catalogue = load_text(report_catalogue('file: "a\\0b.pdf"'), files_dir)
    problem = only_problem(catalogue)
    assert problem.line == 11
    assert problem.subtype in (Subtype.BAD_PATH, Subtype.MISSING_FILE, Subtype.CONTROL_CHARACTER)


def test_overlong_file_name_is_a_missing_file(files_dir: Path) -> None:
    catalogue = load_text(report_catalogue(f"file: {'a' * 300}.pdf"), files_dir)
    assert_problem(catalogue, Subtype.MISSING_FILE, 11, "report 'r1'")
    assert catalogue.reports[0].file_ok is False


def test_symlink_loop_is_a_problem(files_dir: Path) -> None:
    os.symlink("loop-b.pdf", files_dir / "loop-a.pdf")
    os.symlink("loop-a.pdf", files_dir / "loop-b.pdf")
    catalogue = load_text(report_catalogue("file: loop-a.pdf"), files_dir)
    problem = only_problem(catalogue)
    assert problem.line == 11
    assert problem.subtype in (Subtype.BAD_PATH, Subtype.MISSING_FILE)


# --------------------------------------------------------------------------
# Own covers


def test_a_report_may_name_a_png_or_jpeg_cover(files_dir: Path) -> None:
    (files_dir / "r.pdf").write_bytes(PDF)
    (files_dir / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    (files_dir / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 16)
    for name in ("cover.png", "cover.jpg"):
        catalogue = load_text(report_catalogue("file: r.pdf", f"cover: {name}"), files_dir)
        assert catalogue.problems == ()
        assert catalogue.reports[0].cover == name


def test_a_cover_that_is_not_an_image_is_dropped_with_a_warning(files_dir: Path) -> None:
    (files_dir / "r.pdf").write_bytes(PDF)
    (files_dir / "cover.webp").write_bytes(b"RIFF\0\0\0\0WEBPVP8 ")
    catalogue = load_text(report_catalogue("file: r.pdf", "cover: cover.webp"), files_dir)
    assert_problem(
        catalogue, Subtype.BAD_COVER, 12, "report 'r1': cover 'files/cover.webp' is not a PNG or JPEG"
    )
    [report] = catalogue.reports
    assert report.cover is None and report.file_ok


def test_a_cover_outside_the_files_folder_is_refused(files_dir: Path) -> None:
    (files_dir / "r.pdf").write_bytes(PDF)
    catalogue = load_text(report_catalogue("file: r.pdf", "cover: ../cover.png"), files_dir)
    assert_problem(catalogue, Subtype.BAD_PATH, 12, "outside the files folder")
    assert catalogue.reports[0].cover is None
