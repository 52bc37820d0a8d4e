from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from lodestar.conftest import DEMO_TODAY
from lodestar.sources.models import DataSource, SyncRun
from lodestar.strategy.models import Measure, MeasureValue

pytestmark = pytest.mark.usefixtures("demo_org")


def test_sources_demo_makes_three_measures_fill_themselves(db, tmp_path, settings):
    settings.SOURCE_DATABASES = {
        "demo": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "demo.sqlite3")}
    }
    settings.VAR_DIR = tmp_path
    settings.SOURCE_FILE_ROOT = str(tmp_path)
    out = StringIO()
    with time_machine.travel(DEMO_TODAY):
        call_command("sources", "demo", stdout=out)
    assert "Three demo measures now fill themselves." in out.getvalue()
    http, sql = DataSource.objects.order_by("kind")
    assert (http.kind, sql.kind) == ("http", "sql")
    assert not SyncRun.objects.exclude(error="").exists()
    for source in (sql, http):
        # the history agreed with what was stored; this month's row is new
        this_month = MeasureValue.objects.get(measure=source.measure, period="2026-11-01")
        assert (this_month.entered_via, this_month.source_id) == ("source", source.pk)
    calculated = Measure.objects.get(values_from="formula")
    share = MeasureValue.objects.get(measure=calculated, period="2026-11-01").actual
    expected = this_value(sql.measure) / sql.measure.target * 100
    assert share == pytest.approx(expected)
    again = StringIO()
    call_command("sources", "demo", stdout=again)
    assert "already set up" in again.getvalue()


def this_value(measure) -> float:
    return MeasureValue.objects.get(measure=measure, period="2026-11-01").actual
