"""The ``dgx_*`` configuration values: declared once, validated once, read through one function."""

from __future__ import annotations

import dataclasses
import operator
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx.config import Config

from .problems import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

PREFIX = "dgx_"


def _option(default: Any, rebuild: str, help: str, may_be_empty: bool = False) -> Any:
    return field(default=default, metadata={"rebuild": rebuild, "help": help, "may_be_empty": may_be_empty})


@dataclass(frozen=True)
class DgxConfig:
    """Settings of sphinx_dgx; each field is the conf.py value ``dgx_<name>``."""

    catalogue: str = _option(
        "catalogue.yaml",
        "env",
        "Path of the catalogue YAML file, relative to the folder of conf.py.",
    )
    files_dir: str = _option(
        "files",
        "env",
        "Folder holding the report files, relative to the folder of conf.py. "
        "Each report's file is published at ``files/<name>`` in the HTML output.",
    )
    catalogue_max_bytes: int = _option(
        10 * 1024 * 1024,
        "env",
        "The largest catalogue file read, in bytes (10 MB: a catalogue of 2,000 reports is about "
        "1 MB). A larger file is not read (``dgx.catalogue_too_large``): ``dgx_catalogue`` naming "
        "the wrong file, or a device that never ends, does not stall the build.",
    )
    handbook_appendix: bool = _option(
        True,
        "",
        "Include every report file's own pages in an appendix of the PDF handbook, each with "
        "its bookmark; entries in the text link to their report's first page. False gives a "
        "slim handbook that lists the reports and links to them online.",
    )
    measure_processes: int = _option(
        0,
        "",
        "How many processes measure the report files that are not in the cache (their facts, "
        "cover and text) while Sphinx reads the pages: 0, one per core of the machine; 1, none "
        "besides Sphinx's own, which measures them after reading. The results are the same "
        "either way.",
        may_be_empty=True,
    )

    def processes(self) -> int:
        """The processes that measure files: ``measure_processes``, 0 meaning one per core."""
        return self.measure_processes or os.cpu_count() or 1

    report_pages: bool = _option(
        True,
        "env",
        "Give every report with a file a page of its own, ``reports/<id>.html``, generated from "
        "the catalogue: its cover, facts and download, its contents, the text of its PDF page "
        "by page (searchable on the site) and how to cite it. Report cards and roles link to it. "
        "False: no report pages; cards link to the file (see the benchmarks page for the cost).",
    )
    report_text: bool = _option(
        True,
        "env",
        "Show the text of each report's PDF, page by page, on its report page, where the site's "
        "search finds it. False keeps the report pages without the text: a smaller search index "
        "and a faster build for a site of many long reports.",
    )
    publisher: str = _option(
        "",
        "env",
        "The publisher named in citations of the reports (Highwire ``citation_author``, BibTeX, "
        "RIS, CSL-JSON, schema.org). Empty: the project's ``author``.",
        may_be_empty=True,
    )
    contact_email: str = _option(
        "",
        "env",
        "An e-mail address for readers who need a report in another format. When set, each "
        'report card offers "Request an accessible format", an e-mail link whose subject names '
        "the report.",
        may_be_empty=True,
    )
    unused_files: tuple[str, ...] = _option(
        (),
        "env",
        "Names of files in the files folder that no report uses but that are kept there on "
        "purpose (a draft, a source document). Every other unused file is reported "
        "(``dgx.unused_file``). Unused files are never published.",
        may_be_empty=True,
    )
    external_links_new_tab: bool = _option(
        True,
        "html",
        'Open external links in a new tab (with ``rel="noopener noreferrer"`` and a '
        "screen-reader note), as the original DGX site did.",
    )


def config_fields() -> list[dataclasses.Field[Any]]:
    """The fields of :class:`DgxConfig`, in declaration order."""
    return list(dataclasses.fields(DgxConfig))


def register(app: Sphinx) -> None:
    """Register every field as a ``dgx_<name>`` config value."""
    for f in config_fields():
        app.add_config_value(PREFIX + f.name, f.default, f.metadata["rebuild"], types=_types(f.default))


def _types(default: Any) -> frozenset[type]:
    """The types a value may have: a list of text may be written as a list or a tuple."""
    return frozenset({list, tuple}) if isinstance(default, tuple) else frozenset({type(default)})


def _describe_kind(default: Any, may_be_empty: bool = False) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, tuple):
        return "a list of text"
    if isinstance(default, int):
        return "a whole number, 0 or more" if may_be_empty else "a whole number above 0"
    return "non-empty text"


def _valid(value: Any, default: Any, may_be_empty: bool) -> bool:
    if isinstance(default, tuple):
        return isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value)
    if not isinstance(value, type(default)):
        return False
    if isinstance(default, int) and not isinstance(default, bool):
        return not isinstance(value, bool) and (value > 0 or (may_be_empty and value == 0))
    return may_be_empty or not (isinstance(value, str) and not value.strip())


def setting_location(confdir: str | os.PathLike[str], name: str) -> str:
    """``conf.py:LINE`` of the line that sets *name* (line 1 when conf.py does not set it)."""
    path = os.path.join(os.fspath(confdir), "conf.py")
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*[:=]")
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if pattern.match(line):
                    return f"{path}:{number}"
    except (OSError, UnicodeDecodeError):
        pass
    return f"{path}:1"


def validate(app: Sphinx, config: Config) -> None:
    """``config-inited``: put back the default of any value of the wrong type, with a warning."""
    from .logging import warn

    for f in config_fields():
        name = PREFIX + f.name
        value = getattr(config, name)
        may_be_empty = f.metadata["may_be_empty"]
        if not _valid(value, f.default, may_be_empty):
            kind = _describe_kind(f.default, may_be_empty)
            warn(
                Subtype.CONFIG,
                f"{name} must be {kind}, not {value!r}; using {f.default!r}",
                location=setting_location(app.confdir, name),
            )
            setattr(config, name, f.default)


def get_dgx_config(source: BuildEnvironment | Config) -> DgxConfig:
    """The validated settings, from the build environment or the Sphinx config.

    Made once for the same values (a build asks some 16,000 times at 2,000 reports): the last
    one is kept with the values it was made of, and made again when any of them differs.
    """
    # a Config first: it answers getattr of a name it lacks by raising and catching (4 us)
    config = source if isinstance(source, Config) else getattr(source, "config", source)
    raw = _read_settings(config)
    if any(isinstance(value, list) for value in raw):
        raw = tuple(map(_frozen, raw))
    last = _last_made.get("settings")
    if last is not None and last[0] == raw:
        return last[1]
    values = dict(zip((f.name for f in config_fields()), raw, strict=True))
    made = DgxConfig(**values)
    _last_made["settings"] = (raw, made)
    return made


def _frozen(value: Any) -> Any:
    """A list as a tuple: a list changed in place is then not the value the settings were made of."""
    return tuple(value) if isinstance(value, list) else value


_SETTING_NAMES = tuple(PREFIX + f.name for f in config_fields())
_read_settings = operator.attrgetter(*_SETTING_NAMES)
"""The settings' values as a tuple, read at once (asked for some 16,000 times a build)."""
_last_made: dict[str, tuple[tuple[Any, ...], DgxConfig]] = {}
