"""The demo organisation's content: a 20-person SaaS company, Northwind Analytics.

Plain data only; `lodestar.demo.build` turns it into rows through the services. Rows
marked "article" are the examples of the seed articles on OKR and BSC integration.
"""

PASSWORD = "lodestar-demo"

# (key, name, kind, parent key)
UNITS = [
    ("company", "Northwind Analytics", "company", None),
    ("gtm", "Go-to-Market", "division", "company"),
    ("sales", "Sales", "department", "gtm"),
    ("cs", "Customer Success", "department", "gtm"),
    ("onboarding", "Onboarding Team", "team", "cs"),
    ("pe", "Product & Engineering", "division", "company"),
    ("product", "Product", "department", "pe"),
    ("eng", "Engineering", "department", "pe"),
    ("platform", "Platform Team", "team", "eng"),
    ("ops", "Operations", "division", "company"),
    ("finance", "Finance", "department", "ops"),
    ("people", "People", "department", "ops"),
    ("legal", "Legal", "department", "ops"),  # insights: a unit with no OKRs this quarter
]

# (username, first, last, global role, manager username, [(unit key, unit role)])
PEOPLE = [
    ("admin", "Ada", "Admin", "admin", None, []),
    ("ceo", "Claire", "Okafor", "member", None, [("company", "lead")]),
    ("strategy", "Sam", "Lindqvist", "strategy_office", "ceo", [("company", "member")]),
    ("vp.gtm", "Rafael", "Mendes", "member", "ceo", [("gtm", "lead")]),
    ("sales.lead", "Hana", "Kim", "member", "vp.gtm", [("sales", "lead")]),
    ("ae.one", "Tom", "Becker", "member", "sales.lead", [("sales", "member")]),
    ("cs.lead", "Priya", "Raman", "member", "vp.gtm", [("cs", "lead")]),
    ("csm.one", "Lena", "Vogel", "member", "cs.lead", [("cs", "member")]),
    ("csm.two", "Marcus", "Hill", "member", "cs.lead", [("cs", "member")]),
    ("onb.lead", "Aiko", "Tanaka", "member", "cs.lead", [("onboarding", "lead")]),
    ("onb.one", "Diego", "Alvarez", "member", "onb.lead", [("onboarding", "member")]),
    ("cpo", "Noah", "Fischer", "member", "ceo", [("pe", "lead"), ("product", "lead")]),
    ("pm.one", "Sofia", "Rossi", "member", "cpo", [("product", "member")]),
    ("eng.lead", "Omar", "Haddad", "member", "cpo", [("eng", "lead")]),
    ("dev.one", "Ingrid", "Berg", "member", "eng.lead", [("eng", "member")]),
    ("platform.lead", "Yusuf", "Demir", "member", "eng.lead", [("platform", "lead")]),
    ("coo", "Grace", "Mwangi", "member", "ceo", [("ops", "lead")]),
    ("finance.lead", "Luca", "Moreau", "member", "coo", [("finance", "lead")]),
    ("people.lead", "Maya", "Cohen", "member", "coo", [("people", "lead")]),
    ("board", "Victor", "Hale", "viewer", None, [("company", "viewer")]),
    ("legal.lead", "Ruth", "Adeyemi", "member", "coo", [("legal", "lead")]),
]

