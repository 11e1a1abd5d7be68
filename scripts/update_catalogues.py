"""Bring the message catalogues up to date with the code, and say what is left to translate.

    uv run python scripts/update_catalogues.py           # extract, merge, report
    uv run python scripts/update_catalogues.py --check   # only report; exit 1 if work is left

Extracts every ``_()``, ``N_()`` and ``ngettext()`` message from the files listed in
``babel.cfg`` into ``src/prevplan/locale/prevplan.pot`` and merges that template into the
Russian and Chinese ``prevplan.po`` files (new messages arrive empty, changed ones as fuzzy
guesses, removed ones are dropped). Then lists, per language, the messages that still need a
translator: empty, fuzzy, or missing. Translate those in the ``.po`` file (and delete the
``#, fuzzy`` line once a guess is checked); nothing has to be compiled.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
LOCALE_DIR = ROOT / "src" / "prevplan" / "locale"
TEMPLATE = LOCALE_DIR / "prevplan.pot"
DOMAIN = "prevplan"
LANGUAGES = ("ru", "zh")
KEYWORDS = ("_", "N_", "ngettext:1,2")
WIDTH = "100"
#: The gettext plural rules, written as translators know them (Babel's own are equivalent).
PLURAL_FORMS = {
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "zh": "nplurals=1; plural=0;",
}

MessageId = str | tuple[str, ...]


def _pybabel(*args: str) -> None:
    # From the project folder, so that the catalogues name files relative to it.
    with contextlib.chdir(ROOT):
        CommandLineInterface().run(["pybabel", "--quiet", *args])


def extract(output: Path) -> None:
    """Extract the messages of the code into the template ``output``."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    _pybabel(
        "extract",
        "--mapping-file",
        str(MAPPING),
        "--output-file",
        str(output),
        "--no-default-keywords",
        *keywords,
        "--add-location",
        "file",
        "--sort-by-file",
        "--project",
        "prevplan",
        "--copyright-holder",
        "prevplan",
        "--width",
        WIDTH,
        ".",
    )


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def update(lang: str) -> None:
    """Merge the template into the catalogue of ``lang`` (creating it the first time)."""
    created = not catalogue_path(lang).exists()
    command = "init" if created else "update"
    extra = [] if created else ["--ignore-obsolete"]
    _pybabel(
        command,
        "--input-file",
        str(TEMPLATE),
        "--output-dir",
        str(LOCALE_DIR),
        "--domain",
        DOMAIN,
        "--locale",
        lang,
        "--width",
        WIDTH,
        *extra,
    )
    if created:
        _set_header(lang)


def _set_header(lang: str) -> None:
    """Give a new catalogue the plural rules of its language and a neutral translator."""
    path = catalogue_path(lang)
    catalog = read(path, lang)
    catalog.mime_headers = [
        ("Plural-Forms", PLURAL_FORMS[lang]),
        ("Last-Translator", "prevplan"),
        ("Language-Team", f"prevplan {lang}"),
    ]
    with path.open("wb") as po:
        write_po(po, catalog, width=int(WIDTH), ignore_obsolete=True)


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=lang, domain=DOMAIN)


def message_ids(catalog: Catalog) -> set[MessageId]:
    return {m.id for m in catalog if m.id}


def untranslated(catalog: Catalog) -> list[MessageId]:
    """Messages a translator still has to do: empty (any plural form) or fuzzy."""
    todo: list[MessageId] = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            todo.append(message.id)
    return todo


def problems(template: Catalog, lang: str) -> list[str]:
    """What keeps the catalogue of ``lang`` from matching ``template``, one line each."""
    path = catalogue_path(lang)
    if not path.exists():
        return [f"{lang}: no catalogue at {path}"]
    catalog = read(path, lang)
    expected, present = message_ids(template), message_ids(catalog)
    lines = [f"{lang}: missing {mid!r}" for mid in sorted(expected - present, key=str)]
    lines += [f"{lang}: stale {mid!r}" for mid in sorted(present - expected, key=str)]
    lines += [f"{lang}: untranslated or fuzzy {mid!r}" for mid in untranslated(catalog)]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if anything is left to do"
    )
    args = parser.parse_args(argv)
    if args.check:
        fresh = LOCALE_DIR / ".check.pot"
        try:
            extract(fresh)
            template = read(fresh)
        finally:
            fresh.unlink(missing_ok=True)
    else:
        LOCALE_DIR.mkdir(parents=True, exist_ok=True)
        extract(TEMPLATE)
        for lang in LANGUAGES:
            update(lang)
        template = read(TEMPLATE)
    found = [line for lang in LANGUAGES for line in problems(template, lang)]
    for line in found:
        print(line)
    print(f"{len(message_ids(template))} messages; {len(found)} left to do.")
    return 1 if (args.check and found) else 0


if __name__ == "__main__":
    sys.exit(main())
