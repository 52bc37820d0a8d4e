"""Finding 4 on the page: /settings/notifications/ refuses a webhook URL inside this
machine or the private network, beside the field, for a member's own channel and a unit's."""

from lodestar.notify.models import NotificationPreference, UnitChannel


def test_the_settings_page_refuses_an_address_inside_the_network(world, signed_in, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []  # as installed: no local receiver allowed
    member = signed_in(world.member)
    body = {"channel": "slack", "weekday": "2", "webhook_url": "http://127.0.0.1:8299/x"}
    refused = member.post("/settings/notifications/", body)
    assert refused.status_code == 400
    assert "The address of 127.0.0.1 is this machine itself (loopback) and not allowed." in (
        refused.content.decode()
    )
    assert not NotificationPreference.objects.exists()
    lead = signed_in(world.lead)
    unit = {"unit": world.sales.pk, "slack_url": "", "teams_url": "http://10.0.0.1:5432/"}
    refused = lead.post("/settings/notifications/", unit)
    assert refused.status_code == 400
    assert "is inside the private network and not allowed" in refused.content.decode()
    assert not UnitChannel.objects.exists()
