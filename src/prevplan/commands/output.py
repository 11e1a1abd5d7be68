"""Writing command output safely: all or nothing, to a file or standard output."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from prevplan.problems import Problem, ProblemsError


def write_text_atomically(chunks: Iterable[str], output: Path | None) -> None:
    """Write to ``output`` via a temporary file renamed into place, or to stdout.

    A failure half-way leaves no partial file behind (and an existing file untouched).
    """
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    directory = output.resolve().parent
    if not directory.is_dir():
        raise ProblemsError(
            [Problem(str(output), "", "--output", f"folder {directory} does not exist")]
        )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(tmp_name, output)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_bytes_atomically(data: bytes, output: Path) -> None:
    """The same for binary exports (PDF, Excel)."""
    directory = output.resolve().parent
    if not directory.is_dir():
        raise ProblemsError(
            [Problem(str(output), "", "--output", f"folder {directory} does not exist")]
        )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, output)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


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
        sys.stderr.write(f"{self.label} [{bar}] {percent:3d}% ({done}/{self.total}){end}")
        sys.stderr.flush()
