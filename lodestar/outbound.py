"""The one gate for every call Lodestar makes to another server: HTTP data sources, Slack,
Teams and webhook deliveries, and anything added later.

A URL is parsed once, here, and nothing else reads it again: a URL that parsers disagree
about (a backslash, a user name before `@`, spaces or control characters) is refused. The
host is resolved once; every address it resolves to must be public (not loopback,
private, link-local, multicast, reserved or unspecified, IPv4-mapped IPv6 included),
unless the operator allowed the host by name (OUTBOUND_ALLOWED_HOSTS) or the address's
range (OUTBOUND_ALLOWED_NETWORKS). The connection goes to the address that was checked
(no second lookup), with the Host header and the TLS name and certificate check of the
name; redirects are never followed, the answer is read up to a size and a time limit.

Every failure is an OutboundError in a few words a person can act on ("the source
answered 404", "could not connect to example.com"): never a response body, and every
failure to get an answer is the same "could not connect", whatever the port did.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
CHUNK = 64 * 1024


class OutboundError(Exception):
    """Why a call was refused or failed, safe to show and store; `status` when the server
    answered."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (addresses) and what to ask for (host, path)."""

    scheme: str
    host: str  # as the Host header and TLS name want it, lower case, IDNA
    port: int
    path: str  # path and query
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return name if self.port == default else f"{name}:{self.port}"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def allowed_hosts() -> set[str]:
    return {normal(name) for name in settings.OUTBOUND_ALLOWED_HOSTS}


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net, strict=False) for net in settings.OUTBOUND_ALLOWED_NETWORKS]


def normal(host: str) -> str:
    """One spelling of a host name: lower case, without the root's trailing dot."""
    return host.strip().lower().rstrip(".")


def parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of a URL every parser reads the same way, or refused."""
    if any(ch == "\\" or ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise OutboundError("The URL may not contain spaces, backslashes or control characters.")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise OutboundError("The URL must start with http:// or https://.")
    if "@" in parts.netloc:
        raise OutboundError("The URL may not contain a user name or password (before an @).")
    if not parts.hostname:
        raise OutboundError("The URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = parts.hostname
        host = host if host.isascii() else host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        raise OutboundError(f"The URL's host or port is not valid: {parts.netloc[:100]}.") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host.lower(), port, path


def resolve(host: str, port: int) -> tuple[str, ...]:
    # "localhost" and its subdomains are this machine, whatever a resolver says (RFC 6761).
    if normal(host) == "localhost" or normal(host).endswith(".localhost"):
        return ("127.0.0.1",)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise OutboundError(f"Could not find the address of {host}.") from None
    addresses = tuple(dict.fromkeys(str(info[4][0]).split("%")[0] for info in found))
    if not addresses:
        raise OutboundError(f"Could not find the address of {host}.")
    return addresses


def embedded_ipv4(ip: IP) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), which is where it goes."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def kind_of(ip: IP) -> str | None:
    """Why this address is not a public one, or None when it is."""
    inner = embedded_ipv4(ip)
    if inner is not None and (reason := kind_of(inner)):
        return reason
    if ip.is_loopback:
        return "this machine itself (loopback)"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link-local (where cloud metadata services answer)"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "inside the private network"
    if ip.is_reserved or not ip.is_global:
        return "reserved (not a public address)"
    return None


def check(url: str) -> Target:
    """The URL's target, once every address of its host is one Lodestar may call."""
    scheme, host, port, path = parse(url)
    addresses = resolve(host, port)
    if normal(host) not in allowed_hosts():
        networks = allowed_networks()
        for address in addresses:
            ip = ipaddress.ip_address(address)
            reason = kind_of(ip)
            if reason and not any(ip in net for net in networks if net.version == ip.version):
                raise OutboundError(f"The address of {host} is {reason} and not allowed.")
    return Target(scheme, host, port, path, addresses)


def validate(url: str, field: str) -> None:
    """For a URL being saved: a ValidationError on `field` when the gate would refuse it
    now. It is checked again at each call, since what a name resolves to can change."""
    try:
        check(url)
    except OutboundError as error:
        raise ValidationError({field: [str(error)]}) from None


def pool_for(target: Target, address: str, timeout: float) -> urllib3.HTTPConnectionPool:
    """A connection to `address` that speaks to `target.host`: TLS checks the certificate
    against the name, never against the address it was given."""
    common = {"port": target.port, "timeout": urllib3.Timeout(timeout), "retries": False}
    if target.scheme == "http":
        return urllib3.HTTPConnectionPool(address, **common)
    is_name = not _is_ip(target.host)
    return urllib3.HTTPSConnectionPool(
        address,
        cert_reqs="CERT_REQUIRED",
        ca_certs=settings.OUTBOUND_CA_BUNDLE or certifi.where(),
        server_hostname=target.host if is_name else None,
        assert_hostname=target.host,
        **common,
    )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def send(
    method: str,
    url: str,
    *,
    who: str,
    timeout: float,
    max_bytes: int = CHUNK,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """Call `url` through the gate and read at most `max_bytes` of a 2xx answer within
    `timeout` seconds. `who` names the other side in errors ("The source", "Slack")."""
    target = check(url)
    deadline = time.monotonic() + timeout
    response = pool = None
    for address in target.addresses:
        pool = pool_for(target, address, timeout)
        try:
            response = pool.urlopen(
                method,
                target.path,
                body=body,
                headers={**(headers or {}), "Host": target.host_header},
                redirect=False,
                assert_same_host=False,
                preload_content=False,
            )
            break
        except urllib3.exceptions.ReadTimeoutError:
            pool.close()
            raise OutboundError(f"{target.host} did not answer within {timeout:g} s.") from None
        except urllib3.exceptions.HTTPError:
            pool.close()
            continue  # the next address, if the name has more than one
    if response is None:
        raise OutboundError(f"Could not connect to {target.host}.")
    try:
        return Answer(response.status, read(response, target, who, max_bytes, deadline))
    finally:
        response.release_conn()
        pool.close()


def read(response, target: Target, who: str, max_bytes: int, deadline: float) -> bytes:
    status = response.status
    if 300 <= status < 400:
        raise OutboundError(f"{who} answered {status}, a redirect (never followed).", status)
    if not 200 <= status < 300:
        raise OutboundError(f"{who} answered {status}.", status)
    body = b""
    try:
        for chunk in response.stream(CHUNK):
            body += chunk
            if len(body) > max_bytes:
                raise OutboundError(f"The answer is larger than {max_bytes} bytes.", status)
            if time.monotonic() > deadline:
                raise OutboundError(f"{target.host} did not answer within the time limit.", status)
    except urllib3.exceptions.ReadTimeoutError:
        raise OutboundError(
            f"{target.host} did not answer within the time limit.", status
        ) from None
    except urllib3.exceptions.HTTPError:
        raise OutboundError(f"Could not connect to {target.host}.") from None
    return body
