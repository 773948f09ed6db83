"""Every problem sphinx_dgx can report, as a documented warning subtype.

This module imports no Sphinx. Each member of :class:`Subtype` is one
``dgx.<subtype>`` warning: its value is the subtype name Sphinx shows (and that
``suppress_warnings`` matches), and it carries a description, an example of the
message and how to fix it. The reference page of the docs is generated from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Subtype(str, Enum):
    """The warning subtypes of the ``dgx`` type."""

    description: str
    example: str
    fix: str

    def __new__(cls, value: str, description: str, example: str, fix: str) -> Subtype:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        member.example = example
        member.fix = fix
        return member

    MISSING_CATALOGUE = (
        "missing_catalogue",
        "The catalogue file named by ``dgx_catalogue`` cannot be read.",
        "cannot read the catalogue: No such file or directory",
        "Create the file, or point ``dgx_catalogue`` in conf.py at it.",
    )
    YAML_ERROR = (
        "yaml_error",
        "The catalogue is not valid YAML; nothing in it is used.",
        "the catalogue is not valid YAML: mapping values are not allowed here",
        "Fix the syntax at the line given; the message says what is wrong in plain words: a colon "
        "followed by a space inside an unquoted value (put the value in quotes), a tab in the "
        "indentation (indent with spaces), a quote or bracket that is never closed (the line is "
        "where it opened), or indentation that does not line up with the lines above.",
    )
    YAML_REFUSED = (
        "yaml_refused",
        "The catalogue uses YAML that it does not accept: an anchor (``&name``) or an alias "
        "(``*name``), or lists and mappings nested more than 50 deep. The catalogue needs none of "
        "these, and they can make a small file take unbounded memory or time; nothing in it is used.",
        "the value of 'title' starts with *, which YAML reads as an alias (a copy of a value marked "
        "with &), and the catalogue takes no aliases: put the whole value in quotes: "
        'title: "*Important"',
        "Write every entry out in full (copy an entry instead of marking it with ``&name`` and "
        "repeating it with ``*name``); a text that starts with ``&`` or ``*`` goes in quotes. Remove "
        "brackets that open lists within lists.",
    )
    COMMENT_IN_VALUE = (
        "comment_in_value",
        "An unquoted text value is followed by `` #`` on its line. YAML reads `` #`` as the start of "
        "a comment, so the value stops there and the rest is lost.",
        "title of report 'x' stops at ' #': YAML reads ' #2 of the series' as a comment; "
        'put the whole value in quotes: "Report #2 of the series"',
        "Put the value in quotes. A comment that is meant as one goes on a line of its own.",
    )
    STRUCTURE = (
        "structure",
        "The catalogue or one of its entries does not have the expected shape.",
        "the catalogue must be a mapping with 'working_groups' and 'reports', not a list",
        "Follow the layout in the authoring guide: two lists of mappings.",
    )
    EMPTY_CATALOGUE = (
        "empty_catalogue",
        "The catalogue holds no working group and no report.",
        "the catalogue is empty: no working groups and no reports",
        "Add at least one working group.",
    )
    UNKNOWN_KEY = (
        "unknown_key",
        "An entry has a key the catalogue does not know; it is ignored.",
        "unknown key 'summery' in report 'cloud-2021' (did you mean 'summary'?)",
        "Correct the spelling, or remove the key.",
    )
    DUPLICATE_KEY = (
        "duplicate_key",
        "A key is given twice in one entry; the entry is skipped.",
        "key 'title' is given twice in this entry",
        "Keep one of the two lines.",
    )
    MISSING_FIELD = (
        "missing_field",
        "A required field is missing; the entry is skipped.",
        "report 'cloud-2021' has no 'title'",
        "Add the field.",
    )
    WRONG_TYPE = (
        "wrong_type",
        "A field holds the wrong kind of value; the entry is skipped.",
        "'tags' of report 'cloud-2021' must be a list of text, not text",
        "Write the value as the message says (text, a whole number, a list).",
    )
    CONTROL_CHARACTER = (
        "control_character",
        "A text value holds a control or format character: an escape (U+001B), a bell, a "
        "bidirectional control that reorders what a reader sees (U+202A-U+202E, U+2066-U+2069), a "
        "zero-width space inside the text. Outputs cannot carry them safely; the entry is left out.",
        "title of report 'r1' holds the control character U+202E RIGHT-TO-LEFT OVERRIDE at character "
        "6 ('Cloud\\u202egovernance'): delete it (it may be invisible, pasted with the text, or "
        "written as an escape such as \\x1b in double quotes)",
        "Delete the character at the position given (retype the text around it if you cannot see "
        "it). Tabs and line breaks are fine; so are zero-width joiners inside a word.",
    )
    BAD_TAG = (
        "bad_tag",
        "A tag holds a space or a comma. A page's ``:tag:`` filter splits its value at spaces and "
        "commas, so no filter could choose the tag; the report is left out.",
        "tag 'digital identity' of report 'r1' holds a space, so no :tag: filter can choose it "
        "(filters split on spaces and commas): tags are single words such as digital-identity; "
        "write 'digital-identity'",
        "Write each tag as one word, joining words with hyphens: ``digital-identity``.",
    )
    BAD_ID = (
        "bad_id",
        "An id is not made of lower-case letters, digits and hyphens.",
        "id 'Cloud 2021' must be lower-case letters, digits and hyphens",
        "Use an id such as ``cloud-2021``; ids appear in URLs and roles.",
    )
    DUPLICATE_ID = (
        "duplicate_id",
        "Two entries of the same kind share an id; the second is skipped.",
        "duplicate report id 'cloud-2021' (first defined at catalogue.yaml:12)",
        "Give each working group and each report its own id.",
    )
    UNKNOWN_GROUP = (
        "unknown_group",
        "A report names a working group that the catalogue does not have.",
        "report 'cloud-2021' names unknown working group 'clod-2021' (did you mean 'cloud-2021'?)",
        "Use the id of a working group defined under ``working_groups``.",
    )
    BAD_YEAR = (
        "bad_year",
        "A year is outside the range the catalogue accepts.",
        "year 1921 of working group 'cloud-1921' is outside 1990-2100",
        "Write the four-digit year of the working group.",
    )
    YEAR_FORMAT = (
        "year_format",
        "A year is not written as four digits 0-9. YAML would read some such values as other "
        "numbers (``02021`` as 1041, ``0x7E5`` as 2021), so a year is read as written and must be "
        "plain digits; the entry is left out.",
        "year '02021' of working group 'cloud-2021' must be written as four digits 0-9, such as 2021",
        "Write the year as four digits, such as ``2021``: no leading zero, decimal point, sign or "
        "other digits.",
    )
    FILE_OR_URL = (
        "file_or_url",
        "A report must have exactly one of ``file`` and ``url``.",
        "report 'cloud-2021' has both 'file' and 'url'",
        "Keep ``file`` for a report in files/, ``url`` for one published elsewhere.",
    )
    BAD_URL = (
        "bad_url",
        "A url is not an absolute http(s) address, or browsers would read its host differently from "
        "the way it reads: user information before the host (``user@``, or ``\\@``), a backslash, "
        "a space or an invisible character, no host, a bad port or IPv6 address, a host that mixes "
        "scripts (a Cyrillic letter among Latin ones). The rules are on the Security page.",
        "url 'https://evil.example\\@www.tech.gov.sg/report' of report 'x' has user information "
        "before its host ('evil.example\\'): browsers would go to evil.example, not www.tech.gov.sg; "
        "remove 'evil.example\\@' (everything between '//' and the host)",
        "Write the full address, starting with https://, as the message says; copy it from the "
        "browser's address bar on the site itself.",
    )
    BAD_PATH = (
        "bad_path",
        "A report's file path leaves the files folder.",
        "file '../secret.pdf' of report 'x' is outside the files folder",
        "Put the file in files/ and give its name only.",
    )
    MISSING_FILE = (
        "missing_file",
        "A report's file is not in the files folder; the report is shown without a download.",
        "report 'x': file 'files/DGX Working Group Cybersecurity.pdf' does not exist "
        "(files/ has 'DGX Working Group_Cybersecurity.pdf')",
        "Correct the name to the one the message suggests, or copy the file into files/ under "
        "exactly that name (spaces, capitals, underscores and hyphens count).",
    )
    UNUSED_FILE = (
        "unused_file",
        "A file in the files folder is used by no report, as its file or its cover; it is not "
        "published. Reported only once the catalogue has no other problem, since a refused entry's "
        "file would look unused.",
        "files/DGX 2022 Report.pdf is used by no report in the catalogue",
        "Add the report that the file belongs to (``file: <its name>``), or delete the file. A file "
        "kept on purpose is listed in ``dgx_unused_files``.",
    )
    NOT_PDF = (
        "not_pdf",
        "A report's file is not a PDF (judged by its content, not its name).",
        "report 'x': file 'files/x.pdf' is not a PDF",
        "Export the report as PDF and replace the file.",
    )
    BAD_COVER = (
        "bad_cover",
        "A report's ``cover`` is not a PNG or JPEG image in the files folder; the first page of "
        "its file is shown instead.",
        "report 'x': cover 'files/cover.webp' is not a PNG or JPEG image",
        "Save the cover as PNG or JPEG, or remove the ``cover`` line.",
    )
    BAD_PDF = (
        "bad_pdf",
        "A report's PDF is encrypted, empty or damaged; the card shows what could be read, "
        "and the handbook leaves the file out of its appendix.",
        "report 'x': file 'files/x.pdf' is encrypted (password-protected)",
        "Export the report again without a password, or replace the damaged file.",
    )
    WRONG_EXTENSION = (
        "wrong_extension",
        "A report's file is a PDF, but its name does not end in ``.pdf``. The site publishes a file "
        "only under a name that says what it is (a browser trusts the name: a PDF named ``.html`` "
        "could run a script on the site), so the card shows it is not available.",
        "report 'x': file 'files/annual-report.html' is a PDF named '.html': rename the file to "
        "'annual-report.pdf' (and its file: line); it is not published until then",
        "Rename the file so that its name ends in ``.pdf`` (any case), and change its ``file:`` line "
        "to the new name.",
    )
    NO_COVER = (
        "no_cover",
        "The first page of a report's PDF cannot be drawn as a cover thumbnail (a page without "
        "area, content the renderer refuses); the card shows no cover. The file is still published.",
        "report 'x': file 'files/x.pdf': its first page cannot be drawn as a cover (PdfiumError: "
        "Failed to load page): give the report a cover image (cover:), or export the PDF again",
        "Give the report its own ``cover:`` image (PNG or JPEG), or export the PDF again.",
    )
    NOT_IN_HANDBOOK = (
        "not_in_handbook",
        "A report's PDF has a page that the PDF handbook cannot include (a page without content, "
        "which stops LaTeX's PDF writer, or one turned by a ``/Rotate`` that is not a quarter turn), "
        "or pages pypdf cannot read; the handbook leaves the report out of its appendix. The "
        "handbook's build says so; the file is still published on the site.",
        "report 'x': file 'files/x.pdf': page 3 has no content stream, so the handbook leaves the "
        "report out of its appendix: export the PDF again (print it to PDF)",
        "Export the report again (from its source, or by printing it to PDF), so that every page has "
        "content.",
    )
    LINKS_LOST = (
        "links_lost",
        "The handbook cannot read the links or the outline of a report's PDF (pypdf fails on its "
        "annotations or bookmarks); the appendix holds the report's pages without its links and "
        "bookmarks. Reported by LaTeX builds only. The file is still published on the site.",
        "report 'x': file 'files/x.pdf': its links and outline cannot be read (PdfReadError: "
        "Invalid destination), so the handbook holds its pages without them: export the PDF again",
        "Export the report again (from its source, or by printing it to PDF with links kept).",
    )
    CATALOGUE_TOO_LARGE = (
        "catalogue_too_large",
        "The catalogue file is larger than ``dgx_catalogue_max_bytes`` (10 MB unless set); it is not "
        "read, so no working group or report is shown.",
        "the catalogue is larger than dgx_catalogue_max_bytes (10,485,760 bytes): point "
        "dgx_catalogue at the catalogue itself, or raise dgx_catalogue_max_bytes in conf.py",
        "Check that ``dgx_catalogue`` names the catalogue (not a data file or a device); if the "
        "catalogue is really that large, raise ``dgx_catalogue_max_bytes`` in conf.py.",
    )
    PUBLISH_FAILED = (
        "publish_failed",
        "A report's file or cover could not be written to the output folder (a folder that cannot "
        "be written, a file where a folder should be, a full disk); its link on the site is broken "
        "until a build writes it.",
        "report 'x': cover of file 'files/x.pdf' could not be published to _dgx/covers/: "
        "[Errno 17] File exists: '_build/html/_dgx/covers': make the output folder writable (a "
        "file where a folder should be: remove it) and build again",
        "Make the output folder writable, remove a file that stands where a folder should be, or "
        "free disk space; then build again.",
    )
    NO_BASE_URL = (
        "no_base_url",
        "``html_baseurl`` is not set: the PDF handbook cannot link to the published files, and "
        "reports.json and the Atom feed give relative URLs.",
        "html_baseurl is not set: the handbook cannot link to the published report files",
        "Set ``html_baseurl`` in conf.py to the address of the published site.",
    )
    UNKNOWN_FILTER = (
        "unknown_filter",
        "A directive's filter names a year, group or tag the catalogue does not have.",
        "dgx-reports: no working group 'clod-2021' in the catalogue (did you mean 'cloud-2021'?)",
        "Correct the filter, or add the entry to the catalogue.",
    )
    BAD_OPTION = (
        "bad_option",
        "A directive has an option it does not know, or a value it cannot read; the directive "
        "shows nothing (rather than every entry) until it is fixed.",
        "dgx-reports: :year: '20x1' is not a year: a year is four digits 0-9, e.g. :year: 2021 "
        "(several: :year: 2021, 2022); the directive shows nothing until this is fixed",
        "Write the option as the message says: years are four digits (``2021``, or ``2021, 2022``), "
        "tags are single words separated by commas, ``:kind:`` is ``file`` or ``url``, "
        "``:no-index:`` stands alone. The reference lists every option.",
    )
    NO_GLYPH = (
        "no_glyph",
        "Text of the catalogue or of a page holds a character that the PDF handbook has no font "
        "for (an emoji, or a script without a font in the handbook). The handbook leaves the "
        "character out; the web site shows it. Reported by LaTeX builds only, at the catalogue "
        "entry or the page's line.",
        "report 'launch': the PDF handbook has no font for '🚀' (U+1F680 ROCKET) in its title: "
        "write it in words or remove it (the handbook leaves it out; the web site shows it)",
        "Write the character in words, or remove it. To keep it on the web site only, add "
        "``dgx.no_glyph`` to ``suppress_warnings``.",
    )
    UNKNOWN_ID = (
        "unknown_id",
        "A role names a report or working group id that the catalogue does not have.",
        "unknown report id 'clod-2021' (did you mean 'cloud-2021'?)",
        "Use an id from the catalogue.",
    )
    DUPLICATE_TARGET = (
        "duplicate_target",
        "Two directives show the same entries as their main place (usually a page copied from "
        "another year that still filters by that year); links go to the first page by name.",
        "dgx-working-groups (:year: 2021) shows 5 working groups already shown by the "
        "dgx-working-groups (:year: 2021) at working-groups/2021:8; this page is "
        "working-groups/2022: did you mean :year: 2022? "
        "(Add :no-index: instead only if this page repeats them on purpose.)",
        "Usually the filter is wrong (a page copied from another year keeps that year): change "
        "``:year:`` (or ``:group:``, ``:tag:``) to the entries this page is for. Only when the page "
        "repeats entries on purpose, add ``:no-index:`` to it.",
    )
    YEAR_NOT_SHOWN = (
        "year_not_shown",
        "A year of the catalogue has working groups or reports, but no page shows them as their "
        "main place, so the year is missing from the home page and roles cannot link to it.",
        "year 2022 has 4 working groups and 3 reports in the catalogue, but no page shows them: "
        "create working-groups/2022.md (nox -s new-year -- 2022), with dgx-working-groups and "
        "dgx-reports filtered by :year: 2022",
        "Create the year's page (``nox -s new-year -- <year>``), with ``dgx-working-groups`` and "
        "``dgx-reports`` filtered by ``:year: <year>``.",
    )
    KRAMDOWN = (
        "kramdown",
        'A page holds a kramdown attribute list such as ``{:target="_blank"}``, as pasted from the '
        "old Jekyll site. MyST does not read it, so it would show as literal text.",
        "kramdown attribute list '{:target=\"_blank\"}' is shown as text: remove it; external links "
        "open in a new tab already",
        "Remove it. External links open in a new tab by themselves (``dgx_external_links_new_tab``); "
        "for a class or an id, use MyST's own syntax (``{.class}`` after enabling ``attrs_inline``, "
        "or ``(label)=`` before a heading).",
    )
    PLACEHOLDER = (
        "placeholder",
        "A page still holds the placeholder paragraph that ``nox -s new-year`` writes.",
        "the paragraph marked 'To do: replace this paragraph.' is still on this page: replace it "
        "with the year's overview",
        "Replace the paragraph with a sentence or two about the year.",
    )
    CONFIG = (
        "config",
        "A ``dgx_*`` configuration value is invalid; its default is used.",
        "dgx_catalogue must be text, not 3; using 'catalogue.yaml'",
        "Correct the value in conf.py.",
    )


@dataclass(frozen=True)
class Problem:
    """One problem found in the catalogue: what, where, and of which subtype."""

    subtype: Subtype
    message: str
    path: str
    line: int | None = None

    @property
    def location(self) -> str:
        """``path:line`` (or the path alone), as Sphinx prints a location."""
        return f"{self.path}:{self.line}" if self.line else self.path
