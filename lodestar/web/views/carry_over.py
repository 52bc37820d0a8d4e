"""/cycles/<id>/carry-over: choose, item by item, the unfinished objectives and key results
to carry into a later cycle. The copies are written by `cycle_carry_over`, with the
rights of whoever carries them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lodestar.okrs.closing import cycle_carry_over, finished
from lodestar.okrs.models import Cycle
from lodestar.okrs.selectors import visible_key_results, visible_objectives
from lodestar.org.permissions import Action, can


def chosen_ids(request: HttpRequest, name: str) -> list[int]:
    return [int(value) for value in request.POST.getlist(name) if value.isdigit()]


@login_required
def carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    source = request.reader.load(Cycle, pk)
    objectives = list(
        visible_objectives(request.user)
        .filter(cycle=source)
        .prefetch_related("key_results")
        .order_by("title")
    )
    unfinished = [
        (objective, [kr for kr in objective.key_results.all() if not finished(kr)])
        for objective in objectives
    ]
    unfinished = [(o, krs) for o, krs in unfinished if krs]
    targets = list(
        Cycle.objects.exclude(state=Cycle.State.CLOSED)
        .filter(start__gt=source.start)
        .order_by("start")
    )
    errors: list[str] = []
    if request.method == "POST":
        target = next((c for c in targets if str(c.pk) == request.POST.get("target")), None)
        if target is None:
            errors.append("Choose a later cycle that is not closed.")
        else:
            try:
                copies = cycle_carry_over(
                    acting=request.user,
                    source=source,
                    target=target,
                    objectives=list(
                        visible_objectives(request.user).filter(
                            cycle=source, pk__in=chosen_ids(request, "objectives")
                        )
                    ),
                    key_results=list(
                        visible_key_results(request.user).filter(
                            cycle=source, pk__in=chosen_ids(request, "key_results")
                        )
                    ),
                )
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(request, f"Carried {len(copies)} objective(s) into {target}.")
                return redirect("cycle", target.pk)
    context = {
        "cycle": source,
        "unfinished": unfinished,
        "targets": targets,
        "errors": errors,
        "may_add_cycle": can(request.user, Action.CHANGE, Cycle()),
    }
    return render(request, "web/carry_over.html", context, status=400 if errors else 200)
