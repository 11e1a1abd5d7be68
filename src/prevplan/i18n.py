"""One translation function for every user-visible string.

Messages are written in English in the code and looked up in gettext catalogues under
``src/prevplan/locale/<lang>/LC_MESSAGES/prevplan.mo`` (Russian and Chinese, the SCO's working
languages). The language is chosen per call (``lang=``) or for the current context with
:func:`use_language`; without a catalogue the English text is returned unchanged.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский", "zh": "中文"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_current: ContextVar[str] = ContextVar("prevplan_lang", default="en")


@lru_cache(maxsize=8)
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation("prevplan", LOCALE_DIR, languages=[lang], fallback=True)


def current_language() -> str:
    return _current.get()


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Translate every message in this block into ``lang``."""
    token = _current.set(lang if lang in LANGUAGES else "en")
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str, lang: str | None = None) -> str:
    """The message in the current (or given) language."""
    chosen = lang or _current.get()
    if chosen == "en":
        return message
    return _catalogue(chosen).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """Singular or plural form, by the rules of the language."""
    chosen = lang or _current.get()
    if chosen == "en":
        return singular if n == 1 else plural
    return _catalogue(chosen).ngettext(singular, plural, n)
