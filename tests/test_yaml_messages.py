"""The catalogue's own mistakes in plain words: YAML syntax errors, values cut short at ``#``, and
missing files with the close names in files/.

Every test runs with libyaml (``yaml.CSafeLoader``, what the site uses when PyYAML has it) and with
PyYAML's pure-Python loader: their words differ, the messages must not. Lines in the assertions
are the 1-based lines of the texts.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from sphinx_dgx import catalogue as catalogue_module
from sphinx_dgx.catalogue import Catalogue, loads
from sphinx_dgx.problems import Problem, Subtype

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
TAB = "the line is indented with a tab: YAML indents with spaces only; replace the tab with spaces"

# One working group (lines 1-5) and one report (lines 6-11).
GOOD = """\
working_groups:
  - id: cloud-2021
    name: Cloud
    year: 2021
    summary: The cloud WG met.
reports:
  - id: r1
    title: Cloud governance
    working_group: cloud-2021
    summary: Baseline policies.
    url: https://example.org/r1
"""


def change(old: str, new: str, text: str = GOOD) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture(params=["libyaml", "pure"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with libyaml's parser, then with PyYAML's own."""
    if request.param == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("PyYAML is built without libyaml")
        monkeypatch.setattr(catalogue_module, "_COMPOSER", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(catalogue_module, "_COMPOSER", yaml.SafeLoader)
    return request.param


def one_problem(catalogue: Catalogue, subtype: Subtype, line: int, *fragments: str) -> Problem:
    problems = [(p.subtype, p.line, p.message) for p in catalogue.problems]
    assert len(problems) == 1, problems
    [problem] = catalogue.problems
    assert (problem.subtype, problem.line) == (subtype, line), problems
    for fragment in fragments:
        assert fragment in problem.message
    assert "\n" not in problem.message and "Traceback" not in problem.message
    return problem


def syntax_error(text: str, line: int, *fragments: str) -> Problem:
    catalogue = loads(text)
    problem = one_problem(
        catalogue, Subtype.YAML_ERROR, line, "the catalogue is not valid YAML: ", *fragments
    )
    assert catalogue.groups == () and catalogue.reports == () and not catalogue.readable
    return problem


# --------------------------------------------------------------------------
# A colon followed by a space in an unquoted value


def test_colon_in_an_unquoted_title(loader: str) -> None:
    problem = syntax_error(change("title: Cloud governance", "title: Cloud: a report"), 8)
    assert problem.message == (
        "the catalogue is not valid YAML: the value of 'title' has a colon followed by a space, which "
        'YAML reads as the start of another field; put the whole value in quotes: title: "Cloud: a report"'
    )


def test_colon_in_the_first_field_of_an_entry(loader: str) -> None:
    text = change("  - id: r1\n    title: Cloud governance", "  - title: Cloud: a report\n    id: r1")
    syntax_error(text, 7, "colon followed by a space", 'title: "Cloud: a report"')


def test_colon_in_a_value_with_double_quotes_suggests_single_quotes(loader: str) -> None:
    text = change("title: Cloud governance", 'title: The "cloud": a report')
    syntax_error(text, 8, "put the whole value in quotes: title: 'The \"cloud\": a report'")


def test_colon_at_the_end_of_a_value(loader: str) -> None:
    syntax_error(change("title: Cloud governance", "title: Cloud: "), 8, 'title: "Cloud:"')


def test_colon_on_the_second_line_of_a_value(loader: str) -> None:
    text = change("summary: Baseline policies.", "summary: Baseline policies\n      and more: a plan.")
    problem = syntax_error(text, 11, "colon followed by a space", "put the whole value in quotes")
    assert "YAML says" not in problem.message


def test_a_colon_without_a_space_is_fine(loader: str) -> None:
    catalogue = loads(change("title: Cloud governance", "title: Cloud:governance 10:30"))
    assert catalogue.problems == ()
    assert catalogue.reports[0].title == "Cloud:governance 10:30"


# --------------------------------------------------------------------------
# Tabs


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("    name: Cloud", "\tname: Cloud", 3),  # a field indented by a tab alone
        ("    name: Cloud", "    \tname: Cloud", 3),  # spaces, then a tab
        ("  - id: r1", "\t- id: r1", 7),  # an entry
        ("    summary: The cloud WG met.", "    summary: >\n\tThe cloud WG met.", 6),  # a folded text
    ],
)
def test_tab_in_indentation(loader: str, old: str, new: str, line: int) -> None:
    problem = syntax_error(change(old, new), line)
    assert problem.message == f"the catalogue is not valid YAML: {TAB}"