# Strategic objectives of the company scorecard, bottom band (0) to top (3):
# (code, name, perspective position, owner, weight, [measures])
# measure: (key, name, unit, direction, baseline, target, leading, trend)
# trend is the share of the way to target gained over 12 months (noise added); a measure
# that an active key result moves reaches its baseline when the current quarter starts
# (the key result starts from it), the others when the 12 months start. Trend 0 is flat.
# Each month's target follows the plan, a third of the way after 12 of the scorecards'
# 36 months: a measure no key result moves reads green today with a trend of 1/3 or more,
# yellow from 70 % of that, red below (the others read their key results' check-ins).
COMPANY_OBJECTIVES = [
    (
        "L1",
        "Build a data-driven culture",
        0,
        "coo",
        1,
        [
            ("dashboards", "Teams using dashboards weekly", "%", "higher", 40, 90, True, 0.75),
        ],
    ),
    (
        "L2",
        "Develop customer-success skills",
        0,
        "cs.lead",
        1,
        [
            ("certified", "Certified customer success managers", "%", "higher", 20, 80, True, 0.9),
        ],
    ),
    (
        "L3",
        "Keep great people",
        0,
        "people.lead",
        1,
        [
            # Flat all year (insights: execution without impact).
            ("attrition", "Regretted attrition (annualised)", "%", "lower", 12, 6, False, 0.0),
            ("engagement", "Engagement score", "pts", "higher", 70, 80, True, 0.0),
        ],
    ),
    (
        "P1",
        "Make onboarding effortless",
        1,
        "onb.lead",
        2,
        [  # article
            ("onb_completion", "Onboarding completion", "%", "higher", 60, 85, True, 0.7),
            ("onb_time", "Average onboarding time", "days", "lower", 14, 3, True, 0.55),
        ],
    ),
    (
        "P2",
        "Shorten time to value",
        1,
        "cpo",
        1,
        [  # article
            ("ttv", "Time to value", "days", "lower", 14, 7, True, 0.6),
        ],
    ),
    (
        "P3",
        "Ship reliably and often",
        1,
        "eng.lead",
        1,
        [
            ("deploys", "Production deploys per week", "count", "higher", 5, 20, True, 0.8),
            ("uptime", "Uptime", "%", "higher", 99.5, 99.95, False, 0.95),
        ],
    ),
    (
        "P4",
        "Grow product adoption",
        1,
        "cpo",
        1,
        [  # article
            ("active_users", "Monthly active users", "users", "higher", 10000, 25000, True, 0.45),
        ],
    ),
    (
        "C1",
        "Retain and grow customers",
        2,
        "vp.gtm",
        2,
        [  # article
            ("churn", "Monthly churn", "%", "lower", 8, 5, False, 0.4),
            ("health", "Customer health score", "pts", "higher", 72, 85, True, 0.5),
        ],
    ),
    (
        "C2",
        "Delight new customers",
        2,
        "cs.lead",
        1,
        [  # article
            ("nps_new", "NPS of new customers", "pts", "higher", 30, 50, False, 0.85),
            ("nps", "Net Promoter Score", "pts", "higher", 45, 70, False, 0.5),
        ],
    ),
    (
        "C3",
        "Win in the mid-market",
        2,
        "sales.lead",
        1,
        [
            ("logos", "New mid-market customers per month", "count", "higher", 10, 20, False, 0.3),
        ],
    ),
    (
        "F1",
        "Grow recurring revenue",
        3,
        "ceo",
        2,
        [
            ("arr", "Annual recurring revenue", "M$", "higher", 12, 20, False, 0.55),
            ("nrr", "Net revenue retention", "%", "higher", 100, 115, False, 0.45),
        ],
    ),
    (
        "F2",
        "Improve gross margin",
        3,
        "finance.lead",
        1,
        [
            ("margin", "Gross margin", "%", "higher", 68, 75, False, 0.8),
        ],
    ),
]

# Cause → effect, with the hypothesis the map asserts.
LINKS = [
    ("L2", "P1", "Skilled CSMs run onboarding that customers finish."),
    ("L1", "P2", "Teams that watch usage data remove the slow steps to value."),
    ("L3", "P3", "Stable teams ship steadily."),
    ("P1", "C2", "Better onboarding → happier new customers."),
    ("P2", "C1", "Customers who reach value early stay."),
    ("P3", "C1", "Reliable service keeps customers."),
    ("P4", "C1", "Adopted products are not cancelled."),
    ("C2", "C3", "Promoters bring referrals in the mid-market."),
    ("C1", "F1", "Retention compounds recurring revenue."),
    ("C3", "F1", "New logos add recurring revenue."),
    ("P3", "F2", "Automation lowers the cost to serve."),
]

