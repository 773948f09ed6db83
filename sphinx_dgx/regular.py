"""Reading the files an editor names: regular files only, never blocking, never more than a limit.

This module imports no Sphinx. A name in the catalogue, or the catalogue itself, may lead to a
named pipe (reading it waits for a writer for ever), a device (``/dev/zero`` never ends) or a
folder. :func:`open_regular` refuses each of them before reading a byte: it looks with
``os.stat`` first (opening some devices does something), opens without blocking, and looks again
at what it opened (the name may have changed hands in between). :func:`read_bounded` reads at
most a limit.
"""

from __future__ import annotations

import errno
import itertools
import os
import re
import stat
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from _typeshed import StrPath

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFileError(OSError):
    """The path leads to something other than a regular file; ``strerror`` says what it is."""


class TooLargeError(ValueError):
    """A file holds more than the bytes allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, for people: ``"a named pipe"``."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "not a regular file"


def _require_regular(mode: int, path: StrPath) -> None:
    if stat.S_ISDIR(mode):  # as opening a folder to read it says
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
    if not stat.S_ISREG(mode):
        kind = kind_of(mode)
        raise NotRegularFileError(errno.EINVAL, f"it is {kind}, not a regular file", os.fspath(path))


def check_regular(path: StrPath) -> os.stat_result:
    """The ``os.stat`` of *path*, a regular file (links followed).

    :class:`IsADirectoryError` for a folder, :class:`NotRegularFileError` for anything else.
    """
    found = os.stat(path)
    _require_regular(found.st_mode, path)
    return found


def open_regular(path: StrPath) -> BinaryIO:
    """*path* opened for reading in binary, when it is a regular file (:class:`NotRegularFileError`).

    Opened with ``O_NONBLOCK``: a named pipe put in its place after the first look does not block
    the open, and the second look refuses it.
    """
    check_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        _require_regular(os.fstat(descriptor).st_mode, path)
    except OSError:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def read_bounded(path: StrPath, limit: int) -> bytes:
    """The bytes of the regular file *path*; :class:`TooLargeError` when it holds more than *limit*."""
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(limit)
    return data


_numbers = itertools.count()


TEMPORARY_NAME_BYTES = 64
"""The most bytes of the target's name a temporary name repeats: a file named with the 255 bytes a
file system allows still gets a temporary name it allows."""


def temporary_beside(target: StrPath) -> str:
    """A name, in *target*'s folder, to write *target* under before putting it in place:
    ``.<name>.<process>-<number>.tmp`` (:data:`TEMPORARY`), a new number each time; of a long
    name, its first :data:`TEMPORARY_NAME_BYTES` bytes."""
    folder, name = os.path.split(os.fspath(target))
    short = os.fsencode(name)[:TEMPORARY_NAME_BYTES].decode("utf-8", "ignore")  # no character cut in two
    return os.path.join(folder, f".{short}.{os.getpid()}-{next(_numbers)}.tmp")


_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def create_temporary(target: StrPath) -> tuple[int, str]:
    """A new file named by :func:`temporary_beside`, open for writing, readable by its owner only
    (as :func:`tempfile.mkstemp` makes one): its descriptor and its name. A name left by an
    earlier process of the same number is passed over."""
    while True:
        temporary = temporary_beside(target)
        try:
            return os.open(temporary, _CREATE, 0o600), temporary
        except FileExistsError:
            continue


def write_atomically(target: StrPath, data: bytes) -> None:
    """Write *target* under a name of its own, then put it in place: a reader never sees half a file."""
    descriptor, temporary = create_temporary(target)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


TEMPORARY = re.compile(r"\..+\.tmp")
"""The name of a file being written: :func:`write_atomically`, and the links and copies that
:mod:`sphinx_dgx.publishing` puts in place the same way (``.<name>.<something>.tmp``)."""
STALE_AFTER = 3600
"""Seconds after which a temporary file nobody touched is one a build left when it stopped while
writing it (killed, or out of disk): a build writes each of its own in well under a second."""


def remove_stale_temporaries(root: Path, now: float | None = None) -> int:
    """Remove, under *root*, the temporary files (:data:`TEMPORARY`) whose inode has not changed for
    :data:`STALE_AFTER` seconds, and say how many. The inode's change time, not the modification
    time: a hard link made a moment ago to an old file is as old as that file by the latter. A
    build running beside this one on the same folder keeps its own temporaries."""
    now = time.time() if now is None else now
    removed = 0
    for folder, _, names in os.walk(root):
        for name in names:
            if TEMPORARY.fullmatch(name):
                path = os.path.join(folder, name)
                with suppress(OSError):
                    found = os.lstat(path)
                    if stat.S_ISREG(found.st_mode) and now - found.st_ctime > STALE_AFTER:
                        os.unlink(path)
                        removed += 1
    return removed


def keep(target: Path, data: bytes) -> None:
    """Write a cache file atomically, with its folders; a cache that cannot be written only costs
    the next build the time to make it again."""
    with suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
