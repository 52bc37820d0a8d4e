"""Webhook subscriptions and their delivery log (admins only)."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import AnyHttpUrl, Field

from lodestar.api.crud import (
    ERRORS,
    Entity,
    Id,
    NewestFirstPagination,
    Text,
    Version,
    register,
)
from lodestar.api.enums import DeliveryStatus, WebhookEvent
from lodestar.notify.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from lodestar.notify.services import webhook_subscription_create, webhook_subscription_update
from lodestar.org.models import Person
from lodestar.org.permissions import Action, reader_for, require

router = Router(tags=["webhooks"])


class SubscriptionOut(Schema):
    id: int
    version: Version
    name: str
    url: str
    events: list[WebhookEvent]
    secret: str = Field(description="Key of the X-Lodestar-Signature HMAC-SHA256.")
    active: bool
    created_at: datetime


class SubscriptionIn(Schema):
    name: Text(100)
    url: AnyHttpUrl
    events: list[WebhookEvent] = Field(min_length=1, max_length=len(WebhookEvent))


class SubscriptionPatch(Schema):
    name: Text(100) = None
    url: AnyHttpUrl = None
    events: list[WebhookEvent] = Field(None, min_length=1, max_length=len(WebhookEvent))
    active: bool = None


class SubscriptionFilters(FilterSchema):
    active: bool | None = None


def admins_only(person: Person):
    if reader_for(person).is_admin:
        return WebhookSubscription.objects.all()
    return WebhookSubscription.objects.none()


def create_subscription(person: Person, fields: dict) -> WebhookSubscription:
    require(person, Action.ADD, WebhookSubscription())
    fields["url"] = str(fields["url"])
    return webhook_subscription_create(acting=person, created_by=person, **fields)


def change_subscription(person: Person, subscription, fields: dict) -> WebhookSubscription:
    if fields.get("url") is not None:
        fields["url"] = str(fields["url"])
    return webhook_subscription_update(acting=person, subscription=subscription, **fields)


subscriptions = Entity(
    model=WebhookSubscription,
    path="webhooks",
    out=SubscriptionOut,
    filters=SubscriptionFilters,
    visible=admins_only,
    create_in=SubscriptionIn,
    update_in=SubscriptionPatch,
    create=create_subscription,
    update=change_subscription,
    delete=lambda person, subscription: subscription.delete(),
)
register(router, subscriptions)


class AttemptOut(Schema):
    at: datetime
    response_status: int | None
    error: str
    duration_ms: int


class DeliveryOut(Schema):
    id: int
    event: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None
    body: str
    log: list[AttemptOut]

    @staticmethod
    def resolve_log(obj: WebhookDelivery) -> list[WebhookAttempt]:
        return list(obj.log.all())


class DeliveryFilters(FilterSchema):
    status: DeliveryStatus | None = None
    event: Annotated[WebhookEvent | None, FilterLookup("event")] = None


@router.get(
    "/webhooks/{id}/deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    operation_id="webhook_deliveries",
    summary="The delivery log of a subscription, newest first",
)
@paginate(NewestFirstPagination)
def deliveries(request: HttpRequest, id: Id, filters: Query[DeliveryFilters]):
    """Every event sent to the subscription: its body, status, attempts and each attempt's
    answer; filter by `status` or `event`."""
    subscription = subscriptions.get(request.auth, id)
    rows = subscription.deliveries.prefetch_related("log")
    return filters.filter(rows)
