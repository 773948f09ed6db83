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
        "Fix the syntax at the line given: usually indentation, or a colon in a value that needs quotes.",
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
    FILE_OR_URL = (
        "file_or_url",
        "A report must have exactly one of ``file`` and ``url``.",
        "report 'cloud-2021' has both 'file' and 'url'",
        "Keep ``file`` for a report in files/, ``url`` for one published elsewhere.",
    )
    BAD_URL = (
        "bad_url",
        "A url is not an absolute http(s) address.",
        "url 'javascript:alert(1)' of report 'x' must start with http:// or https://",
        "Write the full address, starting with https://.",
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
        "report 'cloud-2021': file 'files/Cloud.pdf' does not exist",
        "Copy the file into files/ under exactly that name (spaces and capitals count).",
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
    UNKNOWN_ID = (
        "unknown_id",
        "A role names a report or working group id that the catalogue does not have.",
        "unknown report id 'clod-2021' (did you mean 'cloud-2021'?)",
        "Use an id from the catalogue.",
    )
    DUPLICATE_TARGET = (
        "duplicate_target",
        "Two directives show the same entry as its main place; links go to the first.",
        "report 'cloud-2021' is already shown at working-groups/2021; use :no-index: here",
        "Add ``:no-index:`` to the directive that is not the entry's main place.",
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