# --------------------------------------------------------------------------
# Quotes


@pytest.mark.parametrize(
    ("quote", "inside"),
    [('"', 'a " inside a value in double quotes must be escaped: \\"'), ("'", "doubled: ''")],
)
def test_unclosed_quote_points_where_it_opened(loader: str, quote: str, inside: str) -> None:
    text = change("title: Cloud governance", f"title: {quote}Cloud governance")
    syntax_error(
        text,
        8,
        f"the quote {quote} opened on this line is never closed",
        f"add the closing {quote}",
        inside,
    )


def test_unclosed_quote_with_another_quote_further_down(loader: str) -> None:
    # The quote opened on line 8 closes at the first quote of line 10: YAML stumbles there.
    text = change("title: Cloud governance", 'title: "Cloud governance')
    text = change("summary: Baseline policies.", 'summary: "Baseline policies."', text)
    syntax_error(text, 8, 'the quote " opened on this line is never closed')


def test_a_quoted_value_over_several_lines_is_fine(loader: str) -> None:
    text = change("summary: Baseline policies.", 'summary: "Baseline policies,\n      over two lines."')
    catalogue = loads(text)
    assert catalogue.problems == ()
    assert catalogue.reports[0].summary == "Baseline policies, over two lines."


@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ("'Cloud's report'", ["close early", "doubled: ''", 'title: "Cloud\'s report"']),
        ('"Cloud "x" report"', ["close early", 'escaped: \\"', "title: 'Cloud \"x\" report'"]),
        ('"Cloud" report', ["nothing after them", "title: '\"Cloud\" report'"]),
    ],
)
def test_quote_inside_a_value_in_the_same_quotes(loader: str, value: str, fragments: list[str]) -> None:
    syntax_error(change("title: Cloud governance", f"title: {value}"), 8, *fragments)


# --------------------------------------------------------------------------
# Brackets


@pytest.mark.parametrize(
    ("old", "new", "line", "bracket"),
    [
        ("url: https://example.org/r1", "url: https://example.org/r1\n    tags: [cloud, policy", 12, "["),
        (
            "url: https://example.org/r1",
            "url: https://example.org/r1\n    tags: [cloud,\n      policy",
            12,
            "[",
        ),
        ("    name: Cloud\n", "    name: Cloud\n    links: [{title: Blog, url: https://x.org}\n", 4, "["),
        ("  - id: cloud-2021\n", "  - {id: cloud-2021, name: C\n", 2, "{"),
    ],
)
def test_unclosed_bracket_points_where_it_opened(
    loader: str, old: str, new: str, line: int, bracket: str
) -> None:
    closing = {"[": "]", "{": "}"}[bracket]
    syntax_error(
        change(old, new), line, f"the {bracket} opened on this line is never closed", f"closing {closing}"
    )


def test_unclosed_bracket_at_the_end_of_the_file(loader: str) -> None:
    syntax_error("working_groups: [\n", 1, "the [ opened on this line is never closed")


@pytest.mark.parametrize(("value", "what"), [("[Draft] Cloud", "a list"), ("{Draft} Cloud", "a mapping")])
def test_text_that_starts_with_a_bracket(loader: str, value: str, what: str) -> None:
    syntax_error(
        change("title: Cloud governance", f"title: {value}"),
        8,
        f"starts with {value[0]}, which YAML reads as the start of {what}",
        f'title: "{value}"',
    )


