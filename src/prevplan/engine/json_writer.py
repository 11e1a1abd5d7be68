"""Writing many recommendations as JSON quickly, for ``prevplan recommend`` on a national file.

The writer decides nothing: it writes the models :mod:`prevplan.engine.build` makes from the
engine's decisions, exactly as ``Recommendation.model_dump_json()`` would (the tests compare
them byte for byte). It is fast because a national file repeats itself. A record is a row
of parts — the members the situation decides, each strategy item with its rank, score and
targeted priorities, each intervention item, each priority factor with its share, the
members the mix decides, the judgments — and each part depends on a few numbers of the
engine's arrays. For a block of populations the writer finds the distinct values of those
numbers (numpy), builds and serialises the part of each distinct value once (from the
decision of one population that has it), and joins the parts into the records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import TypeAdapter

from prevplan.engine import build
from prevplan.engine.decide import Block, Decisions
from prevplan.engine.models import Recommendation
from prevplan.engine.profile import tables_for

Ints = npt.NDArray[np.int64]

MAX_KEPT = 100_000
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


class BatchWriter:
    """The JSON records of a batch's decisions, block by block."""

    def __init__(self, decisions: Decisions, lang: str) -> None:
        self.decisions = decisions
        self.rules = decisions.rules
        self.lang = lang
        self._parts: dict[str, dict[tuple[int, ...], bytes]] = {}

    def records(self, block: Block) -> list[bytes]:
        """Each population's record in the block: ``model_dump_json()`` of its model, as
        UTF-8."""
        ids = self.decisions.columns.ids[block.start : block.start + len(block)]
        columns: list[Sequence[bytes]] = [
            [b'{"population_id":' + encode_basestring(i).encode() for i in ids],
            self._situation(block),
            *self._strategies(block),
            *self._interventions(block),
            *self._factors(block),
            self._plan(block),
            self._judgments(block),
        ]
        return list(map(b"".join, zip(*columns, strict=True)))

    def _column(
        self, kind: str, block: Block, keys: Sequence[Ints], make: Callable[[int], str]
    ) -> list[bytes]:
        """The part of each population, made once per distinct combination of ``keys``
        (``make`` of a population of the block that has it); ``""`` where the first key
        is negative."""
        combined = _combined(keys)
        _, first, inverse = np.unique(
            combined, axis=0 if combined.ndim > 1 else None, return_index=True, return_inverse=True
        )
        store = self._parts.setdefault(kind, {})
        if len(store) >= MAX_KEPT:
            store.clear()
        texts: list[bytes] = []
        rows = first.tolist()
        for row, values in zip(
            rows, np.stack([k[first] for k in keys], axis=1).tolist(), strict=True
        ):
            key = tuple(values)
            if key[0] < 0:
                texts.append(b"")
                continue
            text = store.get(key)
            if text is None:
                text = store[key] = make(row).encode()
            texts.append(text)
        found: list[bytes] = np.array(texts, dtype=object)[inverse.reshape(-1)].tolist()
        return found

    def _mix_keys(self, block: Block) -> Ints:
        """The chosen strategies in order, as one number (a digit each, 0 for none)."""
        choice = block.strategies
        radix = choice.order.shape[1] + 1
        slots = min(choice.order.shape[1], int(choice.count.max(initial=0)))
        digits = np.where(np.arange(slots) < choice.count[:, None], choice.order[:, :slots] + 1, 0)
        return digits @ (np.int64(radix) ** np.arange(slots, dtype=np.int64))

    def _situation(self, block: Block) -> list[bytes]:
        table = block.table
        from_strategies = np.where(
            table.proposes_from_strategies[block.rows], self._mix_keys(block), 0
        )
        return self._column(
            "situation",
            block,
            [block.rows, from_strategies],
            lambda n: members_json(
                build.situation_fields(self.rules, block.decision(n), self.lang)
            ),
        )

    def _strategies(self, block: Block) -> list[list[bytes]]:
        choice = block.strategies
        numbers = np.take_along_axis(block.table.strategy_number[block.rows], choice.order, axis=1)
        options = block.table.options
        columns: list[list[bytes]] = [[b',"strategies":['] * len(block)]
        for slot in range(int(choice.count.max(initial=0))):
            used = slot < choice.count
            score, targeted = choice.score[:, slot], choice.targeted[:, slot]

            def make(n: int, slot: int = slot) -> str:
                option = options[int(numbers[n, slot]) - 1]
                item = build.strategy_item(
                    self.rules,
                    option,
                    slot + 1,
                    int(choice.score[n, slot]),
                    int(choice.targeted[n, slot]),
                    self.lang,
                )
                return ("," if slot else "") + item.model_dump_json()

            key = np.where(used, numbers[:, slot], -1)
            columns.append(self._column(f"strategy {slot}", block, [key, score, targeted], make))
        columns.append([b"]"] * len(block))
        return columns

    def _interventions(self, block: Block) -> list[list[bytes]]:
        choice = block.interventions
        numbers = np.take_along_axis(
            block.table.intervention_number[block.rows], choice.order, axis=1
        )
        options = block.table.options
        columns: list[list[bytes]] = [[b',"interventions":['] * len(block)]
        for slot in range(int(choice.count.max(initial=0))):
            used = slot < choice.count
            targeted, delivers = choice.targeted[:, slot], choice.delivers[:, slot]

            def make(n: int, slot: int = slot) -> str:
                option = options[int(numbers[n, slot]) - 1]
                item = build.intervention_item(
                    self.rules,
                    option,
                    int(choice.targeted[n, slot]),
                    int(choice.delivers[n, slot]),
                    self.lang,
                )
                return ("," if slot else "") + item.model_dump_json()

            key = np.where(used, numbers[:, slot], -1)
            columns.append(
                self._column(f"intervention {slot}", block, [key, targeted, delivers], make)
            )
        columns.append([b"]"] * len(block))
        return columns

    def _factors(self, block: Block) -> list[list[bytes]]:
        """The priority risk factors, then the weak protective factors, in priority order."""
        ranking = block.ranking
        risk = build.risk_codes(self.rules)
        columns: list[list[bytes]] = []
        for opening, wanted_kind in (
            (b',"priority_risk_factors":[', True),
            (b'],"weak_protective_factors":[', False),
        ):
            wanted = ranking.used & (np.isin(ranking.codes, risk) == wanted_kind)
            order = np.argsort(~wanted, axis=1, kind="stable")  # the wanted first, in order
            codes = np.take_along_axis(ranking.codes, order, axis=1)
            shares = np.take_along_axis(ranking.shares, order, axis=1)
            wanted = np.take_along_axis(wanted, order, axis=1)
            columns.append([opening] * len(block))
            for slot in range(int(wanted.sum(axis=1).max(initial=0))):

                def make(
                    n: int, slot: int = slot, codes: Ints = codes, shares: Any = shares
                ) -> str:
                    factor = build.priority_factor(
                        self.rules, int(codes[n, slot]), float(shares[n, slot])
                    )
                    return ("," if slot else "") + factor.model_dump_json()

                key = np.where(wanted[:, slot], codes[:, slot], -1)
                bits = shares[:, slot].view(np.int64)  # -0.0 is written as such
                columns.append(
                    self._column(f"factor {wanted_kind} {slot}", block, [key, bits], make)
                )
        columns.append([b"]"] * len(block))
        return columns

    def _plan(self, block: Block) -> list[bytes]:
        ranking = block.ranking
        return self._column(
            "plan",
            block,
            [
                block.table.plan_class[block.rows],
                self._mix_keys(block),
                ranking.factors_known.astype(np.int64),
            ],
            lambda n: members_json(build.plan_fields(self.rules, block.decision(n), self.lang)),
        )

    def _judgments(self, block: Block) -> list[bytes]:
        ranking = block.ranking
        codes = ranking.codes
        untargeted = ranking.used & ((block.strategies.addressed[:, None] >> codes) & 1 == 0)
        radix = np.int64(len(tables_for(self.rules).factors) + 1)
        places = radix ** np.arange(codes.shape[1], dtype=np.int64)
        digits = np.where(untargeted, codes + 1, 0) @ places
        return self._column(
            "judgments",
            block,
            [
                block.table.level[block.rows],
                ranking.risk_known.astype(np.int64),
                self._mix_keys(block),
                digits,
            ],
            lambda n: (
                members_json(build.judgment_fields(self.rules, block.decision(n), self.lang)) + "}"
            ),
        )


def _combined(keys: Sequence[Ints]) -> Ints:
    """The keys as one number per population where they fit in 62 bits, else as rows."""
    if len(keys) == 1:
        return keys[0]
    radices = [int(k.max(initial=0)) - min(0, int(k.min(initial=0))) + 1 for k in keys]
    total = 1
    for radix in radices:
        total *= radix
    if total >= 1 << 62:
        return np.stack(keys, axis=1)
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    for key, radix in zip(keys, radices, strict=True):
        combined = combined * radix + (key - min(0, int(key.min(initial=0))))
    return combined
