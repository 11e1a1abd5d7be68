"""Writing command output safely: all or nothing, to a file or standard output; and the
progress bar of a long run, in the user's language.

``--output`` names a regular file or a new path, never anything else: a device (``/dev/null``
as root), a pipe or a folder is refused before any work, so it is never replaced by a
regular file. The output is written to an unnamed temporary file in the target's folder
(``O_TMPFILE``), given a name only when complete and renamed over the target: a run stopped
half-way, even by ``kill -9``, leaves no partial or hidden file behind and an existing file
untouched. Where the system has no unnamed files, a hidden ``.NAME.XXXXXXXX`` file is used
and removed on any failure, interrupt or ``SIGTERM``. A write that fails (a full or
read-only disk, a closed standard output) is one problem line, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Final

from prevplan.i18n import _, format_percent
from prevplan.problems import Problem, ProblemsError
from prevplan.safe_text import printable

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


STDOUT: Final = "<stdout>"
"""How a problem names standard output."""


def write_failed(where: Path | str, err: OSError) -> ProblemsError:
    """The problem of a write to ``where`` (a path, or :data:`STDOUT`) that failed."""
    return ProblemsError(
        [
            Problem(
                str(where),
                "",
                "--output" if where != STDOUT else "",
                _("cannot write: {error}").format(error=err.strerror or err),
            )
        ]
    )


@contextlib.contextmanager
def atomic_output(output: Path | None) -> Iterator[Output]:
    """An :class:`Output` for ``output`` — written to a temporary file renamed into place —
    or for standard output when ``output`` is ``None``.

    A failure half-way leaves no partial file behind (and an existing file untouched); a
    failed write is a :class:`ProblemsError` naming the output.
    """
    if output is None:
        try:
            sys.stdout.flush()
            try:
                fd: int | None = sys.stdout.fileno()
            except (AttributeError, OSError, ValueError):  # replaced (a test's capture, say)
                fd = None
            buffer = getattr(sys.stdout, "buffer", None)
            yield Output(fd=fd, stream=buffer if fd is None else None)
            if buffer is not None:
                buffer.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            raise write_failed(STDOUT, err) from None
        return
    directory = check_output(output)
    with _temporary(directory, output) as (fd, publish):
        try:
            yield Output(fd=fd)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise write_failed(output, err) from None
        try:
            publish()
        except OSError as err:
            raise write_failed(output, err) from None


TemporaryFile = tuple[int, Callable[[], None]]


@contextlib.contextmanager
def _temporary(directory: Path, output: Path) -> Iterator[TemporaryFile]:
    """A file descriptor to write the output to, and the function that puts it in place.

    Unnamed (``O_TMPFILE``) where the system has it, so that nothing is left if the process
    is killed; otherwise a hidden file next to the target, removed on any failure.
    """
    mode = _mode_for(output)
    fd = _unnamed(directory, output)
    if fd is not None:
        unnamed_fd = fd

        def link_and_rename() -> None:
            os.fchmod(unnamed_fd, mode)
            name = directory / f".{output.name}.{secrets.token_hex(4)}"
            _link(unnamed_fd, name)
            try:
                os.replace(name, output)
            except BaseException:
                name.unlink(missing_ok=True)
                raise

        try:
            yield fd, link_and_rename
        finally:
            os.close(fd)
        return
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
    except OSError as err:
        raise write_failed(output, err) from None
    named_fd = fd

    def rename() -> None:
        os.close(named_fd)
        # mkstemp creates the file readable by its owner only; give the output the mode any
        # new file gets here (an existing file keeps its own mode).
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, output)

    try:
        with _removed_on_sigterm(tmp_name):
            yield fd, rename
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _unnamed(directory: Path, output: Path) -> int | None:
    """An unnamed file in ``directory`` that can be linked in later, or ``None``."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(directory, flag | os.O_RDWR, 0o600)
    except OSError as err:
        if err.errno in (errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM):
            raise write_failed(output, err) from None
        return None  # the file system has no unnamed files (EOPNOTSUPP, EISDIR on old kernels)


_AT_FDCWD: Final = -100
_AT_SYMLINK_FOLLOW: Final = 0x400


def _link(fd: int, name: Path) -> None:
    """Give the unnamed file ``fd`` the name ``name`` (``linkat`` through ``/proc``).

    Python's ``os.link`` does not follow the ``/proc/self/fd`` link; where ``linkat`` cannot
    be called, the content is copied into a new file of that name instead.
    """
    source = f"/proc/self/fd/{fd}".encode()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.linkat(_AT_FDCWD, source, _AT_FDCWD, os.fsencode(name), _AT_SYMLINK_FOLLOW) == 0:
            return
        code = ctypes.get_errno()
        if code in (errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EEXIST):
            raise OSError(code, os.strerror(code), str(name))
    except (ImportError, AttributeError):
        pass
    target = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        size = os.fstat(fd).st_size
        offset = 0
        while offset < size:
            copied = os.sendfile(target, fd, offset, size - offset)
            if not copied:
                break
            offset += copied
        os.fchmod(target, os.fstat(fd).st_mode & 0o777)
    except BaseException:
        os.close(target)
        name.unlink(missing_ok=True)
        raise
    os.close(target)


