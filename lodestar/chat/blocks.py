"""Slack's Block Kit shapes of checking in: the "Check in" button (in reminders and in the
slash command's list) and the small form it opens (a modal view)."""

from lodestar.okrs.models import KeyResult
from lodestar.scores.figures import key_result_style

CHECKIN_ACTION = "checkin"  # the button's action_id; its value is the key result's id
CHECKIN_VIEW = "checkin"  # the modal's callback_id; private_metadata is the key result's id
FIELDS = ("value", "confidence", "note")  # the modal's blocks, each with one input
MAX_LISTED = 20  # Slack allows 50 blocks in a message


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def checkin_button(key_result_id: int) -> dict:
    return {
        "type": "button",
        "text": plain("Check in"),
        "action_id": CHECKIN_ACTION,
        "value": str(key_result_id),
    }


def checkin_buttons(key_results: list[tuple[str, int]]) -> list[dict]:
    """One section per key result with its button beside it (a reminder's)."""
    return [
        {
            "type": "section",
            "text": plain(f"Check in on: {title}"[:3000]),
            "accessory": checkin_button(pk),
        }
        for title, pk in key_results[:MAX_LISTED]
    ]


def figures(key_result: KeyResult) -> str:
    style = key_result_style(key_result)
    return f"{style.show(key_result.current)} of {style.show(key_result.target)}"


def key_result_list(key_results: list[KeyResult]) -> list[dict]:
    return [
        {
            "type": "section",
            "text": plain(f"{kr.title}: {figures(kr)}"[:3000]),
            "accessory": checkin_button(kr.pk),
        }
        for kr in key_results[:MAX_LISTED]
    ]


def text_input(block: str, label: str, initial: str = "", **element) -> dict:
    field = {"type": "plain_text_input", "action_id": block, **element}
    if initial:
        field["initial_value"] = initial
    return {"type": "input", "block_id": block, "label": plain(label), "element": field}


def checkin_modal(key_result: KeyResult) -> dict:
    confidence = key_result.latest_confidence
    confidence = "" if confidence is None else str(confidence)
    note = text_input("note", "Note", multiline=True, max_length=2000)
    return {
        "type": "modal",
        "callback_id": CHECKIN_VIEW,
        "private_metadata": str(key_result.pk),
        "title": plain("Check in"),
        "submit": plain("Check in"),
        "close": plain("Cancel"),
        "blocks": [
            {"type": "section", "text": plain(f"{key_result.title}: now {figures(key_result)}")},
            text_input("value", "New value", ""),
            text_input("confidence", "Confidence (0 to 10)", confidence),
            {**note, "optional": True},
        ],
    }


def dig(found, *keys):
    """`found[k1][k2]…`, or None where the JSON is not that shape (Slack's, or a forger's)."""
    for key in keys:
        if not isinstance(found, dict):
            return None
        found = found.get(key)
    return found


def submitted(view: dict) -> dict[str, str]:
    """The modal's fields as a form's data; anything but text is no answer."""
    found = {block: dig(view, "state", "values", block, block, "value") for block in FIELDS}
    return {block: value if isinstance(value, str) else "" for block, value in found.items()}
