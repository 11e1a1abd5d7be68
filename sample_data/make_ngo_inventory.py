"""Write the sample NGO inventory from prevplan's inventory template.

The NGO, its district and every figure are FICTIONAL. The rows are written the way an NGO
that does not know clause numbers writes them: with the labels the template's drop-downs
offer ("Work with parents (VI-3.1.1)"), a label alone, or an Annex V item number.

    uv run python sample_data/make_ngo_inventory.py

writes ``ngo_inventory.xlsx`` and its CSV twin ``ngo_inventory_populations.csv`` +
``ngo_inventory_activities.csv`` next to this script. The output is reproducible.
"""

from __future__ import annotations

from pathlib import Path

from prevplan.inventory.reader import inventory_csv, inventory_xlsx
from prevplan.rules import load_rules

HERE = Path(__file__).resolve().parent

SCHOOL = "School and other educational institutions"
FAMILY = "Family and home"
COMMUNITY = "Local community"

POPULATIONS: list[dict[str, object]] = [
    {
        "id": "riverside-pupils",
        "name": "Pupils aged 12–16 in Riverside district schools",
        "region": "South",
        "age_min": 12,
        "age_max": 16,
        "size": 8400,
        "risk_group": "General population",
        "settings": [SCHOOL, FAMILY],
        "risk_factors": {"peers": 0.3},
        "protective_factors": {"parents": 0.55},
    },
    {
        "id": "street-youth",
        "name": "Young people out of school, Riverside",
        "region": "South",
        "age_min": 14,
        "age_max": 20,
        "size": 1150,
        "risk_group": "Known risk group",
        "settings": [COMMUNITY, "Sport clubs and physical education"],
        "special_groups": ["Marginalised young people"],
        "risk_factors": {"economic": 0.6, "peers": 0.5},
    },
    {
        "id": "partner-parents",
        "name": "Parents of pupils in our partner schools",
        "region": "South",
        "age_min": 30,
        "age_max": 55,
        "size": 9000,
        "risk_group": "General population",
        "settings": [FAMILY, SCHOOL],
    },
    {
        "id": "young-users",
        "name": "Young people who have used drugs, referred by the youth clinic",
        "region": "South",
        "age_min": 15,
        "age_max": 22,
        "size": 320,
        "risk_group": "People who have used drugs",
        "settings": ["Health and social services", COMMUNITY],
    },
]

