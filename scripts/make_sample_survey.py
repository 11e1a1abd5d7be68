"""Write the synthetic school surveys of sample_data/ (fixed seed: the same bytes every run).

Two waves (2025 and 2026) of a fictional school survey of the Republic of Aldoria, laid out
as sample_data/school_survey_definitions.yaml describes: about 3,000 pupils aged 11–17 in
each wave, in three regions plus a small island district (too few pupils to report, so the
suppression of small cells shows), each pupil with a design weight. Answers are drawn from
each pupil's latent risk so that the factors hang together as in real surveys; in the rural
North, peers who use drugs and past-30-day use rise from 2025 to 2026, so
``prevplan monitor`` raises ``rising_risk`` there.

Run: ``uv run python scripts/make_sample_survey.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "sample_data"
SEED = 20251201
COLUMNS = [
    "respondent_id",
    "school_id",
    "region",
    "population",
    "grade",
    "age",
    "age_band",
    "sex",
    "weight",
    "fam_conflict",
    "fam_attitude",
    "school_commit1",
    "school_commit2",
    "fights_year",
    "truancy_days",
    "money_worries",
    "friends_use",
    "thrill1",
    "thrill2",
    "refusal_skill",
    "par_monitor1",
    "par_monitor2",
    "trusted_adult",
    "safe_area",
    "drug_ever",
    "drug_year",
    "drug_30d",
    "risk_regular",
    "age_first",
]
# (region, rural?, schools, pupils per school, population in the sample plan)
STRATA = [
    ("North", True, 14, 70, "rural_adolescents_north"),
    ("Capital", False, 16, 80, "secondary_pupils"),
    ("South", False, 12, 75, "secondary_pupils"),
    ("Islands", False, 1, 24, "secondary_pupils"),
]


def _scale(rng: np.random.Generator, latent: float, lo: int, hi: int, spread: float) -> int:
    """An answer on a lo..hi scale that rises with the pupil's latent risk."""
    value = (lo + hi) / 2 + latent * (hi - lo) / 3 + rng.normal(0, spread)
    return int(min(hi, max(lo, round(value))))


def _maybe_blank(rng: np.random.Generator, value: object, share: float = 0.02) -> object:
    return "" if rng.random() < share else value


def wave(year: int, rng: np.random.Generator) -> list[list[object]]:
    rows: list[list[object]] = []
    n = 0
    for region, rural, schools, per_school, population in STRATA:
        for school in range(schools):
            school_effect = rng.normal(0, 0.25)
            pupils = per_school + int(rng.integers(-8, 9)) if schools > 1 else per_school
            for _ in range(pupils):
                n += 1
                grade = int(rng.integers(6, 12))
                age = grade + 5 + int(rng.integers(0, 2))
                drift = 0.35 if (rural and year == 2026) else 0.0
                latent = (
                    rng.normal(0, 1) + school_effect + (0.2 if rural else 0) + 0.08 * (age - 14)
                )
                peer_latent = latent + drift
                weight = round(float(rng.uniform(0.6, 1.8) * (1.3 if rural else 1.0)), 3)
                ever = rng.random() < 1 / (
                    1 + np.exp(-(peer_latent * 1.3 - 2.2 + 0.25 * (age - 14)))
                )
                year_use = ever and rng.random() < 0.6
                days = int(rng.integers(1, 10)) if (year_use and rng.random() < 0.55) else 0
                rows.append(
                    [
                        f"{year}-{n:05d}",
                        f"{region[:2].upper()}{school + 1:02d}",
                        region,
                        "rural_adolescents_north" if rural else population,
                        grade,
                        age,
                        "11-14" if age <= 14 else "15-17",
                        "F" if rng.random() < 0.5 else "M",
                        weight,
                        _maybe_blank(rng, _scale(rng, latent - 1.2, 1, 4, 0.9)),
                        _maybe_blank(rng, _scale(rng, latent - 1.5, 1, 4, 0.9)),
                        _maybe_blank(rng, _scale(rng, 0.6 - latent, 1, 5, 1.0)),
                        _maybe_blank(rng, _scale(rng, 0.6 - latent, 1, 5, 1.0)),
                        _maybe_blank(rng, max(0, _scale(rng, latent - 1.0, 0, 5, 1.2) - 1)),
                        _maybe_blank(rng, max(0, _scale(rng, latent - 1.0, 0, 6, 1.4) - 2)),
                        _maybe_blank(
                            rng, _scale(rng, latent - 1.0 + (0.6 if rural else 0), 1, 4, 0.9)
                        ),
                        _maybe_blank(rng, max(0, _scale(rng, peer_latent - 1.0, 0, 4, 0.9) - 1)),
                        _maybe_blank(rng, _scale(rng, latent - 0.4, 1, 4, 0.8)),
                        _maybe_blank(rng, _scale(rng, latent - 0.4, 1, 4, 0.8)),
                        _maybe_blank(rng, _scale(rng, 0.3 - latent, 1, 4, 0.8)),
                        _maybe_blank(rng, _scale(rng, 0.4 - latent, 1, 4, 0.8)),
                        _maybe_blank(rng, _scale(rng, 0.4 - latent, 1, 4, 0.8)),
                        _maybe_blank(rng, int(rng.random() < 0.75 - 0.1 * latent)),
                        _maybe_blank(rng, int(rng.random() < (0.55 if rural else 0.75))),
                        int(ever),
                        int(year_use),
                        days,
                        _maybe_blank(rng, _scale(rng, 0.3 - peer_latent, 1, 4, 0.8)),
                        int(rng.integers(11, age + 1)) if ever else "",
                    ]
                )
    return rows


def main() -> None:
    rng = np.random.default_rng(SEED)
    for year in (2025, 2026):
        path = OUT / f"school_survey_{year}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(wave(year, rng))
        print(f"wrote {path.relative_to(OUT.parent)}")


if __name__ == "__main__":
    main()
