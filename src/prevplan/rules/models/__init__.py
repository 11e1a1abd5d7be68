"""The shapes of the files in ``concept_rules/``.

Source files hold the text of Annex IV, V and VI (clauses, paragraphs, bullets, the Program
of Actions table); ``entities.yaml`` names what prevplan reasons about (levels of VI-2 and
Table 1, risk factors of VI-1.2, protective factors of VI-1.3, strategies of VI-3,
interventions of VI-4, age stages and settings); ``relations/*.yaml`` say how they fit
together, each relation stated by the text or inferred by prevplan; ``evidence.yaml`` is the
crosswalk to the UNODC/WHO Standards; ``warnings.yaml`` names the warnings prevplan emits.

Every model is frozen and forbids unknown fields, so a typo in a rule file is an error.
Cross-references between files are checked by the loader, not here. The messages of the
validators below are marked for translation and translated by the loader when it reports
them, in the language of the call.

The models live in one module per kind of file (:mod:`.source_text`, :mod:`.entities`,
:mod:`.evidence`, :mod:`.prioritisation`, :mod:`.warnings`, :mod:`.assessment`,
:mod:`.translations`); every name is importable from here.
"""

from __future__ import annotations

from prevplan.rules.models.assessment import (
    AnnexVScope,
    AssessmentFile,
    CreditRule,
    EffectiveRule,
    FormatItems,
    FormatStrategies,
    OutsideGroup,
    PlanItem,
    PlannedDelivery,
)
from prevplan.rules.models.base import (
    Strict,
)
from prevplan.rules.models.entities import (
    ENTITY_SECTIONS,
    AgeStageEntity,
    EntitiesFile,
    Entity,
    InterventionEntity,
    Kind,
    LevelEntity,
    Meaning,
    Relation,
    RelationFile,
    StrategyEntity,
)
from prevplan.rules.models.evidence import (
    ApplicationNote,
    Confidence,
    CrosswalkEntry,
    EvidenceFact,
    EvidenceFile,
    NoteScope,
    NotesFile,
    StandardsItem,
    Strength,
)
from prevplan.rules.models.prioritisation import (
    InterventionOrderRule,
    PrioritisationFile,
    PriorityFactorRule,
    ScoringRule,
    SelectionRule,
)
from prevplan.rules.models.source_text import (
    Abbreviation,
    ActionItem,
    AnnexTextFile,
    AnnexVFile,
    CarriedField,
    FocusArea,
    FocusRole,
    GeneralProvision,
    SourceClause,
)
from prevplan.rules.models.translations import (
    ActionItemTranslation,
    ClauseTranslation,
    EntitiesTranslation,
    EntityTranslation,
    FocusAreaTranslation,
    NoteTranslation,
    StandardsItemTranslation,
    Text,
    TranslationFile,
    WarningTranslation,
)
from prevplan.rules.models.warnings import (
    WarningCode,
    WarningDefinition,
    WarningsFile,
    WarningTrigger,
)

__all__ = [
    "ENTITY_SECTIONS",
    "Abbreviation",
    "ActionItem",
    "ActionItemTranslation",
    "AgeStageEntity",
    "AnnexTextFile",
    "AnnexVFile",
    "AnnexVScope",
    "ApplicationNote",
    "AssessmentFile",
    "CarriedField",
    "ClauseTranslation",
    "Confidence",
    "CreditRule",
    "CrosswalkEntry",
    "EffectiveRule",
    "EntitiesFile",
    "EntitiesTranslation",
    "Entity",
    "EntityTranslation",
    "EvidenceFact",
    "EvidenceFile",
    "FocusArea",
    "FocusAreaTranslation",
    "FocusRole",
    "FormatItems",
    "FormatStrategies",
    "GeneralProvision",
    "InterventionEntity",
    "InterventionOrderRule",
    "Kind",
    "LevelEntity",
    "Meaning",
    "NoteScope",
    "NoteTranslation",
    "NotesFile",
    "OutsideGroup",
    "PlanItem",
    "PlannedDelivery",
    "PrioritisationFile",
    "PriorityFactorRule",
    "Relation",
    "RelationFile",
    "ScoringRule",
    "SelectionRule",
    "SourceClause",
    "StandardsItem",
    "StandardsItemTranslation",
    "StrategyEntity",
    "Strength",
    "Strict",
    "Text",
    "TranslationFile",
    "WarningCode",
    "WarningDefinition",
    "WarningTranslation",
    "WarningTrigger",
    "WarningsFile",
]
