"""The catalogue of the last build, kept so that an unchanged catalogue is not parsed again.

Reading a catalogue of 2,000 reports (YAML, then every value checked) takes most of a second. What
it gives depends on the catalogue's bytes, on the files folder (which files exist, what kind they
are, their first bytes: :mod:`catalogue` checks each report's file) and on this code. The cache
keeps the loaded :class:`~sphinx_dgx.catalogue.Catalogue` (entries, their lines and the problems
found) under a key made of all three: the SHA-256 of the catalogue's content, every entry of the
files folder with its size, times, inode and kind, and the extension's version. Content, not time,
decides for the catalogue: an edit that keeps its size and time is read again. A cache that cannot
be read, or was written by another version, is ignored and written again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from . import __version__
from . import catalogue as cat
from .regular import keep, read_bounded

FILE_NAME = "catalogue.pickle"
FORMAT = 1
LISTING_LIMIT = 4 * cat.LISTING_LIMIT
"""A files folder with more entries than this is not listed: its catalogue is read at every build."""


def load(
    path: str, files_dir: str, max_bytes: int, cache_dir: str | os.PathLike[str] | None
) -> tuple[cat.Catalogue, bool]:
    """The catalogue at *path* (:func:`catalogue.load`), from the cache when nothing it depends on
    changed; and whether it came from the cache."""
    key = _key(path, files_dir, max_bytes) if cache_dir is not None else None
    if key is None:
        return cat.load(path, files_dir, max_bytes), False
    target = Path(cache_dir, FILE_NAME)
    kept = _read(target, key)
    if kept is not None:
        return kept, True
    loaded = cat.load(path, files_dir, max_bytes)
    _write(target, key, loaded)
    return loaded, False


def _key(path: str, files_dir: str, max_bytes: int) -> str | None:
    """What the catalogue read from *path* depends on, as a hash; None when it cannot be read."""
    try:
        data = read_bounded(path, max_bytes)
    except (OSError, ValueError):
        return None  # no catalogue, or too large: reading it says why, every time
    digest = hashlib.sha256()
    digest.update(repr((FORMAT, __version__, os.path.abspath(path), os.path.abspath(files_dir))).encode())
    digest.update(hashlib.sha256(data).digest())
    listing = _listing(files_dir)
    if listing is None:
        return None
    for entry in listing:
        digest.update(repr(entry).encode())
    return digest.hexdigest()


def _listing(folder: str) -> list[tuple[object, ...]] | None:
    """Every entry under *folder* (not following links): its path, kind, size, times and inode;
    None for a folder of more than :data:`LISTING_LIMIT` entries."""
    found: list[tuple[object, ...]] = []
    pending = [""]
    while pending:
        if len(found) > LISTING_LIMIT:
            return None
        prefix = pending.pop()
        try:
            with os.scandir(os.path.join(folder, prefix)) as entries:
                for entry in entries:
                    name = prefix + entry.name
                    try:
                        stat = entry.stat(follow_symlinks=False)
                        link = os.readlink(entry.path) if entry.is_symlink() else None
                    except OSError:
                        found.append((name, "unreadable"))
                        continue
                    times = (stat.st_mtime_ns, stat.st_ctime_ns)
                    found.append((name, stat.st_mode, stat.st_size, *times, stat.st_ino, link))
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(name + "/")
        except OSError as error:
            found.append((prefix, "unlisted", error.errno))
    return sorted(found, key=repr)


def _read(target: Path, key: str) -> cat.Catalogue | None:
    try:
        with open(target, "rb") as handle:
            kept = pickle.load(handle)
    except Exception:  # missing, damaged or of another version: read the catalogue again
        return None
    if not isinstance(kept, dict) or kept.get("key") != key:
        return None
    if not isinstance(kept.get("catalogue"), cat.Catalogue):
        return None
    return kept["catalogue"]


def _write(target: Path, key: str, catalogue: cat.Catalogue) -> None:
    """Keep *catalogue* under *key*, written under a name of its own and then put in place."""
    keep(target, pickle.dumps({"key": key, "catalogue": catalogue}, protocol=pickle.HIGHEST_PROTOCOL))
