"""Writing many recommendations as JSON quickly, for ``prevplan recommend`` on a national file.

The writer decides nothing: it writes the models :mod:`prevplan.engine.build` makes from the
engine's decisions, exactly as ``Recommendation.model_dump_json()`` would (the tests compare
them byte for byte). It is fast because a national file repeats itself. A record is a row
of parts — the members the situation decides, each strategy item with its rank, score and
targeted priorities, each intervention item, each priority factor with its share, the
members the mix decides, the judgments — and each part depends on a few numbers of the
engine's arrays. For a block of populations the writer finds the distinct values of those
numbers (numpy), builds and serialises the part of each distinct value once (from the
decision of one population that has it), and joins the parts into the records. Many
values give the same part — the plan around the mix, the judgments, the programmes — so those
are kept by what decides them (:func:`~prevplan.engine.build.plan_key`,
:func:`~prevplan.engine.build.judgment_key`, the programmes whose tested ages fit): each is
built once, whichever numbers led to it.

Why the module is long (≈560 lines): each part of a record has a method here that finds the
part's keys from the engine's arrays for a whole block, beside the one that stores and
reuses what it built; the parts are written in the order of the record, and keeping them in
one class keeps that order and the memory cap (:data:`MAX_KEPT_BYTES`) in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from itertools import chain
from json.encoder import encode_basestring
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from pydantic import TypeAdapter

from prevplan.catalogue.loader import load_catalogue
from prevplan.catalogue.match import ages_fit, target_of
from prevplan.catalogue.output import programme_items
from prevplan.engine import build
from prevplan.engine.decide import Block, Decisions
from prevplan.engine.models import Recommendation
from prevplan.engine.options import forget_built
from prevplan.engine.priorities import RULE_NAMES
from prevplan.engine.profile import tables_for

Ints = npt.NDArray[np.int64]

MAX_KEPT_BYTES = 80_000_000
"""Memory for the parts kept from block to block (their text and :data:`ENTRY_BYTES` each);
past it every store starts again.