# Customer Success scorecard, cascading from the company's.
CS_OBJECTIVES = [
    (
        "CS1",
        "Reduce churn in the enterprise segment",
        2,
        "cs.lead",
        "C1",
        [
            # A little behind the plan (a third of the way a year in): yellow.
            ("ent_churn", "Enterprise monthly churn", "%", "lower", 6, 3, False, 0.3),
        ],
    ),
    (
        "CS2",
        "Run a proactive success programme",
        1,
        "csm.one",
        "P1",
        [
            (
                "qbr",
                "Top accounts with a quarterly business review",
                "%",
                "higher",
                20,
                100,
                True,
                0.3,  # behind the plan too: the programme only starts this quarter
            ),
        ],
    ),
    (
        "CS3",
        "Grow certified expertise",
        0,
        "cs.lead",
        "L2",
        [
            ("cs_cert", "Team members certified", "%", "higher", 25, 100, True, 0.7),
        ],
    ),
]

INITIATIVES = [
    ("Guided onboarding wizard", ["P1", "P2"], "onb.lead", 120000, 70000, 55),
    ("Customer health dashboard", ["C1", "L1"], "platform.lead", 80000, 72000, 60),
    ("CSM certification programme", ["L2"], "people.lead", 40000, 15000, 45),
    ("Mid-market sales playbook", ["C3"], "sales.lead", 60000, 20000, 30),
]

