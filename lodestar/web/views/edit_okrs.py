"""PLACEHOLDER: being written; every view answers 501 until then."""

from django.http import HttpResponse


def cycle_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def cycle_edit(request, pk=None):
    return HttpResponse("not yet", status=501)


def objective_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def objective_edit(request, pk=None):
    return HttpResponse("not yet", status=501)


def key_result_new(request, pk=None):
    return HttpResponse("not yet", status=501)


def key_result_edit(request, pk=None):
    return HttpResponse("not yet", status=501)