ACTIVITIES: list[dict[str, object]] = [
    {
        "id": "BP-01",
        "name": "Life-skills lessons in grades 7–9",
        "population_id": "riverside-pupils",
        "strategies": [
            "Life skills development (VI-3.1.3)",
            "Resistance and refusal skills (VI-3.2.3)",
        ],
        "interventions": ["Skills and social-influence prevention education (VI-4.3.1)"],
        "settings": [SCHOOL],
        "format": "Interactive sessions",
        "sessions": 12,
        "boosters": 2,
        "deliverers_trained": "yes",
        "reach": 2600,
        "target_reach": 4000,
        "cost": 38000,
        "executor": "Bright Path trainers with the school teachers",
        "schedule": "September 2025 – May 2026",
        "action_items": [
            "V-3.5 — School and extracurricular prevention, youth leisure and leisure venues"
        ],
    },
    {
        "id": "BP-02",
        "name": "Peer-leaders club",
        "population_id": "riverside-pupils",
        "strategies": ["Peer leader training (VI-3.2.4)"],
        "format": "Interactive sessions",
        "sessions": 30,
        "deliverers_trained": "yes",
        "reach": 180,
        "target_reach": 300,
        "cost": 9500,
        "executor": "Bright Path volunteers",
        "schedule": "weekly in the school year",
    },
    {
        "id": "BP-03",
        "name": "Weekend football league",
        "population_id": "street-youth",
        "strategies": ["Alternative leisure activities (VI-3.2.2)"],
        "interventions": ["Sport for personal and social development (VI-4.7)"],
        "format": "Interactive sessions",
        "sessions": 40,
        "deliverers_trained": "no",
        "reach": 420,
        "target_reach": 600,
        "cost": 14000,
        "executor": "Bright Path coaches",
        "schedule": "every weekend",
    },
    {
        "id": "BP-04",
        "name": "Street mentors",
        "population_id": "street-youth",
        "strategies": ["Mentoring by trusted adults"],
        "settings": [COMMUNITY],
        "format": "One-to-one work",
        "sessions": 20,
        "deliverers_trained": "yes",
        "reach": 260,
        "target_reach": 500,
        "cost": 22000,
        "executor": "Bright Path youth workers",
        "schedule": "2025–2026",
    },
    {
        "id": "BP-05",
        "name": "Job-readiness workshops",
        "population_id": "street-youth",
        "strategies": ["Life skills development (VI-3.1.3)"],
        "settings": [COMMUNITY],
        "format": "Interactive sessions",
        "sessions": 6,
        "deliverers_trained": "yes",
        "reach": 140,
        "target_reach": 250,
        "cost": 16500,
        "executor": "Bright Path with the district job centre",
        "schedule": "twice a year",
        "action_items": ["V-3.5"],
    },
    {
        "id": "BP-06",
        "name": "Family evenings",
        "population_id": "partner-parents",
        "strategies": ["Work with parents (VI-3.1.1)"],
        "interventions": ["Family skills and bonding programmes (VI-4.2#1)"],
        "format": "Interactive sessions",
        "sessions": 8,
        "deliverers_trained": "yes",
        "reach": 640,
        "target_reach": 1500,
        "cost": 21000,
        "executor": "Bright Path family team",
        "schedule": "monthly",
    },
    {
        "id": "BP-07",
        "name": "Parents' newsletter",
        "population_id": "partner-parents",
        "strategies": ["Information dissemination (VI-3.2.1)"],
        "settings": [FAMILY],
        "format": "Printed or online materials",
        "reach": 5200,
        "target_reach": 9000,
        "cost": 3000,
        "executor": "Bright Path office",
        "schedule": "every term",
    },
    {
        "id": "BP-08",
        "name": "School drug-policy workshops for parents and teachers",
        "population_id": "partner-parents",
        "interventions": ["School substance-use policies and culture (VI-4.3.2)"],
        "format": "Interactive sessions",
        "sessions": 2,
        "deliverers_trained": "yes",
        "reach": 310,
        "target_reach": 600,
        "cost": 4200,
        "executor": "Bright Path trainers",
        "schedule": "autumn 2025",
    },
    {
        "id": "BP-09",
        "name": "Counselling and referral for young people who have used drugs",
        "population_id": "young-users",
        "strategies": [
            "Life skills development (VI-3.1.3)",
            "Mentoring by trusted adults (VI-3.1.2)",
        ],
        "format": "Screening and brief intervention",
        "sessions": 3,
        "deliverers_trained": "yes",
        "reach": 95,
        "target_reach": 200,
        "cost": 18000,
        "executor": "Bright Path counsellors with the Riverside youth clinic",
        "schedule": "2025–2026",
        "action_items": [
            "V-4.1 — Treatment and rehabilitation services, sharing rehabilitation experience"
        ],
    },
    {
        "id": "BP-10",
        "name": "Family sessions for young people who have used drugs",
        "population_id": "young-users",
        "strategies": ["Work with parents (VI-3.1.1)"],
        "format": "Interactive sessions",
        "sessions": 6,
        "deliverers_trained": "yes",
        "reach": 40,
        "target_reach": 120,
        "cost": 6000,
        "executor": "Bright Path family team",
        "schedule": "on referral",
    },
]


def main() -> None:
    rules = load_rules()
    (HERE / "ngo_inventory.xlsx").write_bytes(inventory_xlsx(rules, POPULATIONS, ACTIVITIES))
    populations_csv, activities_csv = inventory_csv(rules, POPULATIONS, ACTIVITIES)
    (HERE / "ngo_inventory_populations.csv").write_text(populations_csv, encoding="utf-8")
    (HERE / "ngo_inventory_activities.csv").write_text(activities_csv, encoding="utf-8")


if __name__ == "__main__":
    main()
