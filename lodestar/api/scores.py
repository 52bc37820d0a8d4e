"""Read-only score views that gather several rows: the scorecard summary."""

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from lodestar import scoring
from lodestar.api.crud import ERRORS, Id
from lodestar.api.enums import Colour
from lodestar.api.strategy import EXECUTION_COLOUR, PERFORMANCE_COLOUR
from lodestar.scores.words import execution_colour_of, performance_colour_of
from lodestar.strategy.models import Perspective, Scorecard, StrategicObjective

router = Router(tags=["scores"])


class ObjectiveScore(Schema):
    id: int
    code: str
    name: str
    weight: float
    performance: float | None
    execution: float | None
    performance_colour: Colour = Field(description=PERFORMANCE_COLOUR)
    execution_colour: Colour = Field(description=EXECUTION_COLOUR)
    divergence: float | None = Field(description="execution − performance")


class PerspectiveScore(Schema):
    id: int
    name: str
    position: int
    weight: float
    score: float | None
    execution: float | None
    colour: Colour
    objectives: list[ObjectiveScore]


class ScorecardSummary(Schema):
    id: int
    name: str
    unit: int
    score: float | None
    execution: float | None
    colour: Colour = Field(description=PERFORMANCE_COLOUR)
    execution_colour: Colour = Field(description=EXECUTION_COLOUR)
    perspectives: list[PerspectiveScore] = Field(
        description="Top band first, as the strategy map reads (highest position first)."
    )


def objective_score(objective: StrategicObjective) -> dict:
    return {
        "id": objective.pk,
        "code": objective.code,
        "name": objective.name,
        "weight": objective.weight,
        "performance": objective.performance,
        "execution": objective.execution,
        "performance_colour": performance_colour_of(objective.performance),
        "execution_colour": execution_colour_of(objective.execution),
        "divergence": scoring.divergence(objective.performance, objective.execution),
    }


@router.get(
    "/scorecards/{id}/summary",
    response={200: ScorecardSummary, **ERRORS},
    operation_id="scorecard_summary",
    summary="Scorecard score by perspective, with each strategic objective's performance "
    "and execution",
)
def scorecard_summary(request: HttpRequest, id: Id):
    """Three queries whatever the size of the scorecard."""
    objectives = StrategicObjective.objects.order_by("code", "name")
    perspectives = Perspective.objects.order_by(*Perspective.READING_ORDER).prefetch_related(
        Prefetch("strategic_objectives", queryset=objectives)
    )
    scorecard = Scorecard.objects.prefetch_related(
        Prefetch("perspectives", queryset=perspectives)
    ).filter(pk=id)
    scorecard = request.reader.load(scorecard, id)
    return {
        "id": scorecard.pk,
        "name": scorecard.name,
        "unit": scorecard.unit_id,
        "score": scorecard.score,
        "execution": scorecard.execution,
        "colour": performance_colour_of(scorecard.score),
        "execution_colour": execution_colour_of(scorecard.execution),
        "perspectives": [
            {
                "id": perspective.pk,
                "name": perspective.name,
                "position": perspective.position,
                "weight": perspective.weight,
                "score": perspective.score,
                "execution": perspective.execution,
                "colour": performance_colour_of(perspective.score),
                "objectives": [objective_score(o) for o in perspective.strategic_objectives.all()],
            }
            for perspective in scorecard.perspectives.all()
        ],
    }
