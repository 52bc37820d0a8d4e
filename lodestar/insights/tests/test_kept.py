"""Kept figures: computed once per data version and day, read back by every app server
alike, computed again after any write, on another day, or when a row cannot be read."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from lodestar.insights.kept import code_fingerprint
from lodestar.insights.models import InsightCache
from lodestar.org.models import data_changed
from lodestar.org.reader import Reader

pytestmark = pytest.mark.django_db


def kept(name: str, compute):
    """Kept for a reader who may read nothing (a group of their own)."""
    return Reader.for_person(None).kept("test", name, compute)


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_kept_value_is_computed_once_until_the_data_moves():
    compute, calls = counting({"figure": 0.42})
    assert kept("figure", compute) == {"figure": 0.42}
    assert kept("figure", compute) == {"figure": 0.42}
    assert len(calls) == 1
    data_changed()  # what every service does in its own transaction
    kept("figure", compute)
    assert len(calls) == 2


def test_a_new_day_computes_again_and_drops_the_rows_of_past_days():
    compute, calls = counting([1, 2, 3])
    kept("day", compute)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        kept("other", compute)
        kept("day", compute)
        assert len(calls) == 3
        assert InsightCache.objects.filter(day__lt=timezone.localdate()).count() == 0


def test_a_row_that_cannot_be_read_is_computed_again_not_an_error():
    compute, calls = counting("fresh")
    kept("broken", compute)
    InsightCache.objects.filter(key__startswith=f"{code_fingerprint()}:test:broken:").update(
        payload=b"not a pickle"
    )
    assert kept("broken", compute) == "fresh"
    assert len(calls) == 2


def test_the_key_carries_the_code_so_another_release_never_reads_a_row():
    kept("release", lambda: "mine")
    InsightCache.objects.update(key=f"an-older-release:test:release:{Reader(None).group}")
    compute, calls = counting("recomputed")
    assert kept("release", compute) == "recomputed"
    assert len(calls) == 1


def test_a_value_that_cannot_be_kept_is_still_answered():
    answer = kept("unpicklable", lambda: lambda: "a closure")
    assert answer() == "a closure"
    assert not InsightCache.objects.exists()
