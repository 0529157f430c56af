"""Fetch policy: napaudit fetches only public http(s) addresses.

A listing URL comes from a client's spreadsheet, and a listing page chooses where it redirects
(a 3xx Location, or a meta refresh, which Scrapy's RedirectMiddleware and MetaRefreshMiddleware
follow by default). Without a policy, such a page can make napaudit read its own network -
loopback, the cloud metadata service at 169.254.169.254, an intranet host - and publish what it
read in the report. So every request, and every redirect or meta-refresh hop (each hop is a new
request that comes back through this middleware), is checked before it leaves:

- a scheme other than http or https is refused;
- the host is turned into addresses the way the connection will: an IP literal in any spelling
  the resolver accepts (`2130706433`, `0x7f.1`, `127.1`, `[::ffff:127.0.0.1]`), or a name
  resolved through the reactor's own resolver, once per host;
- loopback, private, link-local, multicast, reserved, unspecified and other non-global
  addresses are refused (an IPv6 address that carries an IPv4 one - mapped, 6to4, NAT64 - is
  judged by that IPv4 address too).

A refused request fails with `AddressRefused`: its outcome is `blocked` and its reason says
"redirect to a private address" (or "a private address" for a URL given as such).

`NAPAUDIT_ALLOW_HOSTS` lists the hosts that may be fetched even when private: a host name or IP
address, optionally with `:port` (`["127.0.0.1", "sampleweb.test", "10.0.0.5:8080"]`). An entry
matches the host as the URL writes it (an IP entry matches every spelling of that address), not
a name that happens to resolve to it.

DNS rebinding (a name that answers a public address to the check and a private one to the
connection): the check resolves through the reactor's resolver, and Scrapy's default resolver
(CachingThreadedResolver, DNSCACHE_ENABLED) keeps that answer for the rest of the crawl, so the
connection is made to the address that was checked. What remains: with DNSCACHE_ENABLED off,
or past DNSCACHE_SIZE hosts, or with a download handler that resolves on its own (Scrapy's
httpx or aiohttp handlers), the connection may resolve again. For that case the address the
response actually came from (`response.ip_address`) is checked too, and a private one fails the
fetch as `blocked`: the page's text is never stored or reported, but the request was sent.
Behind an HTTP proxy, the proxy resolves and connects; napaudit checks what it resolves itself
and cannot see where the proxy connects.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from napaudit.spiders.outcome import BLOCKED
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import error as net

SETTING = "NAPAUDIT_ALLOW_HOSTS"
SCHEMES = ("http", "https")
CACHE_SIZE = 10_000  # hosts whose addresses are remembered; as Scrapy's DNSCACHE_SIZE
_DEFAULT_PORT = {"http": 80, "https": 443}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are an IPv4 address
_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$")  # what inet_aton may read as an IPv4 address

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Awaitable[list[str]]]


class AddressRefused(IgnoreRequest):
    """A request the policy refused; `outcome` and `reason` are what the listing reports."""

    outcome = BLOCKED

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Allowed:
    """One NAPAUDIT_ALLOW_HOSTS entry: a host (name or canonical address) and maybe a port."""

    host: str
    port: int | None = None

    @classmethod
    def parse(cls, entry: str) -> Allowed:
        entry = entry.strip()
        port = None
        if entry.startswith("["):  # [IPv6] or [IPv6]:port
            host, _, rest = entry[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") else None
        elif entry.count(":") == 1:  # host:port (a bare IPv6 address has several colons)
            host, _, number = entry.partition(":")
            port = int(number)
        else:
            host = entry
        return cls(canonical_host(host), port)

    def matches(self, host: str, port: int) -> bool:
        return self.host == host and self.port in (None, port)


def canonical_host(host: str) -> str:
    """A host as the policy compares it: an address in its standard form, or a lower-case name."""
    host = host.strip().strip("[]").rstrip(".").lower()
    address = literal_address(host)
    return str(address) if address is not None else host


def literal_address(host: str) -> Address | None:
    """The address an IP literal names, in any spelling the system resolver accepts, or None
    for a host name. `2130706433`, `0x7f.1`, `0177.0.0.1` and `127.1` all name 127.0.0.1."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    last = host.rsplit(".", 1)[-1]
    if not _NUMERIC_HOST.match(host.lower()) or not re.fullmatch(r"\d+|0x[0-9a-f]*", last, re.I):
        return None  # a name: only a host whose last label is a number reads as IPv4
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def not_public(address: Address) -> str:
    """'' for a public address; otherwise what kind of address it is, in words."""
    if address.version == 6:
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None and not_public(inner):
            return not_public(inner)
    for kind in ("loopback", "link_local", "multicast", "unspecified", "private", "reserved"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return "" if address.is_global else "not public"


class FetchPolicyMiddleware:
    """Refuses every request (and redirect hop) to an address that is not public."""

    def __init__(self, allowed: Iterable[str] = (), resolve: Resolver | None = None):
        self.allowed = [Allowed.parse(entry) for entry in allowed if entry.strip()]
        self.resolve = resolve or resolve_with_reactor
        # Each host is put in canonical form, resolved and judged once: a crawl asks the same
        # few hosts thousands of times. Host as written -> canonical; canonical -> why it is
        # refused, or "".
        self.canonical: dict[str, str] = {}
        self.refused: dict[str, str] = {}
        # Address a response came from -> its kind ('' when public): every page of an allowed
        # private host (a local server) asked it again.
        self.kinds: dict[Address, str] = {}

    @classmethod
    def from_crawler(cls, crawler) -> FetchPolicyMiddleware:
        if crawler.settings.get("NAPAUDIT_REPLAY"):
            # a replay fetches nothing (spiders.replay answers from the archive, and resolves no
            # name): the addresses were checked when the archive was made
            raise NotConfigured("replaying an archive: nothing is fetched")
        middleware = cls(crawler.settings.getlist(SETTING))
        middleware.crawler = crawler
        return middleware

    async def process_request(self, request: Request) -> None:
        parts = urlparse_cached(request)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            raise AddressRefused(_why(request, "a non-http address", f"{scheme}:"))
        if not parts.hostname:
            raise AddressRefused(_why(request, "an address without a host", request.url[:100]))
        host = self.canonical_host(parts.hostname)
        if self.is_allowed(host, _port(parts, scheme)):
            return None  # not even resolved
        refused = self.refused.get(host)
        if refused is None:
            refused = _remember(self.refused, host, await self.judge(host))
        if refused:
            raise AddressRefused(_why(request, "a private address", refused))
        return None

    async def judge(self, host: str) -> str:
        """Why the host's addresses are refused, or ""."""
        for address in await self.addresses_of(host):
            kind = not_public(address)
            if kind:
                return f"{host if host == str(address) else f'{host} = {address}'}, {kind}"
        return ""

    def process_response(self, request: Request, response: Response) -> Response:
        """The address the response came from: a second resolution (DNS rebinding) that led
        somewhere private fails the fetch, so that the page's text is never stored."""
        address = getattr(response, "ip_address", None)
        if address is None or request.meta.get("proxy"):
            return response  # from the cache, or a proxy's address
        kind = self.kinds.get(address)
        if kind is None:
            kind = _remember(self.kinds, address, not_public(address))
        if not kind:
            return response
        parts = urlparse_cached(request)
        host = self.canonical_host(parts.hostname or "")
        if not self.is_allowed(host, _port(parts, parts.scheme.lower())):
            where = f"{host} = {address}, {kind}, after connecting"
            raise AddressRefused(_why(request, "a private address", where))
        return response

    def canonical_host(self, hostname: str) -> str:
        """canonical_host(hostname), worked out once per host."""
        host = self.canonical.get(hostname)
        if host is None:
            host = _remember(self.canonical, hostname, canonical_host(hostname))
        return host

    def is_allowed(self, host: str, port: int) -> bool:
        return any(entry.matches(host, port) for entry in self.allowed)

    async def addresses_of(self, host: str) -> list[Address]:
        literal = literal_address(host)
        if literal is not None:
            return [literal]
        found = [ipaddress.ip_address(a.split("%")[0]) for a in await self.resolve(host)]
        if not found:  # refused here: the connection must not get a second, other answer
            raise net.DNSLookupError(host)
        return found


def _remember(cache: dict, key: object, value: str) -> str:
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


def entry_for(url: str) -> str:
    """The NAPAUDIT_ALLOW_HOSTS entry that allows exactly this URL's host and port."""
    parts = urlsplit(url)
    host = canonical_host(parts.hostname or "")
    port = _port(parts, parts.scheme.lower())
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _port(parts, scheme: str) -> int:
    try:
        return parts.port or _DEFAULT_PORT.get(scheme, 0)
    except ValueError:  # a port that is not a number: no allow-list entry names it
        return -1


def _why(request: Request, what: str, detail: str) -> str:
    """The reason a listing shows. A hop (3xx Location or meta refresh) is "redirect to ...":
    the page asked for was public, and where it sent us was not."""
    if not request.meta.get("redirect_urls"):
        return f"{what} ({detail})"
    if request.meta.get("redirect_reasons", [""])[-1] == "meta refresh":
        detail += ", by meta refresh"
    return f"redirect to {what} ({detail})"


async def resolve_with_reactor(host: str) -> list[str]:
    """The host's addresses, from the resolver the connection itself uses (Scrapy's caching
    resolver, installed on the reactor), so that both see the same answer."""
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet import defer, reactor
    from twisted.internet.interfaces import IResolutionReceiver
    from zope.interface import implementer

    done: defer.Deferred[list[str]] = defer.Deferred()

    @implementer(IResolutionReceiver)
    class Receiver:
        def __init__(self):
            self.found: list[str] = []

        def resolutionBegan(self, resolution) -> None:  # noqa: N802 (Twisted's interface)
            pass

        def addressResolved(self, address) -> None:  # noqa: N802
            self.found.append(address.host)

        def resolutionComplete(self) -> None:  # noqa: N802
            done.callback(self.found)

    reactor.nameResolver.resolveHostName(Receiver(), host, 0)
    return await maybe_deferred_to_future(done)
