"""PLACEHOLDER: being written; every view answers 501 until then."""

from django.http import HttpResponse


def scorecard_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def scorecard_edit(request, pk=None):
    return HttpResponse("not yet", status=501)


def perspective_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def perspective_edit(request, pk=None):
    return HttpResponse("not yet", status=501)


def theme_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def theme_edit(request, pk=None):
    return HttpResponse("not yet", status=501)


def strategic_objective_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def strategic_objective_edit(request, pk=None):
    return HttpResponse("not yet", status=501)


def link_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def link_edit(request, pk=None):
    return HttpResponse("not yet", status=501)


def measure_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def measure_edit(request, pk=None):
    return HttpResponse("not yet", status=501)


def measure_value_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def initiative_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def initiative_edit(request, pk=None):
    return HttpResponse("not yet", status=501)


