"""Writing many recommendations as JSON quickly, for ``prevplan recommend`` on a national file.

The writer decides nothing: it writes the models :mod:`prevplan.engine.build` makes from the
engine's decisions, exactly as ``Recommendation.model_dump_json()`` would (the tests compare
them byte for byte). It is fast because a national file repeats itself: most parts of a
record — a strategy item with its rank, score and targeted priorities, an intervention item,
the members that the situation or the mix decide — recur across thousands of populations,
so each distinct part is built and serialised once and joined into the records.
"""

from __future__ import annotations

from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from pydantic import TypeAdapter

from prevplan.engine import build
from prevplan.engine.decide import Decision
from prevplan.engine.models import Recommendation
from prevplan.rules import RuleSet

MAX_KEPT = 200_000
"""Serialised parts kept per kind; past it the store starts again (bounds the memory)."""


@lru_cache(maxsize=64)
def _adapter(field: str) -> TypeAdapter[Any]:
    annotation: Any = Recommendation.model_fields[field].annotation
    return TypeAdapter(annotation)


def members_json(values: dict[str, Any]) -> str:
    """``,"name":value`` for each field of :class:`Recommendation`, as its dump writes it."""
    return "".join(
        ',"' + name + '":' + _adapter(name).dump_json(value).decode()
        for name, value in values.items()
    )


class RecordWriter:
    """The JSON record of a population's decision, from parts serialised once each."""

    def __init__(self, rules: RuleSet, lang: str) -> None:
        self.rules = rules
        self.lang = lang
        self._parts: dict[str, dict[Any, str]] = {}

    def _kept(self, kind: str) -> dict[Any, str]:
        store = self._parts.setdefault(kind, {})
        if len(store) >= MAX_KEPT:
            store.clear()
        return store

    def record(self, population_id: str, decision: Decision) -> str:
        """``Recommendation.model_dump_json()`` of the population's recommendation."""
        return "".join(
            (
                '{"population_id":',
                encode_basestring(population_id),
                self._situation(decision),
                ',"strategies":[',
                ",".join(self._strategy(decision, n) for n in range(len(decision.strategies))),
                '],"interventions":[',
                ",".join(
                    self._intervention(decision, n) for n in range(len(decision.interventions))
                ),
                "]",
                self._factors(decision),
                self._plan(decision),
                self._judgments(decision),
                "}",
            )
        )

    def _situation(self, decision: Decision) -> str:
        situation = decision.pool.situation
        proposed_from: tuple[str, ...] = ()
        if not situation.settings:  # the settings proposed are those of the mix
            proposed_from = tuple(i.option.id for i in decision.interventions) or tuple(
                s.option.id for s in decision.strategies
            )
        key = (situation, proposed_from)
        store = self._kept("situation")
        found = store.get(key)
        if found is None:
            found = store[key] = members_json(
                build.situation_fields(self.rules, decision, self.lang)
            )
        return found

    def _strategy(self, decision: Decision, n: int) -> str:
        chosen = decision.strategies[n]
        key = ("json", self.lang, n + 1, chosen.score, chosen.targeted)
        option = chosen.option
        found: str | None = option.cache.get(key)
        if found is None:
            item = build.strategy_item(
                self.rules, option, n + 1, chosen.score, chosen.targeted, self.lang
            )
            found = option.cache[key] = item.model_dump_json()
        return found

    def _intervention(self, decision: Decision, n: int) -> str:
        proposed = decision.interventions[n]
        key = ("json", self.lang, proposed.targeted, proposed.delivers)
        option = proposed.option
        found: str | None = option.cache.get(key)
        if found is None:
            item = build.intervention_item(
                self.rules, option, proposed.targeted, proposed.delivers, self.lang
            )
            found = option.cache[key] = item.model_dump_json()
        return found

    def _factors(self, decision: Decision) -> str:
        rules = self.rules
        risks = ",".join(
            self._factor(code, share)
            for code, share in decision.priorities
            if build.is_risk(rules, code)
        )
        weak = ",".join(
            self._factor(code, share)
            for code, share in decision.priorities
            if not build.is_risk(rules, code)
        )
        return f',"priority_risk_factors":[{risks}],"weak_protective_factors":[{weak}]'

    def _factor(self, code: int, share: float) -> str:
        store = self._kept("factor")
        key: tuple[int, object] = (code, share) if share else (code, repr(share))  # -0.0 ≠ 0.0
        found = store.get(key)
        if found is None:
            found = store[key] = build.priority_factor(self.rules, code, share).model_dump_json()
        return found

    def _plan(self, decision: Decision) -> str:
        key = (
            decision.pool.situation,
            tuple(s.option.id for s in decision.strategies),
            decision.factors_known,
        )
        store = self._kept("plan")
        found = store.get(key)
        if found is None:
            found = store[key] = members_json(build.plan_fields(self.rules, decision, self.lang))
        return found

    def _judgments(self, decision: Decision) -> str:
        key = (
            decision.pool.situation.level,
            decision.risk_known,
            tuple(s.option.id for s in decision.strategies),
            decision.untargeted,
        )
        store = self._kept("judgments")
        found = store.get(key)
        if found is None:
            found = store[key] = members_json(
                build.judgment_fields(self.rules, decision, self.lang)
            )
        return found
