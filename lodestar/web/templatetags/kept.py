"""`{% figures_as_of %}`: on a page that shows kept figures (`insights.kept`), when the
oldest of them was computed ("Figures as of 09:14:05"): after a write they may be served
while their new value is computed, for at most INSIGHTS_MAX_AGE_SECONDS."""

from django import template

register = template.Library()


@register.inclusion_tag("web/_as_of.html", takes_context=True)
def figures_as_of(context) -> dict:
    request = context.get("request")
    reader = getattr(request, "reader", None)
    return {"as_of": getattr(reader, "kept_as_of", None)}
