"""Writing command output safely: all or nothing, to a file or standard output; and the
progress bar of a long run, in the user's language."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from prevplan.i18n import _, format_percent
from prevplan.problems import Problem, ProblemsError

IOV_MAX = 1024
"""Buffers one ``writev`` call takes (the POSIX minimum; Linux takes exactly that)."""


class Output:
    """Where a command writes its bytes: a file descriptor, or a binary stream."""

    def __init__(self, fd: int | None = None, stream: IO[bytes] | None = None) -> None:
        self.fd = fd
        self.stream = stream

    def write(self, data: bytes) -> None:
        if self.fd is None:
            assert self.stream is not None
            self.stream.write(data)
            return
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]

    def write_pieces(self, pieces: Sequence[bytes]) -> None:
        """Write the pieces one after the other, without joining them first.

        A block of records is thousands of small pieces; joining them into one buffer would
        cost a copy and, for a large buffer, the page faults of fresh memory.
        """
        if self.fd is None or not hasattr(os, "writev"):
            self.write(b"".join(pieces))
            return
        for start in range(0, len(pieces), IOV_MAX):
            group = pieces[start : start + IOV_MAX]
            written = os.writev(self.fd, group)
            if written < sum(map(len, group)):  # interrupted: write the rest plainly
                self.write(b"".join(group)[written:])

    def append_file(self, source: IO[bytes]) -> None:
        """Write the whole content of a (binary, seekable) file, copied by the kernel where
        it can."""
        size = os.fstat(source.fileno()).st_size
        offset = 0
        if self.fd is not None and hasattr(os, "copy_file_range"):
            with contextlib.suppress(OSError):
                while offset < size:
                    copied = os.copy_file_range(source.fileno(), self.fd, size - offset, offset)
                    if not copied:
                        break
                    offset += copied
        source.seek(offset)
        while block := source.read(1 << 22):
            self.write(block)


@contextlib.contextmanager
def atomic_output(output: Path | None) -> Iterator[Output]:
    """An :class:`Output` for ``output`` — written to a temporary file renamed into place —
    or for standard output when ``output`` is ``None``.

    A failure half-way leaves no partial file behind (and an existing file untouched).
    """
    if output is None:
        sys.stdout.flush()
        try:
            fd: int | None = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):  # replaced (a test's capture, say)
            fd = None
        buffer = getattr(sys.stdout, "buffer", None)
        yield Output(fd=fd, stream=buffer if fd is None else None)
        if buffer is not None:
            buffer.flush()
        return
    directory = output_folder(output)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
    try:
        try:
            yield Output(fd=fd)
        finally:
            os.close(fd)
        # mkstemp creates the file readable by its owner only; give the output the mode any
        # new file gets here (an existing file keeps its own mode).
        os.chmod(tmp_name, _mode_for(output))
        os.replace(tmp_name, output)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def output_folder(output: Path) -> Path:
    """The folder ``output`` is to be written in; a problem when it does not exist."""
    directory = output.resolve().parent
    if not directory.is_dir():
        raise ProblemsError(
            [
                Problem(
                    str(output),
                    "",
                    "--output",
                    _("folder {folder} does not exist").format(folder=directory),
                )
            ]
        )
    return directory


def _mode_for(output: Path) -> int:
    try:
        return output.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomically(chunks: Iterable[str], output: Path | None) -> None:
    """Write text to ``output`` via a temporary file renamed into place, or to stdout."""
    if output is None:  # text, so that the terminal's own encoding applies
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    with atomic_output(output) as out:
        for chunk in chunks:
            out.write(chunk.encode("utf-8"))


def write_bytes_atomically(data: bytes, output: Path) -> None:
    """The same for binary exports (PDF, Excel)."""
    with atomic_output(output) as out:
        out.write(data)


class Progress:
    """A progress bar on stderr for long runs; silent for small inputs."""

    def __init__(self, total: int, label: str, threshold: int = 5000) -> None:
        self.total = total
        self.label = label
        self.enabled = total >= threshold
        self.tty = sys.stderr.isatty()
        self._last = -1

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        percent = done * 100 // max(self.total, 1)
        step = percent if self.tty else percent // 25 * 25
        if step == self._last:
            return
        self._last = step
        filled = percent // 5
        bar = "#" * filled + "-" * (20 - filled)
        end = "\r" if self.tty and done < self.total else "\n"
        # The share as the reader writes it ("40%", "40 %"), right-aligned: the bar stays put.
        share = format_percent(percent / 100).rjust(4)
        sys.stderr.write(f"{self.label} [{bar}] {share} ({done}/{self.total}){end}")
        sys.stderr.flush()