@contextlib.contextmanager
def _removed_on_sigterm(name: str) -> Iterator[None]:
    """While the output is written to the hidden file ``name``, ``SIGTERM`` removes it."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        Path(name).unlink(missing_ok=True)
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def check_output(output: Path) -> Path:
    """The folder ``output`` is to be written in, once ``output`` is known to be writable
    there: a new path or a regular file (after symbolic links), never a device, a pipe, a
    socket or a folder. A problem otherwise."""
    try:
        found = output.stat()
    except FileNotFoundError:
        found = None
    except OSError as err:
        raise write_failed(output, err) from None
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise ProblemsError(
            [Problem(str(output), "", "--output", _("is a folder; expected a file name"))]
        )
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise ProblemsError(
            [
                Problem(
                    str(output),
                    "",
                    "--output",
                    _(
                        "is not a regular file (a device, pipe or socket) and is never "
                        "replaced; expected a new file name or an existing regular file"
                    ),
                )
            ]
        )
    return output_folder(output)


OUTPUT_MULTIPLE: Final = 100
"""An output estimated at more than this many times its input file ..."""
OUTPUT_FLOOR: Final = 1 << 30
"""... and more than this many bytes (1 GiB) is refused unless ``--force`` is given: a few
megabytes of input must not fill a disk unannounced. A national file of 100,000
populations, about 700 MB of JSON, stays under the floor."""


def check_output_size(estimate: int, input_bytes: int, output: Path | None, force: bool) -> None:
    """Refuse an output of about ``estimate`` bytes that is out of proportion to its input
    (see :data:`OUTPUT_MULTIPLE`) or larger than the free space where it goes, unless
    ``force``."""
    if force:
        return
    problems: list[Problem] = []
    where = str(output) if output is not None else STDOUT
    if estimate > OUTPUT_FLOOR and estimate > OUTPUT_MULTIPLE * max(input_bytes, 1):
        problems.append(
            Problem(
                where,
                "",
                "--output",
                _(
                    "the output would be about {size}, more than {multiple} times the input "
                    "({input}); give --force to write it anyway"
                ).format(
                    size=_bytes(estimate), multiple=OUTPUT_MULTIPLE, input=_bytes(input_bytes)
                ),
            )
        )
    if output is not None:
        try:
            found = os.statvfs(output_folder(output))
            free = found.f_bavail * found.f_frsize
        except OSError:
            free = None
        if free is not None and estimate > free:
            problems.append(
                Problem(
                    where,
                    "",
                    "--output",
                    _(
                        "the output would be about {size} but only {free} is free there; "
                        "give --force to try anyway"
                    ).format(size=_bytes(estimate), free=_bytes(free)),
                )
            )
    ProblemsError.raise_if_any(problems)


def _bytes(count: int) -> str:
    from prevplan.i18n import format_number

    if count >= 1 << 30:
        return _("{n} GB").format(n=format_number(count / (1 << 30), decimals=1))
    return _("{n} MB").format(n=format_number(count / (1 << 20), decimals=1))


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


def strict_json(data: object) -> str:
    """``data`` as standard JSON, indented: a number JSON cannot hold (an infinite or
    undefined total from overflowing sums) is written ``null``, never ``Infinity``/``NaN``."""
    import json

    try:
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(data), ensure_ascii=False, indent=2, allow_nan=False)


def _finite(data: object) -> object:
    import math

    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(value) for value in data]
    return data


def write_text_atomically(chunks: Iterable[str], output: Path | None) -> None:
    """Write text to ``output`` via a temporary file renamed into place, or to stdout."""
    if output is None:  # text, so that the terminal's own encoding applies
        try:
            for chunk in chunks:
                sys.stdout.write(chunk)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            raise write_failed(STDOUT, err) from None
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


# The options and the ending every report command shares (assess, monitor, survey, optimise).


def add_command(
    commands: argparse._SubParsersAction[Any], name: str, help: str, file_help: str
) -> argparse.ArgumentParser:
    """A sub-command and its one ``file`` argument."""
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help)
    parser.add_argument("file", type=Path, metavar=_("file"), help=file_help)
    return parser


def add_path_option(
    parser: argparse.ArgumentParser,
    flag: str,
    metavar: str,
    help: str,
    *,
    required: bool = False,
) -> None:
    """An option naming a file (absent: ``None``)."""
    parser.add_argument(
        flag, type=Path, required=required, default=None, metavar=metavar, help=help
    )


def add_format_option(
    parser: argparse.ArgumentParser,
    choices: Sequence[str] = ("json", "table"),
    help: str | None = None,
) -> None:
    """``--format``: the first choice is the default."""
    parser.add_argument("--format", choices=list(choices), default=choices[0], help=help)


def add_output_option(parser: argparse.ArgumentParser) -> None:
    """``--output``: a file to write the report to, else standard output."""
    add_path_option(parser, "--output", _("OUTPUT"), _("write here (default: stdout)"))


def check_output_option(output: Path | None) -> None:
    """Refuse an ``--output`` that could never be written, before any work is done."""
    if output is not None:
        check_output(output)


def report_text(fmt: str, data: Callable[[], object], table: Callable[[], str]) -> str:
    """A report as strict JSON (``--format json``) or as a table; control characters in a
    table (from names in the user's files) are shown as escapes, never sent to the
    terminal."""
    if fmt == "json":
        return strict_json(data()) + "\n"
    return printable(table())
