"""A note when it matters (docs/scoring.md): a scorecard that asks for notes wants a short
note with every write that moves one of its measures INTO red (from any other status), or
one of its key results INTO at risk (the open cycle's word, `scoring.outcomes`). A person's
write without one is refused, naming the note's field; an automatic write (a data source,
an imported check-in history) is kept and marked as owing its note, since nobody is there
to ask. Only the move counts: a measure already red, a key result already at risk, a value
of an earlier period (the measure stands on its latest) ask nothing.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q

from lodestar import scoring
from lodestar.scoring.periods import period_name
from lodestar.strategy.models import Measure, MeasureValue, NoteAsked, Scorecard

RED = "red"


def measure_turns_red(measure: Measure, start: date, actual: float, planned) -> bool:
    """Whether the value `actual` for the period starting `start` (judged against
    `planned`, the period's plan or none) moves the measure into red, on a scorecard that
    asks for notes: it becomes the measure's latest value (a measure stands on its latest),
    earns red, and the latest value stored now does not (read from the database, so that
    a sync writing several periods asks only at the move)."""
    if not measure.objective.scorecard.notes_when_it_matters:
        return False
    latest = MeasureValue.objects.filter(measure=measure).order_by("-period").first()
    if latest is not None and start < latest.period:
        return False
    if value_status(measure, actual, planned) != RED:
        return False
    return latest is None or value_status(measure, latest.actual, latest.target) != RED


def value_status(measure: Measure, actual: float, planned) -> str:
    """The colour a value earns against its period's target (as the roll-up judges it)."""
    return scoring.measure_status(
        direction=measure.direction,
        baseline=measure.baseline,
        target=scoring.period_target(planned, measure.target),
        actual=actual,
        warning=measure.warning,
        upper=measure.upper,
    )


def measure_note_asked(
    measure: Measure,
    start: date,
    actual: float,
    planned,
    comment: str,
    *,
    automatic=False,
    field="comment",
    replaced: MeasureValue | None = None,
) -> str:
    """The value's `note_asked`: given when it turns the measure red with a note, owed
    when an automatic write does so without one; a person's write without one is refused,
    naming `field` (the value's comment, or the note of the check-in writing it). The
    period's value it `replaced`, when that one turned the measure red and this one is
    red too, hands the move on: a correction keeps the note asked (or still owes it)."""
    handed_on = (
        replaced is not None
        and replaced.note_asked != NoteAsked.NOT_ASKED
        and value_status(measure, actual, planned) == RED
    )
    if not handed_on and not measure_turns_red(measure, start, actual, planned):
        return NoteAsked.NOT_ASKED
    if comment.strip():
        return NoteAsked.GIVEN
    if automatic:
        return NoteAsked.OWED
    period = period_name(measure.frequency, start)
    raise ValidationError(
        {
            field: [
                f"{actual:g} for {period} turns “{measure}” red, and its scorecard asks for a "
                f"note when that happens: say in a sentence why (the {field})."
            ]
        },
        code="note_when_it_matters",
    )


def key_result_asks_notes(key_result) -> bool:
    """Whether a scorecard the key result serves asks for notes: through its linked
    measure, or through an objective holding it that serves a strategic objective."""
    serves = Q(strategic_objectives__measures__key_results=key_result) | Q(
        strategic_objectives__okr_objectives__holdings__key_result=key_result
    )
    return Scorecard.objects.filter(serves, notes_when_it_matters=True).exists()


def checkin_note_asked(
    key_result, pace_before: str, pace_after: str, note: str, *, automatic=False
) -> str:
    """The check-in's `note_asked`: given when it drops the key result to at risk with a
    note, owed when an imported history does so without one; a check-in without one is
    refused (field "note")."""
    dropped = pace_before != scoring.Pace.AT_RISK and pace_after == scoring.Pace.AT_RISK
    if not dropped or not key_result_asks_notes(key_result):
        return NoteAsked.NOT_ASKED
    if note.strip():
        return NoteAsked.GIVEN
    if automatic:
        return NoteAsked.OWED
    raise ValidationError(
        {
            "note": [
                f"This check-in drops “{key_result}” to at risk, and its scorecard asks for a "
                "note when that happens: say in a sentence why (the note)."
            ]
        },
        code="note_when_it_matters",
    )
