"""Who acts: every service takes `acting`, the person doing the write, or None for the
installation itself (the demo, a recompute, a data source's sync).

`service` makes a function a service: keyword-only call, one transaction, the acting
person known to everything the write touches (permission checks, history: the audit log
records `acting` as the actor of every change made inside the call, and from where: the
request's client address, `lodestar.audit.origin`), and what it changed
recorded (`org.changes`, one row appended) so that kept figures of that scope are stale.
"""

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from auditlog.context import set_actor
from django.db import transaction

from lodestar.audit.origin import current_origin
from lodestar.org import changes
from lodestar.org.models import Person

Actor = Person | None  # None: the installation itself, never a request

P = ParamSpec("P")
R = TypeVar("R")

# Set while a service runs: a service called by another keeps the outer call's actor
# (auditlog's actor context does not nest).
_inside_service: ContextVar[bool] = ContextVar("inside_service", default=False)


def service(function: Callable[P, R]) -> Callable[P, R]:
    return _service(function, moves_data=True)


def personal_service(function: Callable[P, R]) -> Callable[P, R]:
    """A service whose write changes only how one person sees the data (a snooze), never
    the data: the kept insights stay valid, so no change is recorded."""
    return _service(function, moves_data=False)


def _service(function: Callable[P, R], *, moves_data: bool) -> Callable[P, R]:
    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if args or "acting" not in kwargs:
            raise TypeError(f"{function.__name__} takes keyword arguments, `acting` among them")
        if _inside_service.get():
            with transaction.atomic():
                return function(**kwargs)
        token = _inside_service.set(True)
        try:
            address = current_origin.get().address
            with transaction.atomic(), set_actor(kwargs["acting"], remote_addr=address):
                if not moves_data:
                    return function(**kwargs)
                with changes.recording():  # what was computed from it is out of date
                    return function(**kwargs)
        finally:
            _inside_service.reset(token)

    return run
