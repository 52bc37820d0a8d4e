"""Who must set up a second factor before they see anything: the admins, the strategy office,
both or neither, as an admin sets it on its page. Until then SECOND_FACTOR_REQUIRED_ROLES
says (the installation's default); `web.middleware.SecondFactorMiddleware` obeys it.

Read only for a signed-in admin or strategy-office member who has no second factor (one
small query on their requests until they set one up); nobody else's request asks."""

from django.conf import settings
from django.core.exceptions import ValidationError

from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed_nothing
from lodestar.org.models import Person, SecondFactorPolicy
from lodestar.org.permissions import Action, require

# The roles it may be asked of: those that change the organisation's people and strategy.
POLICY_ROLES = (Person.Role.ADMIN, Person.Role.STRATEGY_OFFICE)


def second_factor_required_roles() -> list[str]:
    stored = SecondFactorPolicy.objects.values_list("roles", flat=True).first()
    return list(settings.SECOND_FACTOR_REQUIRED_ROLES) if stored is None else list(stored)


def second_factor_required(person: Person) -> bool:
    if person.role not in POLICY_ROLES and person.role not in settings.SECOND_FACTOR_REQUIRED_ROLES:
        return False
    return person.role in second_factor_required_roles()


@service
def second_factor_policy_set(*, acting: Actor, roles: list[str]) -> SecondFactorPolicy:
    require(acting, Action.CHANGE, SecondFactorPolicy())
    unknown = [role for role in roles if role not in POLICY_ROLES]
    if unknown:
        names = ", ".join(Person.Role(role).label for role in POLICY_ROLES)
        raise ValidationError(
            {"roles": [f"A second factor is required of {names} only, not “{unknown[0]}”."]}
        )
    policy = SecondFactorPolicy.objects.first() or SecondFactorPolicy()
    policy.roles = [role for role in POLICY_ROLES if role in roles]
    policy.save()
    changed_nothing()  # who must sign in with a second factor: no kept figure reads it
    return policy