# OKRs. Key result: (title, owner, kind, baseline, target, unit, linked measure key, pace)
# `pace` is how far along the key result is relative to the elapsed share of the cycle:
# 1.0 on pace, 0.6 behind, 0.3 at risk; "stale" stops checking in three weeks ago.
ACTIVE_OKRS = [
    (
        "onboarding",
        "ceo",
        "Dramatically improve customer onboarding experience",
        "committed",
        ["P1", "P2", "C2"],
        None,
        [  # article
            (
                "Raise onboarding completion from 60% to 85%",
                "onb.lead",
                "metric",
                60,
                85,
                "%",
                "onb_completion",
                1.05,
            ),
            ("Halve time to value from 14 to 7 days", "cpo", "metric", 14, 7, "days", "ttv", 0.9),
            (
                "Keep NPS of new customers at 50 or more",
                "cs.lead",
                "stay_above",
                0,
                50,
                "pts",
                "nps_new",
                1.0,
            ),
        ],
    ),
    (
        "cs",
        "cs.lead",
        "Reduce customer churn in the enterprise segment",
        "committed",
        ["C1", "CS1", "CS2"],
        "onboarding",
        [  # article
            ("Decrease monthly churn from 8% to 5%", "cs.lead", "metric", 8, 5, "%", "churn", 0.6),
            (
                "Increase customer health score from 72 to 85",
                "csm.one",
                "metric",
                72,
                85,
                "pts",
                "health",
                0.95,
            ),
            (
                "Launch proactive success programme covering top 100 accounts",
                "csm.two",
                "metric",
                0,
                100,
                "accounts",
                None,
                0.8,
            ),
        ],
    ),
    (
        "onb",
        "onb.lead",
        "Cut onboarding from weeks to days",
        "aspirational",
        ["P1"],
        "onboarding",
        [
            (
                "Reduce average onboarding time from 14 to 3 days",
                "onb.lead",
                "metric",
                14,
                3,
                "days",
                "onb_time",
                0.5,
            ),  # article
            ("Publish 12 self-serve setup guides", "onb.one", "metric", 0, 12, "guides", None, 1.1),
        ],
    ),
    (
        "product",
        "cpo",
        "Make the product part of every customer's day",
        "aspirational",
        ["P4", "C2"],
        None,
        [
            (
                "Grow monthly active users from 10,000 to 25,000",
                "pm.one",
                "metric",
                10000,
                25000,
                "users",
                "active_users",
                0.7,
            ),  # article
            ("Raise NPS from 45 to 70", "cpo", "metric", 45, 70, "pts", "nps", 0.6),  # article
            ("Ship usage insights to all plans", "pm.one", "milestone", 0, 1, "", None, 0.0),
        ],
    ),
    (
        "eng",
        "eng.lead",
        "Ship faster without breaking things",
        "committed",
        ["P3"],
        None,
        [
            (
                "Increase production deploys from 5 to 20 a week",
                "dev.one",
                "metric",
                5,
                20,
                "/week",
                "deploys",
                1.0,
            ),
            (
                "Cut change failure rate from 15% to 5%",
                "eng.lead",
                "metric",
                15,
                5,
                "%",
                None,
                "stale",
            ),
            (
                "Keep uptime at or above 99.9%",
                "platform.lead",
                "stay_above",
                99.5,
                99.9,
                "%",
                "uptime",
                1.0,
            ),
        ],
    ),
    (
        "platform",
        "platform.lead",
        "Put live data in every team's hands",
        "aspirational",
        ["L1"],
        "eng",
        [
            (
                "Raise teams using dashboards weekly from 40% to 90%",
                "platform.lead",
                "metric",
                40,
                90,
                "%",
                "dashboards",
                0.85,
            ),
            ("Cut dashboard load time from 6 s to 2 s", "dev.one", "metric", 6, 2, "s", None, 0.3),
        ],
    ),
    (
        "sales",
        "sales.lead",
        "Win the mid-market",
        "committed",
        ["C3"],
        None,
        [
            (
                "Sign 20 new mid-market customers a month, up from 10",
                "sales.lead",
                "metric",
                10,
                20,
                "logos",
                "logos",
                0.3,
            ),
            (
                "Grow qualified pipeline from 2 M$ to 5 M$",
                "ae.one",
                "metric",
                2,
                5,
                "M$",
                None,
                0.5,
            ),
            ("Raise win rate from 18% to 25%", "ae.one", "metric", 18, 25, "%", None, "stale"),
            (  # insights: pulls gross margin against finance's key result
                "Let gross margin dip from 68% to 65% to win mid-market deals",
                "sales.lead",
                "metric",
                68,
                65,
                "%",
                "margin",
                0.8,
            ),
        ],
    ),
    (
        "finance",
        "finance.lead",
        "Fund growth with better margins",
        "committed",
        ["F2"],
        None,
        [
            (
                "Raise gross margin from 68% to 75%",
                "finance.lead",
                "metric",
                68,
                75,
                "%",
                "margin",
                1.0,
            ),
            (
                "Cut cloud cost per customer from 40 $ to 30 $",
                "finance.lead",
                "metric",
                40,
                30,
                "$",
                None,
                0.9,
            ),
            (
                "Close the books within 5 working days",
                "finance.lead",
                "stay_below",
                10,
                5,
                "days",
                None,
                1.0,
            ),
        ],
    ),
    (
        "people",
        "people.lead",
        "Make Northwind a place great people stay",
        "aspirational",
        ["L3"],
        None,
        [
            (
                "Train 15 managers in coaching conversations",
                "people.lead",
                "metric",
                0,
                15,
                "managers",
                None,
                1.0,
            ),
            (
                "Raise the share of people with a career plan from 30% to 80%",
                "people.lead",
                "metric",
                30,
                80,
                "%",
                None,
                0.9,
            ),
            ("Conduct 20 stay interviews", "people.lead", "metric", 0, 20, "interviews", None, 1.2),
        ],
    ),
    (
        "wiki",
        "pm.one",
        "Modernise the internal wiki",
        "aspirational",
        [],
        None,
        [
            ("Migrate 300 wiki pages", "pm.one", "metric", 0, 300, "pages", None, 0.8),
            (
                "Cut search time for a policy from 5 min to 1 min",
                "pm.one",
                "metric",
                5,
                1,
                "min",
                None,
                0.9,
            ),
        ],
    ),
]

# Rows for the insights (alignment and quality alerts): six key results, five of them the
# CPO's (overloaded), serving product adoption.
ACTIVE_OKRS.append(
    (
        "partners",
        "cpo",
        "Open a partner channel for product adoption",
        "aspirational",
        ["P4"],
        None,
        [
            (
                "Launch the partner portal to 10 pilot partners",
                "cpo",
                "milestone",
                0,
                1,
                "",
                None,
                0.0,
            ),
            ("Sign 25 partners, up from 5", "cpo", "metric", 5, 25, "partners", None, 0.9),
            (
                "Grow partner-sourced active users from 0 to 2,000",
                "cpo",
                "metric",
                0,
                2000,
                "users",
                None,
                0.8,
            ),
            (
                "Raise partner-built integrations from 3 to 12",
                "pm.one",
                "metric",
                3,
                12,
                "integrations",
                None,
                1.0,
            ),
            ("Keep partner satisfaction at 8 or more", "cpo", "stay_above", 0, 8, "pts", None, 1.0),
            (
                "Cut partner onboarding time from 30 to 10 days",
                "dev.one",
                "metric",
                30,
                10,
                "days",
                None,
                0.9,
            ),
        ],
    )
)

