"""The concept knowledge base: Annex IV–VI encoded as cited, validated rules.

``load_rules()`` reads ``concept_rules/``, validates every file against the models in
:mod:`prevplan.rules.models`, resolves every cross-reference and citation, and returns a
:class:`RuleSet`. Problems are collected across all files and raised together.
"""

from prevplan.rules.loader import default_rules_dir, load_rules
from prevplan.rules.ruleset import RuleSet

__all__ = ["RuleSet", "default_rules_dir", "load_rules"]
