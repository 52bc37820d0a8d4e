"""Initiative money: earned value and cost variance.

- Earned value = budget x percent complete: the budget's worth of work done so far.
  Budget 200 000 at 30 % complete has earned 60 000.
- Cost variance = earned value - spent: positive is under budget for the work done,
  negative is over. Spent 75 000 on that: 60 000 - 75 000 = -15 000, over budget.

Budgets and amounts spent are money, zero or more; percent complete is 0-100. Results are
floats: round to cents when showing them.
"""

from lodestar.scoring.errors import ScoringError
from lodestar.scoring.numbers import finite


def _amount(value: float, field: str) -> float:
    amount = finite(value, field)
    if amount < 0:
        raise ScoringError(field, "must be zero or more")
    return amount


def earned_value(*, budget: float, percent_complete: float) -> float:
    """budget x percent_complete / 100."""
    percent = finite(percent_complete, "percent_complete")
    if not 0 <= percent <= 100:
        raise ScoringError("percent_complete", "must be from 0 to 100")
    return _amount(budget, "budget") * percent / 100


def cost_variance(*, budget: float, percent_complete: float, spent: float) -> float:
    """earned value - spent; negative means over budget for the work done."""
    return earned_value(budget=budget, percent_complete=percent_complete) - _amount(spent, "spent")