@pytest.mark.parametrize("value", ["@home", "`code` review", "*Important* report", "%done", "| pipe"])
def test_text_that_starts_with_a_reserved_character(loader: str, value: str) -> None:
    syntax_error(
        change("title: Cloud governance", f"title: {value}"),
        8,
        f"the value of 'title' starts with {value[0]}",
        f'put the whole value in quotes: title: "{value}"',
    )


# --------------------------------------------------------------------------
# Indentation


@pytest.mark.parametrize(
    ("old", "new", "line", "spaces", "anchor"),
    [
        ("    name: Cloud", "   name: Cloud", 3, "3 spaces", "'id' is at 4 spaces"),  # first field after id
        ("    year: 2021", "   year: 2021", 4, "3 spaces", "'name' is at 4 spaces"),
        ("    name: Cloud", "     name: Cloud", 3, "5 spaces", "'id' is at 4 spaces"),  # too deep
        ("    name: Cloud", "  name: Cloud", 3, "2 spaces", "'id' is at 4 spaces"),  # under the dash
        ("reports:", " reports:", 6, "1 space", "'working_groups' is at 0 spaces"),
    ],
)
def test_indentation_that_does_not_line_up(
    loader: str, old: str, new: str, line: int, spaces: str, anchor: str
) -> None:
    syntax_error(
        change(old, new),
        line,
        f"this line is indented by {spaces}, which does not match the lines above",
        anchor,
        "the fields of an entry line up under its first one",
    )


def test_indentation_of_a_link_field(loader: str) -> None:
    links = "    links:\n      - title: Blog\n       url: https://example.org/blog\n"
    syntax_error(
        GOOD.replace("reports:\n", links + "reports:\n"), 8, "indented by 7 spaces", "'title' is at 8"
    )


# --------------------------------------------------------------------------
# Anything else: PyYAML's words, behind plain ones


def test_other_errors_keep_pyyamls_words_behind_a_readable_start(loader: str) -> None:
    problem = syntax_error(change("    url: https://example.org/r1", "    tags: [a, b]]"), 11)
    assert problem.message.startswith(
        "the catalogue is not valid YAML: check the quotes, colons and indentation of this line"
    )
    assert "(YAML says: while parsing a block mapping, " in problem.message


def test_a_second_document(loader: str) -> None:
    syntax_error(
        GOOD + "---\nreports: []\n", 12, "a line '---' starts a second YAML document", "remove the line"
    )


def test_a_control_character(loader: str) -> None:
    syntax_error(
        change("Cloud governance", "Cloud\x07governance"), 8, "'\\x07' is not allowed in YAML", "delete it"
    )


CASES_FOR_BOTH = {
    "colon": change("title: Cloud governance", "title: Cloud: a report"),
    "tab": change("    name: Cloud", "\tname: Cloud"),
    "double quote": change("title: Cloud governance", 'title: "Cloud'),
    "single quote": change("title: Cloud governance", "title: 'Cloud's report'"),
    "bracket": change("url: https://example.org/r1", "url: https://example.org/r1\n    tags: [a, b"),
    "indentation": change("    name: Cloud", "   name: Cloud"),
    "reserved": change("title: Cloud governance", "title: @home"),
}


