"""What setting a cycle's state from its row does to the cycles here, in words, and the
rule a person meets on the cycle's page: a turn before its date needs a reason. The
import holds everyone to it, the installation too (a sheet has no calendar of its own)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from lodestar.okrs import services as okrs
from lodestar.okrs.models import Cycle
from lodestar.org.acting import Actor


@dataclass(frozen=True)
class Effect:
    sentence: str  # "closes Q4 2026 early and grades its 14 objectives"
    early: bool


def closing(cycle: Cycle, today: date) -> Effect:
    # The objectives a close grades: scored, not graded yet (okrs.cycle_close).
    graded = cycle.okr_objectives.filter(final_grade__isnull=True, score__isnull=False).count()
    early = today < cycle.end
    sentence = f"closes {cycle}" + (" early" if early else "")
    if graded:
        sentence += f" and grades its {graded} objective{'s' if graded != 1 else ''}"
    return Effect(sentence, early)


def effects_of(cycle: Cycle, wanted: str, today: date) -> list[Effect]:
    if wanted == Cycle.State.CLOSED:
        return [closing(cycle, today)]
    if wanted != Cycle.State.ACTIVE:
        return []
    running = Cycle.objects.filter(state=Cycle.State.ACTIVE).exclude(pk=cycle.pk)
    early = today < cycle.start
    activating = Effect(f"activates {cycle}" + (" early" if early else ""), early)
    return [closing(other, today) for other in running] + [activating]


def require_reason(effects: list[Effect], reason: str | None) -> None:
    """Refused, naming the reason column, when anything a turn does comes early without a
    reason: the import's rule and its preview's, read here only."""
    early = [effect.sentence for effect in effects if effect.early]
    if early and not (reason or "").strip():
        raise ValidationError(
            {
                "reason": [
                    f"This row {' and '.join(early)}: that needs a reason, as on the cycle's "
                    "page; give it in the reason column."
                ]
            }
        )


def cycle_turn(*, acting: Actor, cycle: Cycle, wanted: str, reason: str, today: date):
    """Turn the cycle to the state its row wants, through the services; returns what it
    did (`require_reason` first)."""
    effects = effects_of(cycle, wanted, today)
    require_reason(effects, reason)
    reason = (reason or "").strip()
    if wanted == Cycle.State.ACTIVE:
        okrs.cycle_activate(acting=acting, cycle=cycle, reason=reason, today=today)
    elif wanted == Cycle.State.CLOSED:
        okrs.cycle_close(acting=acting, cycle=cycle, reason=reason, today=today)
    else:
        okrs.cycle_update(acting=acting, cycle=cycle, state=wanted)
    return [effect.sentence for effect in effects]
