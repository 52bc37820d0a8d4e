"""Assertions shared by the form page tests: a field has its caption, an error sits
beside its field (in the field's own error list, which the field points at), and a
page's query count."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def error_beside(response, field: str) -> str:
    """The text of the error list beside `field`; fails unless the field's widget is
    marked invalid and described by that list."""
    assert response.status_code == 400, response.status_code
    html = response.content.decode()
    errors = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert errors, f"no error list beside {field}"
    # A list of ticks: each tick is invalid, their fieldset is described by the errors.
    fieldset = re.search(rf'<fieldset class="field" id="id_{field}_fieldset"[^>]*>', html)
    if fieldset:
        widgets = re.findall(rf'<input type="checkbox" name="{field}"[^>]*>', html)
        described = fieldset.group(0)
    else:
        widgets = [
            tag
            for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
            if f'id="id_{field}"' in tag
        ][:1]
        assert widgets, f"no widget of {field}"
        described = widgets[0]
    assert all('aria-invalid="true"' in widget for widget in widgets)
    assert re.search(rf'aria-describedby="[^"]*\bid_{field}_error\b', described)
    return errors.group(1)


def labelled(html: str, field: str) -> bool:
    """A field's caption: a label pointing at its widget, or for a list of ticks the
    legend of the fieldset holding them."""
    if f'<label for="id_{field}">' in html:
        return True
    fieldset = re.search(rf'<fieldset class="field" id="id_{field}_fieldset">\s*<legend>', html)
    return bool(fieldset) and f'id="id_{field}"' in html


def page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)
