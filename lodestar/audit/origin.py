"""From where a change came: the client's address and browser, and the identity provider's
SCIM client when it is one, kept with every history entry written while a request runs.

The middleware notes them for the request; `lodestar.org.acting.service` hands the address
to django-auditlog's actor context (its `remote_addr` column), and `note_origin`, run before
each entry is saved, keeps the browser and the SCIM client in the entry's additional data.
The address is read as the sign-in throttle reads it (django-axes through django-ipware,
with TRUSTED_PROXY_COUNT), so behind proxies it is the client's, never the proxy's.
"""

from contextvars import ContextVar
from dataclasses import dataclass, replace

from axes.helpers import get_client_ip_address

USER_AGENT = "user_agent"  # where an entry keeps the browser it came from
VIA = "via"  # where an entry keeps the SCIM client (identity provider) that sent it
USER_AGENT_LENGTH = 300


@dataclass(frozen=True)
class Origin:
    address: str | None = None
    user_agent: str = ""
    via: str = ""  # e.g. "SCIM client Okta (ls_ab12…)": the installation acting for it


NOWHERE = Origin()
current_origin: ContextVar[Origin] = ContextVar("origin", default=NOWHERE)


def origin_of(request) -> Origin:
    agent = request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH]
    return Origin(address=get_client_ip_address(request), user_agent=agent)


def acting_via(via: str) -> None:
    """The rest of this request acts for `via` (a SCIM client): its changes say so."""
    current_origin.set(replace(current_origin.get(), via=via))


class OriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_origin.set(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)


def note_origin(sender, instance, **kwargs) -> None:
    """pre_save of auditlog's LogEntry: the browser and the SCIM client beside the address
    (no query: the entry is being written anyway)."""
    origin = current_origin.get()
    extra = {USER_AGENT: origin.user_agent, VIA: origin.via}
    extra = {key: value for key, value in extra.items() if value}
    if instance.pk is None and extra:
        instance.additional_data = {**(instance.additional_data or {}), **extra}


def device_of(user_agent: str) -> str:
    """A browser in words, "Chrome 131 on Mac OS X" (ua-parser, a kept port of the
    Browserscope rules); what it cannot read, as sent."""
    if not user_agent:
        return "Unknown browser"
    from ua_parser import parse  # its rules load once, on the first page that shows one

    found = parse(user_agent)
    if found.user_agent is None:
        return user_agent[:80]
    browser = " ".join(p for p in (found.user_agent.family, found.user_agent.major) if p)
    system = found.os.family if found.os is not None and found.os.family != "Other" else ""
    return f"{browser} on {system}" if system else browser
