"""A second factor at sign-in, through django-otp: a time-based code from an authenticator
app (TOTP, RFC 6238), passkeys (WebAuthn, django-otp-webauthn's devices) and ten one-time
recovery codes that stand in for either. A person sets them up and removes them themselves;
an admin may remove someone's (a lost phone). `SECOND_FACTOR_REQUIRED_ROLES` names the roles
that must have one before they see anything (web.middleware): a passkey satisfies it."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from lodestar.org.acting import personal_service
from lodestar.org.models import Person
from lodestar.org.permissions import Action, can

APP = "authenticator app"
RECOVERY = "recovery codes"
RECOVERY_CODES = 10
PASSKEY = "Passkey"
PASSKEY_NAME_LENGTH = 64  # django-otp's Device.name
WRONG_CODE = "This code is not right (or was already used). Codes change every 30 seconds."


def has_second_factor(person: Person) -> bool:
    return user_has_device(person, confirmed=True)


@dataclass(frozen=True)
class Passkey:
    pk: int
    name: str
    added: datetime
    last_used: datetime | None


@dataclass(frozen=True)
class SecondFactors:
    """What one person signs in with after their password: the second-factor page's list."""

    app: bool
    passkeys: list[Passkey]
    recovery_codes_left: int

    @property
    def any(self) -> bool:
        return self.app or bool(self.passkeys)


def second_factors_of(person: Person) -> SecondFactors:
    passkeys = WebAuthnCredential.objects.filter(user=person, confirmed=True).order_by("pk")
    return SecondFactors(
        app=TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
        passkeys=[Passkey(k.pk, k.name, k.created_at, k.last_used_at) for k in passkeys],
        recovery_codes_left=StaticToken.objects.filter(device__user=person).count(),
    )


def _recovery_codes_make(person: Person) -> list[str]:
    """Ten new codes in place of any earlier ones."""
    StaticDevice.objects.filter(user=person).delete()
    recovery = StaticDevice.objects.create(user=person, name=RECOVERY)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


def _recovery_codes_drop_if_alone(person: Person) -> None:
    """Recovery codes stand in for an app or a passkey; alone they would be a password."""
    app = TOTPDevice.objects.filter(user=person, confirmed=True).exists()
    if not app and not WebAuthnCredential.objects.filter(user=person).exists():
        StaticDevice.objects.filter(user=person).delete()


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
    return _recovery_codes_make(acting)


@personal_service
def authenticator_remove(*, acting: Person) -> None:
    """One's authenticator app; the recovery codes go with it unless a passkey stays."""
    TOTPDevice.objects.filter(user=acting).delete()
    _recovery_codes_drop_if_alone(acting)


def passkey_name_check(name: str) -> str:
    """The name a passkey will be kept under (chosen before the browser makes it)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": ["Name the passkey, e.g. “Work laptop” or “Phone”."]})
    if len(name) > PASSKEY_NAME_LENGTH:
        limit = PASSKEY_NAME_LENGTH
        raise ValidationError({"name": [f"A passkey's name has at most {limit} characters."]})
    return name


@personal_service
def passkey_recovery_codes(*, acting: Person) -> list[str]:
    """After a passkey was added: recovery codes, if the person has none yet (their first
    second factor), shown once; none otherwise."""
    if StaticDevice.objects.filter(user=acting).exists():
        return []
    return _recovery_codes_make(acting)


@personal_service
def passkey_remove(*, acting: Person, passkey_id: int) -> str:
    """One of one's own passkeys; answers its name. Another's is as if it did not exist."""
    passkey = WebAuthnCredential.objects.filter(user=acting, pk=passkey_id).first()
    if passkey is None:
        raise ValidationError({"passkey": [f"You have no passkey with id {passkey_id}."]})
    passkey.delete()
    _recovery_codes_drop_if_alone(acting)
    return passkey.name


@personal_service
def second_factor_remove(*, acting: Person, person: Person) -> None:
    """All of it, one's own or anyone's by an admin (who may change people)."""
    if acting.pk != person.pk and not can(acting, Action.CHANGE, Person()):
        raise PermissionDenied("Only an admin removes someone else's second factor.")
    TOTPDevice.objects.filter(user=person).delete()
    WebAuthnCredential.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
