"""Reading an input file's bytes: size limit, file kind, UTF-8 text.

The first step for every file a person gives prevplan (population files, plans, inventories,
workbooks): refuse what is too large before reading it into memory, say why a file cannot
be read, and turn bytes into text only when they are UTF-8. Nothing here knows what the
file should contain; callers say what they expected, for the messages.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from prevplan.i18n import _
from prevplan.problems import Problem, ProblemsError

MAX_INPUT_BYTES: Final = 50 * 1024 * 1024
"""Largest input file read; a bigger one is refused before it is read into memory."""


def read_input_bytes(path: Path, file: str, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of an input file, or a :class:`ProblemsError` saying why it cannot be read.

    Refuses a file over ``limit`` bytes before reading it into memory. ``file`` is the name
    problems give (usually ``str(path)``).
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ProblemsError([Problem(file, "", "", _("file not found"))]) from None
    except OSError as err:
        raise ProblemsError([Problem(file, "", "", cannot_read(err))]) from None
    if stat.S_ISDIR(info.st_mode):
        raise ProblemsError([Problem(file, "", "", _("is a directory; expected a file"))])
    if info.st_size > limit:
        raise ProblemsError([too_large(file, info.st_size, limit)])
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit so a file that grows (or a pipe, whose size stat
            # cannot tell) is still refused without reading all of it.
            data = handle.read(limit + 1)
    except OSError as err:
        raise ProblemsError([Problem(file, "", "", cannot_read(err))]) from None
    if len(data) > limit:
        raise ProblemsError([too_large(file, None, limit)])
    return data


def cannot_read(err: OSError) -> str:
    """``cannot read: Permission denied`` — why the system would not give the bytes."""
    return _("cannot read: {reason}").format(reason=err.strerror)


def too_large(file: str, size: int | None, limit: int = MAX_INPUT_BYTES) -> Problem:
    """The problem of a file over ``limit`` bytes (``size`` if known)."""
    limit_mb = limit // (1024 * 1024)
    if size is None:
        message = _(
            "file is too large; expected at most {limit} MB — split it into several files"
        ).format(limit=limit_mb)
    else:
        message = _(
            "file is too large ({size} MB); expected at most {limit} MB — "
            "split it into several files"
        ).format(size=f"{size / (1024 * 1024):.1f}", limit=limit_mb)
    return Problem(file, "", "", message)


def file_kind(file: str, suffixes: Mapping[str, str]) -> str:
    """The format of ``file`` from its suffix (``suffixes`` maps ``.yaml`` to ``yaml``…)."""
    suffix = Path(file).suffix
    kind = suffixes.get(suffix.lower())
    if kind is None:
        raise ProblemsError(
            [
                Problem(
                    file,
                    "",
                    "",
                    _("unsupported file type '{suffix}'; expected one of {allowed}").format(
                        suffix=suffix, allowed=", ".join(suffixes)
                    ),
                )
            ]
        )
    return kind


def input_text(data: bytes, file: str, expected: str) -> str:
    """The text of an input file's bytes: refused when too large, not UTF-8 or blank.

    ``expected`` says, in the reader's language, what a non-empty file would hold.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise ProblemsError([too_large(file, len(data))])
    if b"\x00" in data:
        raise ProblemsError([not_text(file)])
    try:
        text = data.decode("utf-8-sig")  # a BOM is what Excel's "CSV UTF-8" writes
    except UnicodeDecodeError as err:
        raise ProblemsError([not_text(file, err.start)]) from None
    if not text.strip():
        raise ProblemsError([empty_file(file, expected)])
    return text


def empty_file(file: str, expected: str) -> Problem:
    """``file is empty; expected …``."""
    return Problem(file, "", "", _("file is empty; expected {expected}").format(expected=expected))


def not_text(file: str, offset: int | None = None) -> Problem:
    """The problem of a file that is not UTF-8 text (``offset``: the first bad byte)."""
    if offset is None:
        return Problem(file, "", "", _("not a text file; expected UTF-8 text"))
    message = _("not a text file (byte {offset} is not UTF-8); expected UTF-8 text")
    return Problem(file, "", "", message.format(offset=offset))
