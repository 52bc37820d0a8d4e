"""Who acts: every service takes `acting`, the person doing the write, or None for the
installation itself (the demo, a recompute, a data source's sync).

`service` makes a function a service: keyword-only call, one transaction, the acting
person known to everything the write touches (permission checks, history), and the data
version moved (`org.models.data_changed`) so that stored insights know they are stale.
"""

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

from lodestar.org.models import Person, data_changed

Actor = Person | None  # None: the installation itself, never a request

P = ParamSpec("P")
R = TypeVar("R")


def service(function: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if args or "acting" not in kwargs:
            raise TypeError(f"{function.__name__} takes keyword arguments, `acting` among them")
        with transaction.atomic():
            result = function(**kwargs)
            data_changed()  # what was computed from the data is out of date
            return result

    return run
