"""The starter templates as data: a scorecard (perspectives bottom band first, objectives
with measures, cause-effect links) and example OKRs serving it, for four kinds of
organisation. `scripts/build_starters.py` writes each as a workbook in the import
layout into `templates/`; applying one imports that workbook."""

from lodestar.exchange.exporter import Rows

BSC = ("Learning & Growth", "Internal Process", "Customer", "Financial")
MISSION = (
    "Learning & Growth",
    "Internal Process",
    "Financial Stewardship",
    "Stakeholder",
    "Mission",
)

# objective: (code, perspective position, name, [(measure, unit, direction, baseline, target)])
STARTERS: dict[str, dict] = {
    "saas": {
        "title": "SaaS company: recurring revenue, retention, product velocity",
        "unit": "Example SaaS Co",
        "perspectives": BSC,
        "objectives": [
            ("F1", 3, "Grow annual recurring revenue", [("ARR", "k€", "higher", 5000, 8000)]),
            ("F2", 3, "Improve unit economics", [("LTV / CAC", "ratio", "higher", 2.5, 4)]),
            (
                "C1",
                2,
                "Keep customers for longer",
                [("Net revenue retention", "%", "higher", 98, 110)],
            ),
            ("C2", 2, "Delight customers", [("Net promoter score", "points", "higher", 25, 45)]),
            (
                "P1",
                1,
                "Onboard customers in days, not weeks",
                [("Days to first value", "days", "lower", 21, 7)],
            ),
            (
                "P2",
                1,
                "Ship reliably and often",
                [("Deploys per week", "deploys", "higher", 5, 20)],
            ),
            (
                "L1",
                0,
                "Hire and grow great engineers",
                [("Regretted attrition", "%", "lower", 12, 6)],
            ),
        ],
        "links": [
            ("L1", "P2"),
            ("P2", "C2"),
            ("P1", "C1"),
            ("C2", "C1"),
            ("C1", "F1"),
            ("F2", "F1"),
        ],
        "okrs": [
            (
                "Make onboarding effortless",
                ["P1", "C1"],
                [
                    ("Activation rate from 40 % to 60 %", 40, 60, "%"),
                    ("Median days to first value from 21 to 10", 21, 10, "days"),
                ],
            ),
            (
                "Expand within our best accounts",
                ["F1"],
                [
                    ("Expansion ARR from 0 to 600 k€", 0, 600, "k€"),
                    ("Accounts on the annual plan from 30 % to 50 %", 30, 50, "%"),
                ],
            ),
        ],
    },
    "manufacturing": {
        "title": "Manufacturing: quality, delivery, cost and safety",
        "unit": "Example Manufacturing Ltd",
        "perspectives": BSC,
        "objectives": [
            ("F1", 3, "Grow operating margin", [("Operating margin", "%", "higher", 8, 12)]),
            ("F2", 3, "Reduce working capital", [("Inventory days", "days", "lower", 75, 50)]),
            ("C1", 2, "Deliver on time, every time", [("On-time in-full", "%", "higher", 86, 97)]),
            (
                "C2",
                2,
                "Be the quality benchmark",
                [("Customer complaints per million", "ppm", "lower", 450, 150)],
            ),
            ("P1", 1, "Raise equipment effectiveness", [("OEE", "%", "higher", 62, 78)]),
            ("P2", 1, "Build it right first time", [("First-pass yield", "%", "higher", 91, 98)]),
            ("L1", 0, "Work safely", [("Lost-time injury rate", "per 200k h", "lower", 1.8, 0.5)]),
            (
                "L2",
                0,
                "Multi-skill the workforce",
                [("Operators trained on 3+ lines", "%", "higher", 35, 70)],
            ),
        ],
        "links": [
            ("L2", "P1"),
            ("L1", "P1"),
            ("P1", "C1"),
            ("P2", "C2"),
            ("C1", "F1"),
            ("C2", "F1"),
            ("P1", "F2"),
        ],
        "okrs": [
            (
                "Stop losing hours to changeovers",
                ["P1"],
                [
                    ("Average changeover from 95 to 45 minutes", 95, 45, "min"),
                    ("Lines with SMED standard work from 1 to 6", 1, 6, "lines"),
                ],
            ),
            (
                "Halve scrap on line 3",
                ["P2", "F1"],
                [
                    ("Scrap rate from 4.2 % to 2 %", 4.2, 2, "%"),
                ],
            ),
        ],
    },
    "public-sector": {
        "title": "Public sector: mission on top, stakeholders beneath it",
        "unit": "Example City Services",
        "perspectives": MISSION,
        "objectives": [
            (
                "M1",
                4,
                "Residents live safe, healthy lives",
                [("Residents who feel safe", "%", "higher", 68, 80)],
            ),
            (
                "S1",
                3,
                "Services residents trust",
                [("Resident satisfaction", "%", "higher", 61, 75)],
            ),
            (
                "S2",
                3,
                "Partners who work with us",
                [("Joint programmes with partners", "programmes", "higher", 4, 10)],
            ),
            ("F1", 2, "Spend every euro well", [("Budget variance", "%", "lower", 6, 2)]),
            (
                "P1",
                1,
                "Answer requests quickly",
                [("Requests closed within 5 days", "%", "higher", 55, 85)],
            ),
            (
                "P2",
                1,
                "Put services online",
                [("Services available online", "%", "higher", 40, 80)],
            ),
            ("L1", 0, "Skilled, engaged staff", [("Staff engagement", "%", "higher", 58, 70)]),
        ],
        "links": [
            ("L1", "P1"),
            ("P2", "P1"),
            ("P1", "S1"),
            ("F1", "S1"),
            ("S2", "M1"),
            ("S1", "M1"),
        ],
        "okrs": [
            (
                "Residents get answers in days",
                ["P1", "S1"],
                [
                    ("Requests closed within 5 days from 55 % to 75 %", 55, 75, "%"),
                    ("Open backlog from 1,200 to 400 requests", 1200, 400, "requests"),
                ],
            ),
            (
                "Move the ten most used services online",
                ["P2"],
                [
                    ("Top-ten services online from 3 to 10", 3, 10, "services"),
                ],
            ),
        ],
    },
    "non-profit": {
        "title": "Non-profit: mission, beneficiaries and donors, stewardship",
        "unit": "Example Foundation",
        "perspectives": (
            "Learning & Growth",
            "Internal Process",
            "Financial Stewardship",
            "Beneficiaries & Donors",
            "Mission",
        ),
        "objectives": [
            (
                "M1",
                4,
                "Every child in our region can read by age nine",
                [("Children reading at grade level", "%", "higher", 62, 80)],
            ),
            (
                "B1",
                3,
                "Reach more children",
                [("Children in programmes", "children", "higher", 1800, 3000)],
            ),
            ("B2", 3, "Keep donors close", [("Donor retention", "%", "higher", 45, 60)]),
            (
                "F1",
                2,
                "Diversify income",
                [("Income from the largest funder", "%", "lower", 55, 35)],
            ),
            (
                "P1",
                1,
                "Run programmes that work",
                [("Programmes with measured outcomes", "%", "higher", 40, 90)],
            ),
            (
                "L1",
                0,
                "Strong volunteer base",
                [("Active volunteers", "volunteers", "higher", 120, 200)],
            ),
        ],
        "links": [("L1", "P1"), ("P1", "B1"), ("F1", "B1"), ("B2", "F1"), ("B1", "M1")],
        "okrs": [
            (
                "Open two new reading clubs",
                ["B1", "M1"],
                [
                    ("Reading clubs from 6 to 8", 6, 8, "clubs"),
                    ("Children enrolled from 1,800 to 2,200", 1800, 2200, "children"),
                ],
            ),
            (
                "Bring back lapsed donors",
                ["B2"],
                [
                    ("Lapsed donors giving again from 0 to 150", 0, 150, "donors"),
                ],
            ),
        ],
    },
}


