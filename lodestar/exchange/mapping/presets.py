"""Mappings for what users of other OKR tools most often export. Their layouts are not
published: these are assumptions, stated in docs/import.md, and a file that differs is
mapped on the page like any other (a preset only chooses the columns it finds)."""

from lodestar.exchange.mapping.fields import KEY_RESULT, LEFT_OUT, OBJECTIVE
from lodestar.exchange.mapping.spec import Mapping

PRESETS = {
    # One row per goal, key result or initiative; a parent column names the goal above.
    "perdoo": Mapping(
        key_prefix="perdoo",
        columns={
            "id": "ID",
            "title": "Name",
            "type": "Type",
            "parent": "Parent",
            "owner": "Owner email",
            "unit": "Group",
            "cycle": "Timeframe",
            "start_value": "Start value",
            "target": "Target value",
            "current": "Current value",
            "progress": "Progress",
            "start_date": "Start date",
            "end_date": "End date",
            "status": "Status",
        },
        terms={"Goal": OBJECTIVE, "Key Result": KEY_RESULT, "Initiative": LEFT_OUT},
    ),
    # Tability calls key results "outcomes" and tasks "initiatives", under a plan.
    "tability": Mapping(
        key_prefix="tability",
        columns={
            "title": "Title",
            "type": "Type",
            "parent": "Objective",
            "owner": "Owner email",
            "cycle": "Plan",
            "start_value": "Start value",
            "target": "Target",
            "current": "Current value",
            "progress": "Progress",
            "start_date": "Start date",
            "due_date": "Due date",
            "status": "Status",
            "unit_label": "Unit",
        },
        terms={"Objective": OBJECTIVE, "Outcome": KEY_RESULT, "Initiative": LEFT_OUT},
    ),
    # One row per key result, its objective named beside it.
    "profit.co": Mapping(
        key_prefix="profitco",
        columns={
            "parent": "Objective",
            "title": "Key Result",
            "owner": "Owner Email",
            "unit": "Department",
            "cycle": "Period",
            "start_value": "Start Value",
            "target": "Target Value",
            "current": "Current Value",
            "progress": "Progress %",
            "start_date": "Start Date",
            "end_date": "End Date",
            "weight": "Weightage",
            "unit_label": "Metric Unit",
        },
    ),
}


def fitted(preset: Mapping, headers: list[str]) -> Mapping:
    """The preset with only the columns this file has (by name, whatever the case)."""
    by_lower = {header.lower(): header for header in headers}
    columns = {
        name: by_lower[header.lower()]
        for name, header in preset.columns.items()
        if header.lower() in by_lower
    }
    return Mapping(
        columns=columns,
        cycle=preset.cycle,
        key_prefix=preset.key_prefix,
        terms=dict(preset.terms),
        people=dict(preset.people),
    )


def preset_for(headers: list[str]) -> str | None:
    """The preset most of whose columns the file has (at least two thirds), if one."""
    names = {header.lower() for header in headers}
    found = {
        name: len({header.lower() for header in preset.columns.values()} & names)
        / len(preset.columns)
        for name, preset in PRESETS.items()
    }
    best = max(found, key=found.get)
    return best if found[best] >= 2 / 3 else None
