"""The rule files of ``concept_rules/`` as parsed, before they are indexed.

:mod:`prevplan.rules.loader` fills a :class:`RuleFiles` from the YAML files (Annex VI and
Annex IV texts, the Program of Actions of Annex V, entities, evidence, warnings,
prioritisation, relations, how-to-apply notes, translations); :mod:`prevplan.rules.crosscheck` and
:mod:`prevplan.rules.translations` check it across files, and
:class:`prevplan.rules.ruleset.RuleSet` indexes it. Its own module, so that none of them
imports another only to name this type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prevplan.rules.models import (
    AnnexTextFile,
    AnnexVFile,
    AssessmentFile,
    EntitiesFile,
    EvidenceFile,
    NotesFile,
    PrioritisationFile,
    RelationFile,
    TranslationFile,
    WarningsFile,
)
from prevplan.rules.official_texts import OfficialTextFile


@dataclass(frozen=True)
class RuleFiles:
    """The parsed files, before indexing."""

    annex_vi: AnnexTextFile
    annex_iv: AnnexTextFile
    annex_v: AnnexVFile
    entities: EntitiesFile
    evidence: EvidenceFile
    warnings: WarningsFile
    prioritisation: PrioritisationFile
    assessment: AssessmentFile
    relations: dict[str, RelationFile]
    notes: NotesFile
    paths: dict[str, str] = field(default_factory=dict)
    #: ``translations/<lang>.yaml`` by language code (``ru``, ``zh``).
    translations: dict[str, TranslationFile] = field(default_factory=dict)
    #: ``official/<lang>.yaml`` by language code, where the user supplied official texts.
    official: dict[str, OfficialTextFile] = field(default_factory=dict)