@pytest.mark.parametrize("name", CASES_FOR_BOTH)
def test_libyaml_and_pure_python_give_the_same_message(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML is built without libyaml")
    found = []
    for composer in (yaml.CSafeLoader, yaml.SafeLoader):
        monkeypatch.setattr(catalogue_module, "_COMPOSER", composer)
        found.append([(p.subtype, p.line, p.message) for p in loads(CASES_FOR_BOTH[name]).problems])
    assert found[0] == found[1]
    [(subtype, _, message)] = found[0]
    assert subtype is Subtype.YAML_ERROR and "YAML says" not in message


# --------------------------------------------------------------------------
# Text after " #" in an unquoted value is a comment


def test_hash_in_an_unquoted_title(loader: str) -> None:
    catalogue = loads(change("title: Cloud governance", "title: Report #2 of the series"))
    problem = one_problem(catalogue, Subtype.COMMENT_IN_VALUE, 8)
    assert problem.message == (
        "title of report 'r1' stops at ' #': YAML reads ' #2 of the series' as a comment; "
        'put the whole value in quotes: "Report #2 of the series"'
    )
    assert catalogue.reports[0].title == "Report"  # the entry is loaded, with the value YAML read


@pytest.mark.parametrize(
    ("old", "new", "line", "fragments"),
    [
        ("name: Cloud", "name: Cloud #1", 3, ["name of working group 'cloud-2021'", '"Cloud #1"']),
        ("summary: Baseline policies.", "summary: Baseline   # policies", 10, ["'   # policies'"]),
        ("title: Cloud governance", "title: Cloud\t#2", 8, ['"Cloud\t#2"']),  # libyaml's way with a tab
        ("title: Cloud governance", "title: ééééé #2", 8, ['"ééééé #2"']),  # columns count characters
        ("title: Cloud governance", "title: 日本語 #2", 8, ['"日本語 #2"']),
        ("url: https://example.org/r1", "url: https://example.org/r1 #top", 11, ["url of report 'r1'"]),
        (
            "url: https://example.org/r1",
            "url: https://example.org/r1\n    reference: DGX #12",
            12,
            ['"DGX #12"'],
        ),
        ("id: r1", "id: r1 # the first", 7, ["id of report 'r1'", '"r1 # the first"']),
    ],
)
def test_hash_in_text_fields(loader: str, old: str, new: str, line: int, fragments: list[str]) -> None:
    text = change(old, new)
    if "\t" in new and loader == "pure":
        # PyYAML's own parser refuses the tab before the "#" outright
        syntax_error(text, line, "the line has a tab where YAML does not allow one")
        return
    catalogue = loads(text)
    one_problem(
        catalogue,
        Subtype.COMMENT_IN_VALUE,
        line,
        "stops at ' #'",
        "put the whole value in quotes",
        *fragments,
    )
    assert [r.id for r in catalogue.reports] == ["r1"]


def test_hash_in_a_link_title(loader: str) -> None:
    links = "    links:\n      - title: Blog #1\n        url: https://example.org/blog\n"
    catalogue = loads(GOOD.replace("reports:\n", links + "reports:\n"))
    one_problem(
        catalogue, Subtype.COMMENT_IN_VALUE, 7, "title of link of working group 'cloud-2021'", '"Blog #1"'
    )
    assert catalogue.groups[0].links[0].title == "Blog"


def test_hash_at_the_end_of_a_value_over_several_lines(loader: str) -> None:
    text = change("summary: Baseline policies.", "summary: Baseline policies\n      of the series #2")
    catalogue = loads(text)
    one_problem(catalogue, Subtype.COMMENT_IN_VALUE, 11, "' #2'", '"Baseline policies of the series #2"')
    assert catalogue.reports[0].summary == "Baseline policies of the series"


def test_hash_in_a_long_value_is_shown_shortened(loader: str) -> None:
    long = "a long summary of the report " * 4
    problem = one_problem(
        loads(change("summary: Baseline policies.", f"summary: {long}#2 of the series")),
        Subtype.COMMENT_IN_VALUE,
        10,
    )
    fix = problem.message.split("put the whole value in quotes: ")[1]
    assert fix == '"a long summary of the report … summary of the report #2 of the series"'


def test_hash_with_windows_line_ends(loader: str) -> None:
    text = change("title: Cloud governance", "title: Report #2").replace("\n", "\r\n")
    one_problem(loads("\ufeff" + text), Subtype.COMMENT_IN_VALUE, 8, '"Report #2"')


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("title: Cloud governance", 'title: "Cloud governance" # quoted, then a comment'),
        ("title: Cloud governance", "title: 'Cloud governance'  # single quotes"),
        ("  - id: r1\n", "  # a comment on its own line\n  - id: r1\n"),
        ("    year: 2021", "    year: 2021  # the year"),
        ("url: https://example.org/r1", "url: https://example.org/r1\n    reference: 12 # a number"),
        ("url: https://example.org/r1", "url: https://example.org/r1\n    tags: [cloud] # a list"),
        ("summary: Baseline policies.", "summary: >\n      Baseline policies #2"),  # a block keeps its #
        ("title: Cloud governance", "title: Report#2"),  # no space: part of the value
    ],
)
def test_no_warning_for_comments_that_cut_nothing(loader: str, old: str, new: str) -> None:
    catalogue = loads(change(old, new))
    assert catalogue.problems == ()
    assert [r.id for r in catalogue.reports] == ["r1"]


