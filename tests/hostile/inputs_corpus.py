"""A corpus of hostile input files, generated on demand (nothing large is committed).

Each :class:`Case` is one file an attacker (or an unlucky export) could hand prevplan — an
alias bomb, nesting 100,000 deep, a 29-digit reach, a 510 KB workbook that unpacks to
190 MB — with the command that reads it and the words its refusal must contain. The
classes follow the attack run behind issue #19 (../shared/reviews/reliability.md, rows 3–23).

``python -m tests.hostile.inputs_corpus DIR`` writes every file into DIR, to try by hand.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


@dataclass(frozen=True)
class Case:
    """One hostile file: how to make it, which command reads it, what the refusal says."""

    name: str
    filename: str
    make: Callable[[Path], object]
    """Writes the file (and any companion file) at the given path."""
    command: str
    """``recommend`` (population files), ``assess`` (plans and inventories)."""
    message: str
    """Words the one-line refusal contains."""
    app: str = ""
    """The app's upload path that reads it too: ``populations`` or ``inventory``."""


def _text(content: str) -> Callable[[Path], object]:
    return lambda path: path.write_text(content, encoding="utf-8")


def _bytes(content: Callable[[], bytes]) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(content())


# --------------------------------------------------------------------------- population files

POPULATION = "populations:\n  - id: p1\n    age_min: 1\n    age_max: 2\n    size: 3\n"


def alias_bomb() -> str:
    """The 405-byte YAML of the attack run: nine levels of nine aliases inside ``settings``."""
    levels = ['&a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        levels.append(f"&{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return POPULATION + "    settings: [" + ", ".join(levels) + "]\n"


def merge_key_bomb() -> str:
    """Merge keys (``<<``) that double a mapping twenty times."""
    lines = ["a0: &a0 {k: v}"]
    for n in range(1, 21):
        lines.append(f"a{n}: &a{n} {{x{n}: *a{n - 1}, y{n}: *a{n - 1}}}")
    return "\n".join(lines) + "\npopulations: [*a20]\n"


def _json_population(**fields: object) -> dict[str, object]:
    return {"id": "p1", "age_min": 1, "age_max": 2, "size": 3, **fields}


def deep_json_object() -> str:
    inner = '{"a":' * 50_000 + "1" + "}" * 50_000
    return '{"populations":[{"id":"p","age_min":1,"age_max":2,"size":3,"risk_factors":' + (
        inner + "}]}"
    )


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)  # a hole: costs no disk and no time

    return make


BIG = "1" + "0" * 28
"""A size or reach of 10^28: it crashed number formatting in assess, exports and four pages."""

POPULATION_CASES = [
    Case("yaml alias bomb", "bomb.yaml", _text(alias_bomb()), "recommend", "aliases (*name)"),
    Case("yaml merge-key bomb", "merge.yaml", _text(merge_key_bomb()), "recommend", "aliases"),
    Case("yaml nested 20,000 deep", "deep.yaml", _text("a: " + "[" * 20_000), "recommend", "YAML"),
    Case(
        "json nested 100,000 deep",
        "deep.json",
        _text("[" * 100_000 + "]" * 100_000),
        "recommend",
        "nested more than",
    ),
    Case(
        "json object nested 50,000 deep in a field",
        "deep_field.json",
        _text(deep_json_object()),
        "recommend",
        "nested more than",
    ),
    Case(
        "json integer of 5,000 digits",
        "digits.json",
        _text('[{"id":"p","age_min":1,"age_max":2,"size":' + "9" * 5000 + "}]"),
        "recommend",
        "more than 4,300 digits",
    ),
    Case(
        "json size 10^28",
        "size.json",
        _text(json.dumps([_json_population(size=int(BIG))])),
        "recommend",
        "from 1 to 10,000,000,000",
    ),
    Case(
        "json size 10^100",
        "size100.json",
        _text(json.dumps([_json_population(size=10**100)])),
        "recommend",
        "a number with ~101 digits",
    ),
    Case(
        "csv size 10^28",
        "size.csv",
        _text(f"id,age_min,age_max,size\np,1,2,{BIG}\n"),
        "recommend",
        "from 1 to 10,000,000,000",
    ),
    Case(
        "json duplicate keys",
        "dup.json",
        _text('[{"id":"p1","age_min":1,"age_min":5,"age_max":9,"size":3}]'),
        "recommend",
        "appears twice in one object",
    ),
    Case(
        "csv cell of 1 MB",
        "cell.csv",
        _text("id,name,age_min,age_max,size\np," + "x" * 1_000_000 + ",1,2,3\n"),
        "recommend",
        "a cell is longer than",
    ),
    Case(
        "yaml name of 1 MB",
        "name.yaml",
        _text(POPULATION + "    name: " + "x" * 1_000_000 + "\n"),
        "recommend",
        "a text of at most 5000 characters",
    ),
    Case(
        "file over 50 MB",
        "huge.csv",
        _sparse(50 * 1024 * 1024 + 1),
        "recommend",
        "file is too large",
    ),
]
POPULATION_CASES = [
    Case(c.name, c.filename, c.make, c.command, c.message, app="populations")
    for c in POPULATION_CASES
]

# --------------------------------------------------------------------------- plan files


def _plan(**activity: object) -> str:
    return json.dumps(
        {
            "name": "Poison plan",
            "populations": [_json_population(size=1000)],
            "activities": [
                {
                    "id": "a1",
                    "name": "Lessons",
                    "population_id": "p1",
                    "strategies": ["VI-3.1.3"],
                    **activity,
                }
            ],
        }
    )