def starter_rows(name: str) -> Rows:
    """One starter as sheets of the import layout, every key prefixed by its name."""
    spec, p = STARTERS[name], name
    objectives = {
        code: (position, title, measures) for code, position, title, measures in spec["objectives"]
    }
    rows: Rows = {
        "units": [[p, spec["unit"], "company", None]],
        "scorecards": [[f"{p}-scorecard", p, "Strategy 2027", "2027-01-01", "2027-12-31"]],
        "perspectives": [
            [f"{p}-perspective-{i}", f"{p}-scorecard", title, i, 1]
            for i, title in enumerate(spec["perspectives"])
        ],
        "strategic_objectives": [
            [f"{p}-{code}", f"{p}-perspective-{position}", code, title, "", None, 1, None, ""]
            for code, (position, title, _) in objectives.items()
        ],
        "links": [[f"{p}-{cause}", f"{p}-{effect}", ""] for cause, effect in spec["links"]],
        "measures": [
            [
                f"{p}-{code}-m{i}",
                f"{p}-{code}",
                measure,
                unit,
                direction,
                baseline,
                target,
                None,
                None,
                "monthly",
                "no",
                None,
                1,
            ]
            for code, (_, _, measures) in objectives.items()
            for i, (measure, unit, direction, baseline, target) in enumerate(measures, start=1)
        ],
        "cycles": [
            [f"{p}-q1-2027", f"Q1 2027 · {spec['unit']}", "2027-01-01", "2027-03-31", "planning"]
        ],
        "objectives": [],
        "key_results": [],
    }
    for index, (title, serves, key_results) in enumerate(spec["okrs"], start=1):
        key = f"{p}-o{index}"
        contributes = ", ".join(f"{p}-{code}" for code in serves)
        rows["objectives"].append(
            [
                key,
                f"{p}-q1-2027",
                title,
                "",
                p,
                None,
                None,
                contributes,
                "aspirational",
                "public",
                1,
            ]
        )
        for number, (kr_title, baseline, target, unit) in enumerate(key_results, start=1):
            rows["key_results"].append(
                [
                    f"{key}-kr{number}",
                    key,
                    kr_title,
                    None,
                    "metric",
                    baseline,
                    target,
                    unit,
                    None,
                    1,
                ]
            )
    return rows