def test_a_file_name_cut_at_hash_gives_one_warning(loader: str, tmp_path: Path) -> None:
    (tmp_path / "report #2.pdf").write_bytes(PDF)
    text = change("url: https://example.org/r1", "file: report #2.pdf")
    catalogue = loads(text, "cat.yaml", str(tmp_path))
    one_problem(catalogue, Subtype.COMMENT_IN_VALUE, 11, "file of report 'r1'", '"report #2.pdf"')
    [report] = catalogue.reports
    assert (report.file, report.file_ok) == ("report", False)
    # quoted, the same name is fine
    fixed = loads(change("file: report #2.pdf", "file: 'report #2.pdf'", text), "cat.yaml", str(tmp_path))
    assert fixed.problems == () and fixed.reports[0].file_ok


def test_a_cut_value_does_not_hide_the_entrys_other_problems(loader: str) -> None:
    text = change("  - id: r1\n", "  - id: r1 # first\n")
    text = change("    url: https://example.org/r1\n", "", text)
    found = sorted((p.subtype, p.line) for p in loads(text).problems)
    assert found == sorted([(Subtype.COMMENT_IN_VALUE, 7), (Subtype.FILE_OR_URL, 7)])


# --------------------------------------------------------------------------
# A missing file: the closest names in files/


def load_files(tmp_path: Path, name: str, field: str = "file") -> Catalogue:
    """The report with *name* as its file (line 11) or as the cover (line 12) of files/r.pdf."""
    if field == "cover":
        (tmp_path / "r.pdf").write_bytes(PDF)
        text = change("url: https://example.org/r1", f"file: r.pdf\n    cover: '{name}'")
    else:
        text = change("url: https://example.org/r1", f"file: '{name}'")
    return loads(text, "cat.yaml", str(tmp_path))


def test_missingfile_names_the_file_with_the_same_loose_name(loader: str, tmp_path: Path) -> None:
    (tmp_path / "DGX Working Group_Cybersecurity.pdf").write_bytes(PDF)
    (tmp_path / "other.pdf").write_bytes(PDF)
    problem = one_problem(
        load_files(tmp_path, "DGX Working Group Cybersecurity.pdf"), Subtype.MISSING_FILE, 11
    )
    assert problem.message == (
        "report 'r1': file 'files/DGX Working Group Cybersecurity.pdf' does not exist "
        "(files/ has 'DGX Working Group_Cybersecurity.pdf')"
    )