# Objectives whose owner left: (key, unit key, title, kind, contributes, [key results]).
# One key result, itself without real figures (quality alerts).
UNOWNED_OKRS = [
    (
        "lessons",
        "cs",
        "Learn from every customer who leaves",
        "committed",
        ["C1"],
        [("Understand why enterprise customers leave", "csm.two", "metric", 0, 1, "", None, 1.0)],
    ),
]

# Personal objectives: (key, owner, title, kind, parent OKR key, private, [key results]).
PERSONAL_OKRS = [
    (
        "lena",
        "csm.one",
        "Grow into a senior customer success manager",
        "aspirational",
        "cs",
        True,
        [
            ("Run 12 quarterly business reviews", "csm.one", "metric", 0, 12, "reviews", None, 0.9),
            ("Earn the advanced CS certification", "csm.one", "milestone", 0, 1, "", None, 0.0),
            (
                "Raise my accounts' health score from 70 to 80",
                "csm.one",
                "metric",
                70,
                80,
                "pts",
                None,
                1.0,
            ),
        ],
    ),
]

# The cycle before: (key, owner, title, kind, contributes, [(title, owner, kind, b, t, unit,
# final progress)]).
CLOSED_OKRS = [
    (
        "q_onb",
        "onb.lead",
        "Make the first week of onboarding smooth",
        "aspirational",
        ["P1"],
        [
            ("Raise onboarding completion from 52% to 60%", "onb.lead", "metric", 52, 60, "%", 0.9),
            ("Interview 15 customers who dropped out", "onb.one", "metric", 0, 15, "calls", 1.0),
            (
                "Cut setup tickets from 120 to 60 a month",
                "onb.one",
                "metric",
                120,
                60,
                "tickets",
                0.6,
            ),
        ],
    ),
    (
        "q_cs",
        "cs.lead",
        "Stabilise customer health",
        "committed",
        ["C1"],
        [
            ("Raise health score from 68 to 72", "csm.one", "metric", 68, 72, "pts", 1.0),
            (
                "Cover 50 top accounts with success plans",
                "csm.two",
                "metric",
                0,
                50,
                "accounts",
                0.8,
            ),
            ("Reduce monthly churn from 9% to 8%", "cs.lead", "metric", 9, 8, "%", 0.7),
        ],
    ),
    (
        "q_eng",
        "eng.lead",
        "Automate the release pipeline",
        "committed",
        ["P3"],
        [
            ("Increase deploys from 2 to 5 a week", "dev.one", "metric", 2, 5, "/week", 1.0),
            ("Automate 80% of regression tests", "dev.one", "metric", 30, 80, "%", 0.8),
            ("Ship one-click rollback", "platform.lead", "milestone", 0, 1, "", 1.0),
        ],
    ),
    (
        "q_sales",
        "sales.lead",
        "Open the mid-market",
        "aspirational",
        ["C3"],
        [
            ("Sign 10 mid-market customers a month", "sales.lead", "metric", 4, 10, "logos", 0.5),
            ("Hire 2 mid-market account executives", "sales.lead", "metric", 0, 2, "hires", 1.0),
            ("Publish pricing for the mid-market tier", "sales.lead", "milestone", 0, 1, "", 1.0),
        ],
    ),
    (
        "q_people",
        "people.lead",
        "Hire the people the plan needs",
        "committed",
        ["L3"],
        [
            ("Fill 8 open roles", "people.lead", "metric", 0, 8, "hires", 0.75),
            ("Cut time to hire from 60 to 40 days", "people.lead", "metric", 60, 40, "days", 0.5),
            ("Onboard every hire with a buddy", "people.lead", "metric", 0, 100, "%", 1.0),
        ],
    ),
]
