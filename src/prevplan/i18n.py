"""One translation function for every user-visible string, and numbers in the reader's style.

Messages are written in English in the code and looked up in gettext catalogues at
``src/prevplan/locale/<lang>/LC_MESSAGES/prevplan.po`` (Russian and Chinese, the SCO's working
languages). A translator edits the ``.po`` file and nothing else: it is read directly with
Babel and compiled in memory on first use, so no generated ``.mo`` file is kept anywhere.
Untranslated and fuzzy entries fall back to the English text.

The language is chosen per call (``lang=``) or for the current context with
:func:`use_language`. Content of the concept itself (labels, descriptions, clause texts) is
not translated here but in ``concept_rules/translations/`` (see
:meth:`prevplan.rules.RuleSet.translated`).

``scripts/update_catalogues.py`` extracts the messages into ``prevplan.pot`` and merges them
into both catalogues.
"""

from __future__ import annotations

import ast
import gettext
import io
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, get_decimal_symbol, get_group_symbol
from babel.numbers import format_percent as _babel_format_percent

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "catalogue_path",
    "current_language",
    "extract_python",
    "format_money",
    "format_number",
    "format_percent",
    "join_list",
    "ngettext",
    "reload_catalogues",
    "resolve_language",
    "text_width",
    "use_language",
]

#: The languages prevplan speaks, by code, each named in its own language.
LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
DOMAIN = "prevplan"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current: ContextVar[str] = ContextVar("prevplan_lang", default=DEFAULT_LANGUAGE)

Number = int | float | Decimal


def catalogue_path(lang: str) -> Path:
    """Where the editable message catalogue of ``lang`` lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def _catalogue(lang: str) -> gettext.NullTranslations:
    """The ``.po`` file of ``lang`` compiled in memory; a no-op when there is none."""
    path = catalogue_path(lang)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    # write_mo leaves out fuzzy and empty entries, so they fall back to the English text.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def reload_catalogues() -> None:
    """Forget the compiled catalogues, so an edited ``.po`` file is read again."""
    _catalogue.cache_clear()


def resolve_language(lang: str | None) -> str:
    """``lang`` if prevplan speaks it; the current language when ``None``; else English."""
    if lang is None:
        return _current.get()
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    return _current.get()


@contextmanager
def use_language(lang: str | None) -> Iterator[None]:
    """Translate every message in this block into ``lang`` (an unknown code means English)."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str, lang: str | None = None) -> str:
    """The message in the current (or given) language."""
    chosen = resolve_language(lang)
    if chosen == DEFAULT_LANGUAGE:
        return message
    return _catalogue(chosen).gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is defined, without translating it yet.

    For texts kept in a constant (``UNEXPECTED = N_("Something went wrong")``) and translated
    where they are shown, with ``_(UNEXPECTED)``: extraction only sees literal strings inside
    ``_()``, ``ngettext()`` and ``N_()``.
    """
    return message


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """Singular or plural form, by the plural rules of the language (Russian has three)."""
    chosen = resolve_language(lang)
    if chosen == DEFAULT_LANGUAGE:
        return singular if n == 1 else plural
    return _catalogue(chosen).ngettext(singular, plural, n)


# --- numbers -------------------------------------------------------------------------------


def format_number(n: Number, lang: str | None = None, decimals: int | None = None) -> str:
    """``12345`` as the reader writes it: ``12,345`` (en, zh), ``12 345`` (ru, no-break space).

    ``decimals`` fixes the number of fraction digits; by default a whole number has none and
    a fraction keeps up to three.
    """
    chosen = resolve_language(lang)
    if decimals is None:
        return format_decimal(n, locale=chosen)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(n, format=pattern, locale=chosen, decimal_quantization=True)


def grid_number_format(lang: str | None = None, decimals: int = 0) -> str:
    """A printf-style display format for Streamlit's grid cells that groups thousands as the
    app's language does (``%,.0f`` → ``12,345``; ru ``12 345`` with a no-break space), not as the
    browser's locale does (which ``format="localized"`` follows).

    The grid's printf formatter has no decimal-mark option, so a fraction is shown with a
    full stop; callers pass ``decimals > 0`` only where the language writes one.
    """
    group = get_group_symbol(resolve_language(lang))
    pad = "" if group == "," else "'" + group
    return f"%{pad},.{decimals}f"


def writes_decimal_point(lang: str | None = None) -> bool:
    """Whether the language writes a fraction with a full stop (en, zh) rather than a comma."""
    return bool(get_decimal_symbol(resolve_language(lang)) == ".")


def format_percent(x: Number, lang: str | None = None, decimals: int = 0) -> str:
    """A share (``0.256``) as a percentage: ``26%`` (en, zh), ``26 %`` (ru, no-break space)."""
    chosen = resolve_language(lang)
    pattern = _percent_pattern(chosen, decimals)
    return _babel_format_percent(x, format=pattern, locale=chosen, decimal_quantization=True)


@lru_cache(maxsize=16)
def _percent_pattern(lang: str, decimals: int) -> str:
    """The language's own percent pattern (where the sign goes) with ``decimals`` digits."""
    pattern: str = Locale.parse(lang).percent_formats[None].pattern
    if decimals > 0:
        # Put the fraction after the last digit placeholder: "#,##0 %" -> "#,##0.0 %".
        last = pattern.rindex("0")
        pattern = pattern[: last + 1] + "." + "0" * decimals + pattern[last + 1 :]
    return pattern


