"""Writes of data sources: their set-up (the strategy office's or an admin's) and the
rows a sync or a push brings in, each accepted one written through the measure value
service with the source recorded on it."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lodestar.notify import events
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed_nothing
from lodestar.org.permissions import Action, can
from lodestar.scores import rollup
from lodestar.sources.fetchers import (
    TOKEN_RULE,
    TOKEN_VARIABLE,
    FetchError,
    check_query,
    check_url,
)
from lodestar.sources.models import DataSource
from lodestar.sources.rows import Checked
from lodestar.strategy.models import Measure, MeasureValue
from lodestar.strategy.services import locks_on, measure_update, measure_value_write, period_locked
from lodestar.validation import apply_changes, validated_save


def refuse_unless(acting: Actor, action: Action, obj) -> None:
    if acting is not None and not can(acting, action, obj):
        raise PermissionDenied("Only the strategy office or an admin sets up data sources.")


def check_source(source: DataSource) -> None:
    """Everything a sync will need is there, and no secret is stored."""
    errors: dict[str, list[str]] = {}
    if source.kind == DataSource.Kind.SQL:
        if source.connection not in settings.SOURCE_DATABASES:
            declared = ", ".join(sorted(settings.SOURCE_DATABASES)) or "none declared"
            errors["connection"] = [f"Name a connection of SOURCE_DATABASES ({declared})."]
        if not source.query.strip():
            errors["query"] = ["Write the query that returns period and value."]
        else:
            try:
                check_query(source.query)
            except FetchError as error:
                errors["query"] = [str(error)]
    elif source.kind == DataSource.Kind.HTTP:
        try:
            check_url(source.url)
        except FetchError as error:
            errors["url"] = [str(error)]
        if source.format not in DataSource.Format.values:
            errors["format"] = ["Say the document's format: csv, xlsx or json."]
    if source.token_env and not TOKEN_VARIABLE.match(source.token_env):
        errors["token_env"] = [TOKEN_RULE]
    if source.interval_minutes < 1:
        errors["interval_minutes"] = ["At least one minute."]
    if errors:
        raise ValidationError(errors)


@service
def data_source_create(*, acting: Actor, measure: Measure, name: str, kind: str, **fields):
    """A measure gets a source; from now on its values come from it alone."""
    source = DataSource(measure=measure, name=name, kind=kind, created_by=acting, **fields)
    refuse_unless(acting, Action.ADD, source)
    if DataSource.objects.filter(measure=measure).exists():
        raise ValidationError({"measure": ["This measure already has a data source."]})
    check_source(source)
    validated_save(source)
    changed_nothing()  # the measure's values move when it is read (`source_rows_write`)
    if measure.values_from != Measure.ValuesFrom.SOURCE:
        measure_update(acting=acting, measure=measure, values_from=Measure.ValuesFrom.SOURCE)
    return source


@service
def data_source_update(*, acting: Actor, source: DataSource, **changes) -> DataSource:
    refuse_unless(acting, Action.CHANGE, source)
    if "measure" in changes:
        raise ValidationError({"measure": ["A source stays with its measure."]})
    changed_nothing()  # the measure's values move when it is read (`source_rows_write`)
    return apply_changes(source, changes, check=check_source)


@service
def data_source_delete(*, acting: Actor, source: DataSource) -> None:
    """The measure goes back to values typed by people; its values stay."""
    refuse_unless(acting, Action.DELETE, source)
    measure = source.measure
    source.delete()
    measure_update(acting=acting, measure=measure, values_from=Measure.ValuesFrom.PEOPLE)


@service
def source_rows_write(*, acting: Actor, source: DataSource, checked: Checked) -> Checked:
    """Write the accepted rows in one transaction, each through the measure value service
    (in a savepoint: one refused by a rule of the measure is refused alone); unchanged
    values are not rewritten. Returns `checked` with those refusals added."""
    measure = (
        Measure.objects.select_related("objective__scorecard")
        .prefetch_related("formula_outputs")
        .get(pk=source.measure_id)
    )
    if measure.values_from != Measure.ValuesFrom.SOURCE:
        raise ValidationError(
            {"measure": [f"“{measure}” no longer takes its values from a source."]}
        )
    changed_nothing()  # the values it writes name their measure (`org.changes`)
    stored = {v.period: v for v in MeasureValue.objects.filter(measure=measure)}
    written = []
    for start, actual in sorted(checked.accepted.items()):
        old = stored.get(start)
        if old is not None and old.actual == actual:
            continue  # the source agrees with what is stored: nothing to write
        if old is not None and period_locked(measure, start):
            reason = f"{start:%Y-%m} locked on {locks_on(measure, start):%Y-%m-%d}"
            refuse_accepted(checked, start, actual, reason)
            continue
        try:
            with transaction.atomic():
                written.append(write_row(source, measure, start, actual))
        except ValidationError as error:
            refuse_accepted(checked, start, actual, "; ".join(error.messages))
    if written:
        rollup.after_measure_change(measure)
        for value, created in written:
            events.measure_value_recorded(value, measure, created)
    return checked


def write_row(source, measure, start: date, actual: float) -> tuple[MeasureValue, bool]:
    return measure_value_write(
        measure=measure,
        period=start,
        actual=actual,
        comment=f"From the data source “{source.name}”",
        author=None,
        via=MeasureValue.EnteredVia.SOURCE,
        source=source,
    )


def refuse_accepted(checked: Checked, start: date, actual: float, reason: str) -> None:
    del checked.accepted[start]
    checked.refuse(checked.row_of.get(start, 0), start, actual, reason)
    checked.refusals.sort(key=lambda refusal: refusal["row"])
