"""Forms of the people and unit management pages: fields and types only; the rules are
the services' (`lodestar.org.services`)."""

from django import forms

from lodestar.org.invitations import read_rows
from lodestar.org.models import Membership, Person, Unit
from lodestar.web.forms import (
    BoundedForm,
    IdChoiceField,
    IdMultipleChoiceField,
    ServiceForm,
    people_choices,
)

# A pasted list or an uploaded file of people: a first wave, not a directory.
MAX_LIST_BYTES = 1_000_000


class InviteForm(BoundedForm):
    email = forms.EmailField(label="E-mail", max_length=254)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Person.Role.choices, initial=Person.Role.MEMBER)
    units = IdMultipleChoiceField(queryset=Unit.objects.all(), required=False)
    unit_role = forms.ChoiceField(
        label="Role in those units", choices=Membership.Role.choices, initial="member"
    )
    manager = IdChoiceField(queryset=people_choices(), required=False)


class InviteManyForm(BoundedForm):
    people = forms.CharField(
        label="People, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=MAX_LIST_BYTES,
        help_text="e-mail, first name, last name, role, unit: separated by commas, "
        "semicolons or tabs; a header line may name the columns in another order.",
    )
    file = forms.FileField(label="Or a CSV file", required=False)

    def rows(self) -> list[dict[str, str]]:
        """The rows of the upload, else of the pasted text."""
        upload = self.cleaned_data.get("file")
        if upload is None:
            return read_rows(self.cleaned_data.get("people", ""))
        if upload.size > MAX_LIST_BYTES:
            raise forms.ValidationError({"file": ["The file is over 1 MB: split it."]})
        try:
            return read_rows(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(
                {"file": ["Save the file as CSV in UTF-8, then try again."]}
            ) from None


class PersonForm(ServiceForm):
    model = Person
    model_fields = ("first_name", "last_name", "email", "role", "manager")
    units = IdMultipleChoiceField(queryset=Unit.objects.all(), required=False)
    unit_role = forms.ChoiceField(
        label="Role in units added", choices=Membership.Role.choices, initial="member"
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = people_choices(person.manager).exclude(pk=person.pk)

    def changes(self) -> dict:
        changed = super().changes()
        changed.pop("unit_role", None)
        units = changed.pop("units", None)
        if units is not None:
            changed["units"] = list(units)
            changed["unit_role"] = self.cleaned_data["unit_role"]
        return changed


class DeactivateForm(BoundedForm):
    hand_over = forms.BooleanField(
        label="Hand their key results of open cycles to their manager",
        required=False,
        help_text="They will no longer sign in or use their API tokens; nothing of theirs is "
        "deleted, and they can be reactivated.",
    )


class UnitForm(ServiceForm):
    model = Unit
    model_fields = ("name", "kind", "parent")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].required = False  # the company has none
        self.fields["parent"].help_text = "Move it by choosing another parent."


class UnitCloseForm(BoundedForm):
    move_to = IdChoiceField(
        label="Move its scorecards and OKRs to",
        queryset=Unit.objects.all(),
        required=False,
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_to"].queryset = Unit.objects.exclude(pk=unit.pk)


class UnitLeadForm(BoundedForm):
    person = IdChoiceField(label="Lead", queryset=people_choices())
