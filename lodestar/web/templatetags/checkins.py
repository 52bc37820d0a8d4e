"""What a check-in form asks of a key result, for the pages that write it by hand."""

from django import template

from lodestar.okrs.models import KeyResult
from lodestar.web.forms import okrs

register = template.Library()


@register.filter
def asks_done(key_result: KeyResult) -> bool:
    return okrs.asks_done(key_result)