def format_money(x: Number, lang: str | None = None, currency: str | None = None) -> str:
    """An amount of money with two decimals: ``1,234.50`` (en, zh), ``1 234,50`` (ru).

    Plans record cost in their own (unnamed) currency, so by default no symbol is shown;
    pass an ISO 4217 ``currency`` (``"RUB"``, ``"CNY"``, …) to show one.
    """
    chosen = resolve_language(lang)
    if currency is not None:
        return format_currency(x, currency, locale=chosen)
    return format_decimal(x, format="#,##0.00", locale=chosen, decimal_quantization=True)


#: How a language separates the items of a list written inline (default: ``", "``).
LIST_SEPARATORS: dict[str, str] = {"zh": "、"}


def join_list(items: Iterable[str], lang: str | None = None) -> str:
    """Items as the language lists them: ``a, b, c`` (en, ru), ``a、b、c`` (zh); empty
    items are left out."""
    separator = LIST_SEPARATORS.get(resolve_language(lang), ", ")
    return separator.join(item for item in items if item)


def text_width(text: str) -> int:
    """How many columns ``text`` takes in a terminal or a monospaced table: a Chinese
    character takes two, so columns padded by this line up in every language."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# --- extraction ----------------------------------------------------------------------------


def extract_python(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str | tuple[str | None, ...], list[str]]]:
    """Babel extraction method for prevplan's Python files (named in ``babel.cfg``).

    Babel's own Python extractor reads tokens, and before Python 3.12 an f-string is a single
    token: ``f"{_('Size'):>9}"`` would never reach the catalogue. This one reads the syntax
    tree, so it finds every call of a keyword (``_``, ``N_``, ``ngettext``, also as
    ``i18n._``) whose message arguments are literal strings, wherever the call is.
    """
    del comment_tags  # prevplan's messages carry no translator comments
    source = fileobj.read().decode(str(options.get("encoding", "utf-8")))
    found: list[tuple[int, int, str, tuple[str | None, ...]]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if not isinstance(name, str) or name not in keywords or not node.args:
            continue
        args = tuple(
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            for arg in node.args
        )
        if args[0] is not None:
            found.append((node.lineno, node.col_offset, name, args))
    for lineno, _col, name, args in sorted(found):
        yield lineno, name, args if len(args) > 1 else str(args[0]), []
