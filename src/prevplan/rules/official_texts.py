"""Official Russian and Chinese texts of the SCO documents, where the user has them.

The Concept (Annex VI), the Program of Actions (Annex V) and the Strategy (Annex IV) exist
officially in Russian and Chinese, and the UN publishes the transmitting document in both.
prevplan cannot fetch them: what it ships beside the English source is its own *unofficial*
translation (``concept_rules/translations/<lang>.yaml``). An organisation that holds the
official texts can put ``concept_rules/official/<lang>.yaml`` beside the rules; wherever the
app or the PDF quotes the source, the official text is then shown instead of prevplan's
translation, marked "official text" with the source the file names.

The file maps clause references, exactly as the rules cite them, to text::

    language: ru
    source: "Официальный текст: …, Циндао, 10 июня 2018 г."
    texts:
      VI-3.1.1: "…"              # a whole clause
      VI-2.1#p4: "…"             # one paragraph
      VI-4.3.2#3: "…"            # one bullet
      V-3.5: "…"                 # an Annex V item
      VI-1: {text: "…", source: "…"}   # an entry with a source of its own

A reference the rules do not know is a load error naming the file and the key, like every
other fault of ``concept_rules/``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from prevplan.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, resolve_language
from prevplan.problems import Problem
from prevplan.rules.models import Strict

#: The folder below ``concept_rules/`` that holds the official texts.
FOLDER = "official"


class OfficialEntry(Strict):
    """One official text with a source of its own (else the file's ``source`` applies)."""

    text: str = Field(min_length=1)
    source: str | None = Field(default=None, min_length=1)


class OfficialTextFile(Strict):
    """``official/<lang>.yaml``: official texts of the SCO documents in one language."""

    language: str = Field(pattern=r"^[a-z]{2}$")
    source: str = Field(min_length=1)
    texts: dict[str, str | OfficialEntry] = Field(min_length=1)


@dataclass(frozen=True)
class OfficialText:
    """An official text of the source for one reference, with where it comes from."""

    ref: str
    lang: str
    text: str
    source: str


def official_paths(directory: Path) -> list[Path]:
    """The official text files below the rules folder (none is the usual case)."""
    return sorted((directory / FOLDER).glob("*.yaml"))


def check_official_file(
    path: str, lang: str, official: OfficialTextFile, ref_exists: Callable[[str], bool]
) -> list[Problem]:
    """Problems of one official text file: a language that is not its name, an unknown
    clause reference, an empty text."""
    found: list[Problem] = []
    if lang not in LANGUAGES or lang == DEFAULT_LANGUAGE:
        others = ", ".join(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)
        found.append(
            Problem(
                path,
                "",
                "",
                _("unknown language '{lang}': name the file after one of {languages}").format(
                    lang=lang, languages=others
                ),
            )
        )
    if official.language != lang:
        found.append(
            Problem(
                path,
                "",
                "language",
                _("expected '{lang}' (the file's name), got '{given}'").format(
                    lang=lang, given=official.language
                ),
            )
        )
    for ref, entry in official.texts.items():
        if not ref_exists(ref):
            found.append(
                Problem(
                    path,
                    ref,
                    "texts",
                    _(
                        "unknown clause reference '{ref}'; expected a reference the rules cite, "
                        "such as VI-3.1.1, VI-2.1#p4 or V-3.5"
                    ).format(ref=ref),
                )
            )
        text = entry.text if isinstance(entry, OfficialEntry) else entry
        if not text.strip():
            found.append(Problem(path, ref, "texts", _("the official text is empty")))
    return found


def official_text(
    files: Mapping[str, OfficialTextFile], ref: str, lang: str | None = None
) -> OfficialText | None:
    """The official text of ``ref`` in ``lang`` (default: the current language), if the
    user supplied one; ``None`` in English and where none is given."""
    chosen = resolve_language(lang)
    official = files.get(chosen)
    if chosen == DEFAULT_LANGUAGE or official is None:
        return None
    entry = official.texts.get(ref.strip())
    if entry is None:
        return None
    if isinstance(entry, OfficialEntry):
        return OfficialText(ref, chosen, entry.text, entry.source or official.source)
    return OfficialText(ref, chosen, entry, official.source)