PLAN_CASES = [
    Case(
        "plan reach 10^28",
        "reach.json",
        _text(_plan(reach=int(BIG))),
        "assess",
        "a number of at most 10,000,000,000",
    ),
    Case(
        "plan cost 1e308",
        "cost.json",
        _text(_plan(reach=10, cost=1e308)),
        "assess",
        "a number of at most",
    ),
    Case(
        "plan nested 100,000 deep",
        "deep_plan.json",
        _text('{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        "assess",
        "nested more than",
    ),
]

# --------------------------------------------------------------------------- inventories


def _workbook_with(replace: str, write: Callable[[io.RawIOBase], None]) -> bytes:
    """The sample inventory workbook with one part replaced by what ``write`` streams."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(SAMPLES / "ngo_inventory.xlsx") as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as copy,
    ):
        for info in source.infolist():
            if info.filename != replace:
                copy.writestr(info.filename, source.read(info.filename))
        with copy.open(replace, "w", force_zip64=True) as handle:
            write(handle)  # type: ignore[arg-type]
    return out.getvalue()


def _sheet_of(rows: int, row: bytes) -> Callable[[io.RawIOBase], None]:
    def write(handle: io.RawIOBase) -> None:
        handle.write(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>"
        )
        chunk = row * 1000
        for _n in range(rows // 1000):
            handle.write(chunk)
        handle.write(b"</sheetData></worksheet>")

    return write


WIDE_ROW = b"<row>" + b'<c t="n"><v>1</v></c>' * 1000 + b"</row>"
NARROW_ROW = b'<row><c t="n"><v>1</v></c></row>'


def ignored_sheet_bomb() -> bytes:
    """The attack run's 510 KB workbook: an ignored sheet that unpacks to 190 MB."""
    rows = 190 * 1024 * 1024 // len(WIDE_ROW)
    return _workbook_with("xl/worksheets/sheet4.xml", _sheet_of(rows, WIDE_ROW))


def read_sheet_over_limit() -> bytes:
    """A sheet that is read (Activities) unpacking to 24 MB: under the workbook's limit."""
    rows = 24 * 1024 * 1024 // len(WIDE_ROW)
    return _workbook_with("xl/worksheets/sheet3.xml", _sheet_of(rows, WIDE_ROW))


def many_rows() -> bytes:
    """A read sheet of 50,000 tiny rows (1.6 MB unpacked)."""
    return _workbook_with("xl/worksheets/sheet3.xml", _sheet_of(50_000, NARROW_ROW))


def shared_strings_bomb() -> bytes:
    """Shared texts that unpack to 100 MB, honestly declared."""

    def write(handle: io.RawIOBase) -> None:
        handle.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        chunk = b"<si><t>" + b"x" * 1000 + b"</t></si>"
        for _n in range(100 * 1024):
            handle.write(chunk)
        handle.write(b"</sst>")

    return _workbook_with("xl/sharedStrings.xml", write)


def _inventory_csv_pair(reach: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        activities = (SAMPLES / "ngo_inventory_activities.csv").read_text(encoding="utf-8")
        lines = activities.splitlines()
        cells = lines[1].split(",")
        # "Reach (people reached)" is the 7th column of the sample's first (unquoted) cells.
        header = lines[0].split(",")
        cells[header.index("Reach (people reached)")] = reach
        lines[1] = ",".join(cells)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        populations = path.with_name(path.name.replace("_activities", "_populations"))
        populations.write_text(
            (SAMPLES / "ngo_inventory_populations.csv").read_text(encoding="utf-8"),
            encoding="utf-8",
        )

    return make


INVENTORY_CASES = [
    Case(
        "workbook with a 190 MB ignored sheet",
        "sheet_bomb.xlsx",
        _bytes(ignored_sheet_bomb),
        "assess",
        "workbook is too large unpacked",
        app="inventory",
    ),
    Case(
        "workbook with a 24 MB read sheet",
        "big_sheet.xlsx",
        _bytes(read_sheet_over_limit),
        "assess",
        "sheet is too large unpacked",
        app="inventory",
    ),
    Case(
        "workbook with 50,000 rows",
        "rows.xlsx",
        _bytes(many_rows),
        "assess",
        "has 50,000 rows",
        app="inventory",
    ),
    Case(
        "workbook with 100 MB of shared texts",
        "strings.xlsx",
        _bytes(shared_strings_bomb),
        "assess",
        "too large unpacked",
        app="inventory",
    ),
    Case(
        "csv inventory with a 29-digit reach",
        "ngo_activities.csv",
        _inventory_csv_pair(BIG),
        "assess",
        "at most 10,000,000,000",
        app="inventory",
    ),
]

CASES = [*POPULATION_CASES, *PLAN_CASES, *INVENTORY_CASES]


def write_all(directory: Path) -> dict[str, Path]:
    """Every case's file in ``directory``, by case name."""
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for case in CASES:
        path = directory / case.filename
        case.make(path)
        written[case.name] = path
    return written


if __name__ == "__main__":
    for name, path in write_all(Path(sys.argv[1])).items():
        print(f"{path}  ({name})")


def heavy_inventory(rows: int = 12_000) -> bytes:
    """The sample inventory with ``rows`` activities: within every limit, yet seconds of
    parsing — the heaviest workbook an uploader may send (for the two-session browser test).
    Every tenth activity names an unknown population, so the answer is a list of problems."""
    import openpyxl

    book = openpyxl.load_workbook(SAMPLES / "ngo_inventory.xlsx")
    sheet = book["Activities"]
    template = [cell.value for cell in sheet[2]]
    for n in range(rows):
        values = list(template)
        values[0] = f"A-{n:05d}"
        if n % 10 == 9:
            values[2] = f"nobody-{n}"
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
