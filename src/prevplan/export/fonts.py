"""The fonts a plan report is set in: DejaVu Sans, with Noto Sans CJK for Chinese.

fpdf2's built-in fonts are latin-1 only; a report for SCO member states must print Latin,
Cyrillic and Chinese text, often in one line (a Chinese plan citing ``VI-3.1.1``). DejaVu
Sans covers Latin and Cyrillic; Noto Sans CJK SC is registered as fpdf2's fallback font, so
any character DejaVu lacks is set in it. Both are embedded (subset) in the PDF, so the
report reads the same on a computer without them.
"""

from __future__ import annotations

import os
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from fpdf import FPDF
from fpdf.fonts import TTFFont

from prevplan.i18n import _
from prevplan.problems import Problem, ProblemsError

FONT_DIR_ENV: Final = "PREVPLAN_FONT_DIR"
"""A folder searched first for the font files (for systems that keep fonts elsewhere)."""

MAIN: Final = "dejavu"
CJK: Final = "notocjk"
EMOJI: Final = "notoemoji"

_SYSTEM_DIRS: Final = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/opentype/noto",
    "/usr/share/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto",
)
# Noto Sans CJK collections hold JP, KR, SC, TC, HK in that order: face 2 is Simplified
# Chinese, the SCO's working script.
_CJK_FACE: Final = 2


@dataclass(frozen=True)
class FontFile:
    style: str
    names: tuple[str, ...]
    face: int = 0


_MAIN_FILES: Final = (
    FontFile("", ("DejaVuSans.ttf",)),
    FontFile("B", ("DejaVuSans-Bold.ttf",)),
    FontFile("I", ("DejaVuSans-Oblique.ttf",)),
)
_CJK_FILES: Final = (
    FontFile("", ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"), _CJK_FACE),
    FontFile("B", ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf"), _CJK_FACE),
)
_EMOJI_FILES: Final = (FontFile("", ("NotoColorEmoji.ttf",)),)
"""Emoji in names ("Pupils 🎒") print in colour from Noto Color Emoji when it is installed
(Debian package fonts-noto-color-emoji); without it fpdf2 warns of the missing glyphs."""
_PACKAGES: Final = {MAIN: "fonts-dejavu-core", CJK: "fonts-noto-cjk"}


def _search_dirs() -> list[Path]:
    extra = os.environ.get(FONT_DIR_ENV, "").strip()
    return ([Path(extra)] if extra else []) + [Path(d) for d in _SYSTEM_DIRS]


def _find(font: FontFile) -> tuple[Path, int] | None:
    for directory in _search_dirs():
        for name in font.names:
            path = directory / name
            if path.is_file():
                # A single-face .otf has no collection index.
                return path, font.face if path.suffix.lower() in (".ttc", ".otc") else 0
    return None


def missing_fonts(*, cjk: bool = True) -> list[Problem]:
    """A problem for each font file that is not on this machine (empty when all are)."""
    problems = []
    families = ((MAIN, _MAIN_FILES), (CJK, _CJK_FILES)) if cjk else ((MAIN, _MAIN_FILES),)
    for family, files in families:
        for font in files:
            if _find(font) is None:
                problems.append(
                    Problem(
                        font.names[0],
                        "",
                        "",
                        _(
                            "font not found in {folders}; install the Debian package "
                            "{package} (or put the file in ${variable})"
                        ).format(
                            folders=", ".join(str(d) for d in _search_dirs()),
                            package=_PACKAGES[family],
                            variable=FONT_DIR_ENV,
                        ),
                    )
                )
    return problems


def _add(pdf: FPDF, family: str, files: tuple[FontFile, ...]) -> None:
    for font in files:
        found = _find(font)
        assert found is not None  # missing_fonts() was checked first
        path, face = found
        pdf.add_font(family, font.style, str(path), collection_font_number=face)


def register_fonts(pdf: FPDF, text: str = "", *, cjk: bool = False) -> bool:
    """Add DejaVu Sans (regular, bold, oblique), and Noto Sans CJK SC as its fallback when
    ``cjk`` is set or ``text`` holds a character DejaVu lacks; return whether it was added.

    Loading the CJK collection costs about half a second, so a report that needs no
    Chinese (or other CJK) character does without it.
    """
    ProblemsError.raise_if_any(missing_fonts(cjk=False))
    _add(pdf, MAIN, _MAIN_FILES)
    uncovered = {ch for ch in set(text) if not ch.isspace() and ord(ch) not in _cmap(pdf, MAIN)}
    needed = cjk or bool(uncovered)
    if not needed:
        return False
    ProblemsError.raise_if_any(missing_fonts(cjk=True))
    _add(pdf, CJK, _CJK_FILES)
    fallbacks = [CJK]
    uncovered = {ch for ch in uncovered if ord(ch) not in _cmap(pdf, CJK)}
    if uncovered and all(_find(font) is not None for font in _EMOJI_FILES):
        _add(pdf, EMOJI, _EMOJI_FILES)
        fallbacks.append(EMOJI)
    # exact_match=False: an oblique Chinese word falls back to the upright CJK face.
    pdf.set_fallback_fonts(fallbacks, exact_match=False)
    return True


def _cmap(pdf: FPDF, family: str) -> Container[int]:
    font = pdf.fonts[family]
    return font.cmap if isinstance(font, TTFFont) else range(256)
