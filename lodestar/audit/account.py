"""What happens at the front door, in the person's history beside the changes to them: every
sign-in (by password, passkey or single sign-on) and refused attempt, an SSO identity linked
or unlinked, an invitation accepted. Each entry keeps from where (address and browser,
`lodestar.audit.origin`).

A sign-in is an "access" entry (django-auditlog's ACCESS action): the object history pages
read only creations, changes and deletions, so nobody's sign-ins show on their person page;
an admin reads them on the people's history page, a person their own on their sessions
page (`lodestar.audit.front_door`). The others are changes of the person, as an invitation
sent is (`org.services.note_in_history`).
"""

from auditlog.models import LogEntry

from lodestar.audit.origin import current_origin
from lodestar.org.models import Person

EVENT = "event"
METHOD = "method"
SIGNED_IN = "signed in"
REFUSED = "sign-in refused"
PASSWORD, PASSKEY, SSO = "password", "passkey", "single sign-on"
SSO_IDENTITY = "single sign-on identity"


def method_of(request, user) -> str:
    if request is not None and request.path.startswith("/sso/"):
        return SSO
    if "webauthn" in getattr(user, "backend", "").lower():
        return PASSKEY
    return PASSWORD


def access_logged(person: Person, event: str, *, actor: Person | None, **data) -> LogEntry:
    return LogEntry.objects.log_create(
        person,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        remote_addr=current_origin.get().address,
        additional_data={EVENT: event, **data},
    )


def person_noted(person: Person, what: str, happened: str, *, actor: Person | None) -> None:
    """A change of the person with no field of theirs, from where the request came."""
    LogEntry.objects.log_create(
        person,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={what: [None, happened]},
        actor=actor,
        remote_addr=current_origin.get().address,
    )


def signed_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: one entry, one INSERT."""
    access_logged(user, SIGNED_IN, actor=user, **{METHOD: method_of(request, user)})


def sign_in_refused(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed: kept for a person who exists (a wrong password, a locked pair);
    a user name nobody has names nobody's history."""
    username = (credentials or {}).get("username") or ""
    person = Person.objects.filter(username=username).first() if username else None
    if person is not None:
        access_logged(person, REFUSED, actor=None)


def identity_linked(sender, instance, created, **kwargs) -> None:
    """post_save of allauth's SocialAccount: a person's SSO identity, linked."""
    if created and not kwargs.get("raw"):
        happened = f"linked ({instance.provider} {instance.uid})"
        person_noted(instance.user, SSO_IDENTITY, happened, actor=instance.user)


def identity_unlinked(sender, instance, **kwargs) -> None:
    person = Person.objects.filter(pk=instance.user_id).first()
    if person is not None:
        happened = f"unlinked ({instance.provider} {instance.uid})"
        person_noted(person, SSO_IDENTITY, happened, actor=None)


def invitation_accepted(person: Person) -> None:
    person_noted(person, "invitation", "accepted", actor=person)
