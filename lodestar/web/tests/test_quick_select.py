"""QuickSelect writes the same <select> as Django's own widget, only faster."""

import re

from django import forms

from lodestar.web.forms import QuickSelect

CHOICES = [("", "Any unit"), ("1", "Sales & Marketing"), ("Group", [("2", "<Two>"), ("3", "3")])]


def markup(widget, value) -> str:
    html = widget.render("unit", value, {"id": "id_unit", "required": True})
    return re.sub(r">\s+<", "><", html.strip())


def test_it_writes_the_markup_of_djangos_select_with_the_choice_selected():
    for value in ("", "1", "2", None):
        ours = markup(QuickSelect(choices=CHOICES), value)
        assert ours == markup(forms.Select(choices=CHOICES), value)
    assert '<option value="2" selected>&lt;Two&gt;</option>' in markup(
        QuickSelect(choices=CHOICES), "2"
    )