A national file has tens of thousands of distinct strategy and intervention items, most met
again only a few times: keeping them all would hold hundreds of megabytes for little gain,
since a block finds its own repeats anyway. What the engine keeps with each option to build
items is dropped after every block (the parts written from it are kept here), and the parts
it shares between situations when the stores start again. This keeps the command under its
400 MB budget at 100,000 populations (``benchmarks/bench_recommend.py``)."""


ENTRY_BYTES = 150
"""What keeping one part costs besides its text: its key (a tuple of numbers), the bytes
object's header and the store's slot."""


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
        self._parts: dict[str, dict[tuple[Any, ...], bytes]] = {}
        self._contents: dict[str, dict[Hashable, bytes]] = {}
        self._kept = 0
        self._situations: dict[tuple[int, int], tuple[str, tuple[str, ...]]] = {}
        self._catalogue = load_catalogue()
        self._ages: dict[_Ages, Hashable] = {}
        self._named = {
            i
            for p in self._catalogue.programmes.values()
            if not p.to_avoid
            for i in p.interventions
        }
        """The interventions some programme may be named for
        (:func:`~prevplan.catalogue.match.fits`)."""

    def records(self, block: Block) -> list[bytes]:
        """Each population's record in the block: ``model_dump_json()`` of its model, as
        UTF-8."""
        return list(map(b"".join, zip(*self._columns(block), strict=True)))

    def pieces(self, block: Block, first: bool) -> list[bytes]:
        """The block's records as pieces to write one after the other.

        Each record follows a comma and a line break, except the very first record of the
        batch (in its ``first`` block).
        """
        columns = self._columns(block)
        separators = [b",\n"] * len(block)
        if first and separators:
            separators[0] = b""
        return list(chain.from_iterable(zip(separators, *columns, strict=True)))

    def _columns(self, block: Block) -> list[Sequence[bytes]]:
        """The parts of the block's records, one sequence per part, one item per record."""
        if self._kept > MAX_KEPT_BYTES:
            self._parts.clear()
            self._contents.clear()
            self._kept = 0
            self.decisions.index.built.clear()
        # The items' parts kept with each option are written by now, and kept here.
        forget_built(self.decisions.table.options)
        ids = self.decisions.columns.ids[block.start : block.start + len(block)]
        columns: list[Sequence[bytes]] = [
            [b'{"population_id":' + encode_basestring(i).encode() for i in ids],
            self._situation(block),
            *self._strategies(block),
            *self._interventions(block),
            *self._factors(block),
            self._plan(block),
            self._judgments(block),
            self._programmes(block),
        ]
        return columns

    def _column(
        self,
        kind: str,
        block: Block,
        keys: Sequence[Ints],
        make: Callable[[int], str],
        content: Callable[[int], Hashable] | None = None,
    ) -> list[bytes]:
        """The part of each population, made once per distinct combination of ``keys``
        (``make`` of a population of the block that has it); ``""`` where the first key
        is negative.

        ``content``, where given, is what decides the part (the arguments of the function
        of :mod:`prevplan.engine.build` that makes it): many combinations of ``keys`` give
        the same part, which is then made once and kept once."""
        combined = _combined(keys)
        _, first, inverse = np.unique(
            combined, axis=0 if combined.ndim > 1 else None, return_index=True, return_inverse=True
        )
        store = self._parts.setdefault(kind, {})
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
                text = store[key] = self._made(kind, row, make, content)
                self._kept += ENTRY_BYTES
            texts.append(text)
        found: list[bytes] = np.array(texts, dtype=object)[inverse.reshape(-1)].tolist()
        return found

    def _made(
        self,
        kind: str,
        row: int,
        make: Callable[[int], str],
        content: Callable[[int], Hashable] | None,
    ) -> bytes:
        """The part of the block's population ``row``: kept by its content key, if any."""
        if content is None:
            text = make(row).encode()
            self._kept += len(text)
            return text
        store = self._contents.setdefault(kind, {})
        key = content(row)
        found = store.get(key)
        if found is None:
            found = store[key] = make(row).encode()
            self._kept += len(found) + ENTRY_BYTES
        return found

    def _mix_keys(self, block: Block) -> Ints:
        """The chosen strategies in order, as one number (a digit each, 0 for none)."""
        choice = block.strategies
        radix = choice.order.shape[1] + 1
        slots = min(choice.order.shape[1], int(choice.count.max(initial=0)))
        digits = np.where(np.arange(slots) < choice.count[:, None], choice.order[:, :slots] + 1, 0)
        return digits @ (np.int64(radix) ** np.arange(slots, dtype=np.int64))

    def _strategy_ids(self, block: Block, n: int) -> tuple[str, ...]:
        """The strategies of the mix of the block's ``n``-th population, in order."""
        choice = block.strategies
        ids = self.decisions.index.strategy_ids
        return tuple(ids[s] for s in choice.order[n, : choice.count[n]].tolist())

    def _situation(self, block: Block) -> list[bytes]:
        table = block.table
        mix = self._mix_keys(block)
        from_strategies = np.where(table.proposes_from_strategies[block.rows], mix, 0)

        def make(n: int) -> str:
            return members_json(self._situation_fields(block, n, int(block.rows[n])))

        return self._column("situation", block, [block.rows, from_strategies], make)

    def _strategies(self, block: Block) -> list[list[bytes]]:
        """Each strategy of the mix in three parts: up to its rank, which depends on the
        strategy alone; its rank and score; from its basis on, which depends on the
        strategy and the priorities it targets."""
        choice = block.strategies
        numbers = np.take_along_axis(block.table.strategy_number[block.rows], choice.order, axis=1)
        options = block.table.options
        columns: list[list[bytes]] = [[b',"strategies":['] * len(block)]
        made: dict[tuple[int, int], str] = {}
        for slot in range(int(choice.count.max(initial=0))):
            used = slot < choice.count
            key = np.where(used, numbers[:, slot], -1)
            score = choice.score[:, slot]

            def item(n: int, slot: int = slot) -> str:
                # Built once for the two parts cut from it, which its rank and score (written
                # apart) do not change.
                key = (int(numbers[n, slot]), int(choice.targeted[n, slot]))
                found = made.get(key)
                if found is None:
                    built = build.strategy_item(
                        self.rules, options[key[0] - 1], 1, 0, key[1], self.lang
                    )
                    found = made[key] = built.model_dump_json()
                return found

            def start(n: int, slot: int = slot) -> str:
                return ("," if slot else "") + split_before(item(n), "priority")[0]

            # Up to its rank, the item depends on the strategy alone.
            strategy = np.where(used, choice.order[:, slot], -1)

            def rank(n: int, slot: int = slot) -> str:
                # ``,"priority":…,"score":…``: two whole numbers, as the item's dump has them.
                return f',"priority":{slot + 1},"score":{int(choice.score[n, slot])}'

            columns += [
                self._column(f"strategy {slot}", block, [strategy], start),
                self._column("strategy rank", block, [np.where(used, slot, -1), score], rank),
                self._column(
                    "strategy end",
                    block,
                    [key, choice.targeted[:, slot]],
                    lambda n, slot=slot: split_before(item(n), "basis")[1],  # type: ignore[misc]
                ),
            ]
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

    def _benchmarked(self, block: Block, n: int) -> tuple[str, str] | None:
        """``(scope, source)`` of the benchmarks the block's ``n``-th population's factors
        were compared with, ``None`` when none was."""
        kind = int(block.benchmark_of[n])
        return block.benchmark_kinds[kind] if kind >= 0 and block.ranking.benchmarked[n] else None

    def _factors(self, block: Block) -> list[list[bytes]]:
        """The priority risk factors, then the weak protective factors, in priority order."""
        ranking = block.ranking
        risk = build.risk_codes(self.rules)
        regional = np.array(
            [scope == "regional" for scope, _source in block.benchmark_kinds] + [False]
        )[block.benchmark_of]
        columns: list[list[bytes]] = []
        for opening, wanted_kind in (
            (b',"priority_risk_factors":[', True),
            (b'],"weak_protective_factors":[', False),
        ):
            wanted = ranking.used & (np.isin(ranking.codes, risk) == wanted_kind)
            order = np.argsort(~wanted, axis=1, kind="stable")  # the wanted first, in order
            codes = np.take_along_axis(ranking.codes, order, axis=1)
            shares = np.take_along_axis(ranking.shares, order, axis=1)
            rules = np.take_along_axis(ranking.rules, order, axis=1)
            benchmarks = np.take_along_axis(ranking.benchmarks, order, axis=1)
            wanted = np.take_along_axis(wanted, order, axis=1)
            columns.append([opening] * len(block))
            for slot in range(int(wanted.sum(axis=1).max(initial=0))):

                def make(
                    n: int,
                    slot: int = slot,
                    codes: Ints = codes,
                    shares: Any = shares,
                    rules: Ints = rules,
                    benchmarks: Any = benchmarks,
                ) -> str:
                    benchmark = float(benchmarks[n, slot])
                    factor = build.priority_factor(
                        self.rules,
                        int(codes[n, slot]),
                        float(shares[n, slot]),
                        int(rules[n, slot]),
                        None if np.isnan(benchmark) else benchmark,
                        "regional" if regional[n] else "national",
                        self.lang,
                    )
                    return ("," if slot else "") + factor.model_dump_json()

                # The factor and the rule that made it a priority, as one number.
                key = np.where(
                    wanted[:, slot], codes[:, slot] * len(RULE_NAMES) + rules[:, slot], -1
                )
                bits = shares[:, slot].view(np.int64)  # -0.0 is written as such
                keys = [key, bits]
                if block.benchmark_kinds:  # what it was compared with, and whose figure
                    # NaN (no benchmark) has one bit pattern here: numpy's own.
                    given = benchmarks[:, slot]
                    against = np.where(np.isnan(given), np.nan, given).view(np.int64)
                    scope = np.where(np.isnan(given), 0, regional.astype(np.int64))
                    keys += [against, scope]
                columns.append(self._column(f"factor {wanted_kind} {slot}", block, keys, make))
        columns.append([b"]"] * len(block))
        return columns

    def _plan(self, block: Block) -> list[bytes]:
        ranking = block.ranking
        pools = block.table.pools

        def content(n: int) -> Hashable:
            key = build.plan_key(
                pools[int(block.rows[n])],
                self._strategy_ids(block, n),
                bool(ranking.factors_known[n]),
            )
            return (key, self._benchmarked(block, n))  # the basis names the benchmarks

        return self._column(
            "plan",
            block,
            [
                block.table.plan_class[block.rows],
                self._mix_keys(block),
                ranking.factors_known.astype(np.int64),
                *(
                    [np.where(ranking.benchmarked, block.benchmark_of, -1)]
                    if block.benchmark_kinds
                    else []
                ),
            ],
            lambda n: members_json(
                build.plan_fields(
                    self.rules,
                    block.table.pools[int(block.rows[n])],
                    self._strategy_ids(block, n),
                    bool(ranking.factors_known[n]),
                    self.lang,
                    self._benchmarked(block, n),
                )
            ),
            content,
        )

    def _judgment_part(self, block: Block, n: int, untargeted: Any) -> str:
        codes = block.ranking.codes[n][untargeted[n]].tolist()
        fields = build.judgment_fields(
            self.rules,
            block.table.pools[int(block.rows[n])],
            bool(block.ranking.risk_known[n]),
            self._strategy_ids(block, n),
            tuple(codes),
            self.lang,
        )
        return members_json(fields)

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
                block.table.plan_class[block.rows],
                ranking.risk_known.astype(np.int64),
                self._mix_keys(block),
                digits,
            ],
            lambda n: self._judgment_part(block, n, untargeted),
            lambda n: build.judgment_key(
                block.table.pools[int(block.rows[n])],
                bool(ranking.risk_known[n]),
                self._strategy_ids(block, n),
                tuple(ranking.codes[n][untargeted[n]].tolist()),
            ),
        )

    def _programmes(self, block: Block) -> list[bytes]:
        """``,"programmes":[…]}``: the catalogue programmes that fit each population
        (:mod:`prevplan.catalogue`), found once per distinct target (the programmes whose
        ages fit, level, settings) and interventions, and the record's end.

        The catalogue is read once per writer (``programmes_for`` would look at its files
        again for every population); the programmes are chosen by the same function."""
        table = block.table
        columns = self.decisions.columns
        start = block.start
        numbers = np.take_along_axis(
            table.intervention_number[block.rows], block.interventions.order, axis=1
        )
        options = table.options
        from_strategies = np.where(
            table.proposes_from_strategies[block.rows], self._mix_keys(block), 0
        )
        # The children's ages of populations of parents (issue #12 adds the column).
        parents: Sequence[tuple[int, int] | None] | None = getattr(columns, "parents_of", None)
        store = self._parts.setdefault("programmes", {})
        rows, strategies_from = block.rows.tolist(), from_strategies.tolist()
        counts = block.interventions.count.tolist()
        ages_min = columns.age_min[start : start + len(block)]
        ages_max = columns.age_max[start : start + len(block)]
        out: list[bytes] = []
        for n in range(len(block)):
            level, chosen_settings = self._placed(block, n, rows[n], strategies_from[n])
            children = parents[start + n] if parents is not None else None
            ages = _Ages(
                int(ages_min[n]),
                int(ages_max[n]),
                _Children(*children) if children is not None else None,
            )
            chosen = tuple(options[i - 1].id for i in numbers[n, : counts[n]].tolist())
            # What decides the programmes: which programmes' tested ages fit (not the ages
            # themselves), the level, the settings and the interventions that have some.
            named = [i for i in chosen if i in self._named]
            key = (self._ages_fitting(ages), level, chosen_settings, *named)
            text = store.get(key)
            if text is None:
                target = target_of(ages, level, chosen_settings)
                items = programme_items(self._catalogue, target, chosen)
                text = store[key] = (members_json({"programmes": items}) + "}").encode()
                self._kept += len(text) + ENTRY_BYTES
            out.append(text)
        return out

    def _placed(
        self, block: Block, n: int, row: int, from_strategies: int
    ) -> tuple[str, tuple[str, ...]]:
        """The level and the settings (listed or proposed) of the block's ``n``-th
        population, whose situation is ``row``: kept by the situation and, where the
        settings are proposed from the mix, the mix."""
        key = (row, from_strategies)
        found = self._situations.get(key)
        if found is None:
            fields = self._situation_fields(block, n, row)
            found = self._situations[key] = (
                str(fields["prevention_level"]),
                tuple(str(s) for s in fields["settings"]),
            )
        return found

    def _situation_fields(self, block: Block, n: int, row: int) -> dict[str, Any]:
        """:func:`~prevplan.engine.build.situation_fields` of the block's ``n``-th
        population, whose situation is ``row``: settings are proposed from the interventions
        that fit, else from the strategies of its mix."""
        table = block.table
        pool = table.pools[row]
        delivered_by = [o for o in pool.interventions if o is not None] or [
            table.strategy_options[row][s]
            for s in block.strategies.order[n, : block.strategies.count[n]].tolist()
        ]
        return build.situation_fields(self.rules, pool.situation, delivered_by)

    def _ages_fitting(self, ages: _Ages) -> Hashable:
        """What naming programmes reads of a population's ages: the programmes whose tested
        ages fit them (the children's, for parents; :func:`ages_fit`), and whether they are
        parents."""
        found = self._ages.get(ages)
        if found is None:
            children = ages.parents_of
            low, high = children if children is not None else ages[:2]
            found = self._ages[ages] = (
                children is not None,
                frozenset(
                    p
                    for p, programme in self._catalogue.programmes.items()
                    if ages_fit(programme, low, high)
                ),
            )
        return found


class _Children(NamedTuple):
    age_min: int
    age_max: int


class _Ages(NamedTuple):
    """A population's ages as naming programmes reads them."""

    age_min: int
    age_max: int
    parents_of: _Children | None = None


def split_before(record: str, member: str) -> tuple[str, str]:
    """A model's JSON cut before the member ``member`` (``,"member":``): the parts that
    depend on different things. Inside a JSON string a quote is escaped, so the only
    ``,"member":`` is the member itself."""
    at = record.index(f',"{member}":')
    return record[:at], record[at:]


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
