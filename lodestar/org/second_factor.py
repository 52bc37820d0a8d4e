"""A second factor at sign-in: a time-based code from an authenticator app (TOTP, RFC 6238)
with ten one-time recovery codes, through django-otp. A person sets it up and removes it
themselves; an admin may remove someone's (a lost phone). `SECOND_FACTOR_REQUIRED_ROLES`
names the roles that must have one before they see anything (web.middleware)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lodestar.org.acting import personal_service
from lodestar.org.models import Person
from lodestar.org.permissions import Action, can

APP = "authenticator app"
RECOVERY = "recovery codes"
RECOVERY_CODES = 10
WRONG_CODE = "This code is not right (or was already used). Codes change every 30 seconds."


def has_second_factor(person: Person) -> bool:
    return user_has_device(person, confirmed=True)


@personal_service
def authenticator_start(*, acting: Person) -> TOTPDevice:
    """A new secret to scan, not yet in force: it counts once a code from it is given."""
    TOTPDevice.objects.filter(user=acting, confirmed=False).delete()
    return TOTPDevice.objects.create(user=acting, name=APP, confirmed=False)


@personal_service
def authenticator_confirm(*, acting: Person, code: str) -> list[str]:
    """The second factor in force from now on; answers the recovery codes, shown once."""
    device = TOTPDevice.objects.filter(user=acting, confirmed=False).first()
    if device is None:
        raise ValidationError({"code": ["Start again: scan a new code first."]})
    if not device.verify_token(code.strip()):
        raise ValidationError({"code": [WRONG_CODE]})
    TOTPDevice.objects.filter(user=acting, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=acting).delete()
    recovery = StaticDevice.objects.create(user=acting, name=RECOVERY)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


@personal_service
def second_factor_remove(*, acting: Person, person: Person) -> None:
    """One's own, or anyone's by an admin (who may change people)."""
    if acting.pk != person.pk and not can(acting, Action.CHANGE, Person()):
        raise PermissionDenied("Only an admin removes someone else's second factor.")
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
