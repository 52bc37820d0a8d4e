"""PLACEHOLDER: being written; every view answers 501 until then."""

from django.http import HttpResponse


def scorecard_list(request, pk=None):
    return HttpResponse("not yet", status=501)


def scorecard(request, pk=None):
    return HttpResponse("not yet", status=501)


def strategy_map(request, pk=None):
    return HttpResponse("not yet", status=501)


def strategy_map_svg(request, pk=None):
    return HttpResponse("not yet", status=501)


def strategic_objective(request, pk=None):
    return HttpResponse("not yet", status=501)


def measure(request, pk=None):
    return HttpResponse("not yet", status=501)


def initiative(request, pk=None):
    return HttpResponse("not yet", status=501)


def heatmap(request, pk=None):
    return HttpResponse("not yet", status=501)


def unit_list(request, pk=None):
    return HttpResponse("not yet", status=501)


def unit(request, pk=None):
    return HttpResponse("not yet", status=501)


