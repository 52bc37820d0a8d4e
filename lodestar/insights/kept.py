"""Figures computed from the data and kept in the database (`InsightCache`) while the data
version (`org.models.data_version`) and the day have not moved: the alerts, the OKR health
counts, the alignment report. Asked for through a reader (`Reader.kept`): the key always
names the reader's group (the private objectives they may see), so no caller can forget it
and share one reader's figures with another. In the database, not in a process, so that
every app server reads and refreshes the same rows; a kept row costs one query to read.

What is kept is pickled: it is written only by this code, from the database's own data.
Every key carries a fingerprint of the code, so a row kept by another release (whose
classes may have other fields) is never read; rows not refreshed today are dropped when a
new key is written.
"""

import functools
import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from lodestar.computed import computing
from lodestar.insights.models import InsightCache
from lodestar.org.models import DataVersion, data_version

T = TypeVar("T")


@functools.cache
def code_fingerprint() -> str:
    """Of every Python file of the package: what a kept value's form depends on."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def kept(reader, name: str, compute: Callable[[], T]) -> T:
    """The value kept under `name` for the reader's group, the current data version and
    the day, else `compute()`, kept for the next reader of the group. `name` must name
    everything else the value depends on (the unit, the cycle)."""
    key = f"{code_fingerprint()}:{name}:{reader.group}"
    day = timezone.localdate()
    current = DataVersion.objects.filter(pk=1).values("number")[:1]
    row = (
        InsightCache.objects.filter(key=key, day=day, version=Coalesce(Subquery(current), Value(0)))
        .values_list("payload", flat=True)
        .first()
    )
    if row is not None:
        try:
            return pickle.loads(row)
        except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError):
            pass  # an unreadable row is only computed again
    version = data_version()  # read before the data: a write meanwhile moves it past
    computing(name)  # X-Lodestar-Computed on the response (lodestar/computed.py)
    value = compute()
    try:
        payload = pickle.dumps(value)
    except (pickle.PicklingError, TypeError, AttributeError):
        return value  # a value that cannot be kept is still the right answer
    fields = {"version": version, "day": day, "payload": payload}
    if not InsightCache.objects.filter(key=key).update(**fields):
        # A new key: the rows no reader refreshed today go (their readers may be gone).
        InsightCache.objects.filter(day__lt=day).delete()
        # another server may be writing it too: the first one stays
        InsightCache.objects.bulk_create([InsightCache(key=key, **fields)], ignore_conflicts=True)
    return value
