"""PLACEHOLDER: being written; every view answers 501 until then."""

from django.http import HttpResponse


def okr_tree(request, pk=None):
    return HttpResponse("not yet", status=501)


def cycle_list(request, pk=None):
    return HttpResponse("not yet", status=501)


def cycle(request, pk=None):
    return HttpResponse("not yet", status=501)


def objective(request, pk=None):
    return HttpResponse("not yet", status=501)


def key_result(request, pk=None):
    return HttpResponse("not yet", status=501)


def checkin(request, pk=None):
    return HttpResponse("not yet", status=501)


def my_key_results(request, pk=None):
    return HttpResponse("not yet", status=501)


def person(request, pk=None):
    return HttpResponse("not yet", status=501)


