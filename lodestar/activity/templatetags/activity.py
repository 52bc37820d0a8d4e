"""`{% follow_switch obj %}`: the Follow / Following button on an object's page."""

from django import template
from django.urls import reverse

from lodestar.activity.selectors import followable_of, is_following

register = template.Library()


@register.inclusion_tag("activity/follow_switch.html", takes_context=True)
def follow_switch(context, target):
    request = context["request"]
    followable = followable_of(target)
    return {
        "csrf_token": context.get("csrf_token"),
        "following": is_following(request.user, target),
        "action": reverse(f"{followable.page}-follow", args=[target.pk]),
        "next": request.get_full_path(),
    }
