"""Forms of the web app render fields and check types only. Every write goes through a
service (`lodestar/*/services.py`); its ValidationError, keyed by field, lands beside
that field here, so a domain rule is written once for pages, API and commands.

Every form is a `BoundedForm` and picks objects with `IdChoiceField` /
`IdMultipleChoiceField`: the bound of `lodestar.validation` (numbers, text, ids) is
checked beside each field before any service or query sees the input.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from lodestar.org.models import Person
from lodestar.validation import ConflictError, check_number, check_text, is_versioned, parse_id

T = TypeVar("T")
VERSION = "version"


def _impossible_id(value) -> bool:
    """Typed ids (model instances, as tests and initial values pass them, are fine)."""
    return isinstance(value, (str, int)) and parse_id(value) is None


class QuickSelect(forms.Select):
    """Django's <select>, its options written in one pass. Django renders every option
    through a template of its own, a fifth of a second for a company's 1,000 units."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _ in widget["optgroups"]:
            written = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options),
            )
            if group:
                written = format_html('<optgroup label="{}">{}</optgroup>', group, written)
            parts.append(written)
        options = mark_safe("".join(parts))  # each part was escaped by format_html
        attributes = flatatt(widget["attrs"])
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)


class IdChoiceField(forms.ModelChoiceField):
    """An object picked by id; an id that cannot exist (2**64, -1, "x") is refused as
    an unknown choice without a query."""

    widget = QuickSelect

    def to_python(self, value):
        if _impossible_id(value) and value not in self.empty_values:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Objects picked by id; Django's own `pk__in` query would overflow on SQLite."""

    def clean(self, value):
        for chosen in value if isinstance(value, (list, tuple)) else ():
            if _impossible_id(chosen):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(chosen)[:20]},
                )
        return super().clean(value)


class BoundedForm(forms.Form):
    """Numbers within the bound (negative zero becomes zero) and text without NUL or
    lone surrogates, each refusal beside its field."""

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            try:
                if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                    cleaned[name] = check_number(value)
                elif isinstance(value, str):
                    check_text(value)
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned


def _form_field(db_field: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(db_field, models.DateField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    elif isinstance(db_field, models.ManyToManyField):
        kwargs["form_class"] = IdMultipleChoiceField
    elif isinstance(db_field, models.ForeignKey):
        kwargs["form_class"] = IdChoiceField
    return db_field.formfield(**kwargs)


class ServiceForm(BoundedForm):
    """Fields copied from `model` (its labels, help texts, choices, lengths) by name in
    `model_fields`, plus any declared on the subclass; subclasses narrow the choices."""

    model: type[models.Model]
    model_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        copied = forms.fields_for_model(
            self.model, fields=self.model_fields, formfield_callback=_form_field
        )
        self.fields = {**copied, **self.fields}
        if VERSION in self.initial:
            # An edit form (see initial_from) carries the version the person read: an
            # edit of an object changed since is refused (409) instead of overwriting it.
            self.fields[VERSION] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=1
            )

    @classmethod
    def initial_from(cls, instance: models.Model) -> dict:
        """An edit form's starting values: the instance's own, with its version."""
        initial = forms.model_to_dict(instance, fields=cls.model_fields)
        if is_versioned(cls.model):
            initial[VERSION] = instance.version
        return initial

    def changes(self) -> dict:
        """The fields the person changed, for the services' PATCH-like updates, and the
        version they were read at (`expected_version`) when the model has one."""
        changed = {name: self.cleaned_data[name] for name in self.changed_data if name != VERSION}
        if self.cleaned_data.get(VERSION) is not None:
            changed["expected_version"] = self.cleaned_data[VERSION]
        return changed


def run_service(form: forms.Form, write: Callable[[], T]) -> T | None:
    """Run a service write. When it refuses, put each message beside its field (above
    the form when the form has no such field, or when the object changed since the form
    was read) and answer None: nothing was written, since every service is atomic."""
    try:
        return write()
    except ConflictError as error:
        form.stale = True  # the page answers 409 Conflict
        form.add_error(None, error.messages)
        return None
    except ValidationError as error:
        for field, messages in _messages_by_field(error).items():
            known = field in form.fields and field != NON_FIELD_ERRORS
            form.add_error(field if known else None, messages)
        return None


def _messages_by_field(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return dict(error)  # field -> its messages
    return {NON_FIELD_ERRORS: error.messages}


def people_choices(current: Person | None = None) -> QuerySet[Person]:
    """Active people, plus the one already chosen (an owner who has since left)."""
    keep = Q(pk=current.pk) if current is not None else Q(pk__in=[])
    return Person.objects.filter(Q(is_active=True) | keep)
