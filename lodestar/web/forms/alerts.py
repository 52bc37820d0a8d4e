"""The form behind the dashboard's and unit page's snooze buttons."""

from django import forms

from lodestar.insights.snoozes import SNOOZE_LENGTHS
from lodestar.org.models import Unit
from lodestar.web.forms import BoundedForm, IdChoiceField


class SnoozeForm(BoundedForm):
    group = forms.CharField(max_length=120)
    unit = IdChoiceField(queryset=Unit.objects.all(), required=False)
    length = forms.ChoiceField(choices=[(name, name) for name in SNOOZE_LENGTHS], required=False)