@pytest.mark.parametrize(
    ("on_disk", "written"),
    [
        ("cloud.pdf", "Cloud.pdf"),  # case
        ("cloud-report.pdf", "Cloud Report.pdf"),  # hyphen for a space
        ("Cloud  Report.pdf", "Cloud_Report.pdf"),  # two spaces for an underscore
        (unicodedata.normalize("NFD", "Résumé.pdf"), "Résumé.pdf"),  # as a Mac writes the name
        ("STRASSE.pdf", "straße.pdf"),  # casefold
        ("Cloud Report 2021.pdf", "Cloud Reprot 2021.pdf"),  # a typo: a close match
    ],
)
def test_missing_file_close_names(loader: str, tmp_path: Path, on_disk: str, written: str) -> None:
    (tmp_path / on_disk).write_bytes(PDF)
    one_problem(
        load_files(tmp_path, written), Subtype.MISSING_FILE, 11, f"does not exist (files/ has {on_disk!r})"
    )


def test_missing_file_without_a_close_name(loader: str, tmp_path: Path) -> None:
    (tmp_path / "something else entirely.pdf").write_bytes(PDF)
    problem = one_problem(load_files(tmp_path, "Cloud.pdf"), Subtype.MISSING_FILE, 11)
    assert problem.message == "report 'r1': file 'files/Cloud.pdf' does not exist"


def test_missingfile_names_at_most_three(loader: str, tmp_path: Path) -> None:
    for name in ("a b.pdf", "a_b.pdf", "a-b.pdf", "A B.pdf"):
        (tmp_path / name).write_bytes(PDF)
    one_problem(
        load_files(tmp_path, "AB.pdf"),
        Subtype.MISSING_FILE,
        11,
        "(files/ has 'A B.pdf', 'a b.pdf' and 'a-b.pdf')",
    )


def test_missing_file_in_a_subfolder_and_folders_are_not_names(loader: str, tmp_path: Path) -> None:
    (tmp_path / "2021").mkdir()
    (tmp_path / "2021" / "cloud.pdf").write_bytes(PDF)
    (tmp_path / "report.pdf").mkdir()  # a folder is not a file to suggest
    one_problem(
        load_files(tmp_path, "2021/Cloud.pdf"), Subtype.MISSING_FILE, 11, "(files/ has '2021/cloud.pdf')"
    )
    problem = one_problem(load_files(tmp_path, "Report.pdf"), Subtype.MISSING_FILE, 11)
    assert "files/ has" not in problem.message


def test_missing_cover_names_the_close_image(loader: str, tmp_path: Path) -> None:
    (tmp_path / "cloud_cover.png").write_bytes(PNG)
    catalogue = load_files(tmp_path, "Cloud Cover.png", field="cover")
    one_problem(
        catalogue,
        Subtype.MISSING_FILE,
        12,
        "'files/Cloud Cover.png' does not exist (files/ has 'cloud_cover.png')",
    )


def test_files_are_listed_once_and_only_when_a_file_is_missing(
    loader: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = catalogue_module.file_names
    monkeypatch.setattr(catalogue_module, "file_names", lambda folder: calls.append(folder) or real(folder))
    (tmp_path / "r.pdf").write_bytes(PDF)
    second = "  - id: r2\n    title: T\n    working_group: cloud-2021\n    summary: s\n    file: gone-2.pdf\n"
    text = change("url: https://example.org/r1", "file: r.pdf")
    assert loads(text, "cat.yaml", str(tmp_path)).problems == ()
    assert calls == []
    text = change("file: r.pdf", "file: gone-1.pdf", text) + second
    catalogue = loads(text, "cat.yaml", str(tmp_path))
    assert [p.subtype for p in catalogue.problems] == [Subtype.MISSING_FILE, Subtype.MISSING_FILE]
    assert calls == [str(tmp_path)]


def test_the_listing_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(20):
        (tmp_path / f"f{number:02}.pdf").write_bytes(PDF)
    assert len(catalogue_module.file_names(str(tmp_path))) == 20
    monkeypatch.setattr(catalogue_module, "LISTING_LIMIT", 5)
    assert len(catalogue_module.file_names(str(tmp_path))) == 5
    assert catalogue_module.file_names(str(tmp_path / "nowhere")) == []
