"""The page a locked-out sign-in gets (django-axes calls `locked_out`, AXES_LOCKOUT_CALLABLE).

Each attempt during the lock restarts the cool-off, so "try again in N minutes" is the whole
cool-off counted from this very attempt."""

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

TOO_MANY_REQUESTS = 429


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes},
        status=TOO_MANY_REQUESTS,
    )
