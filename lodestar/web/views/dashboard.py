"""PLACEHOLDER: being written; every view answers 501 until then."""

from django.http import HttpResponse


def dashboard(request, pk=None):
    return HttpResponse("not yet", status=501)


