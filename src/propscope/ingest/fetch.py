"""Fetch an article from a URL for analysis, refusing anything that could reach inside.

The fetcher only speaks HTTP(S), follows at most a few redirects and re-checks each hop, caps
time and size while streaming, and connects only to public addresses: the check runs in the
network layer itself (every address a name resolves to is checked, then the connection goes
to a checked address), so a redirect or a DNS answer that changes between check and use
cannot reach loopback, private, link-local or reserved addresses. Hosts named in
``FetchConfig.fetch_allow_hosts`` skip the address check (tests allow ``127.0.0.1``).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import typing
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import anyio
import httpcore

from propscope.config import FetchConfig
from propscope.document import PAGE_ADDRESS, Document
from propscope.errors import (
    FetchError,
    FetchRefused,
    FetchTimeout,
    PageTooLargeError,
    PropscopeError,
    TransientFetchError,
    UnsupportedPageError,
)
from propscope.ingest.failure import REQUESTED_URL, IngestFailure, SkippedInput
from propscope.ingest.feeds import Feed, parse_feed
from propscope.ingest.ordered import in_order
from propscope.version import __version__

MAX_REDIRECTS = 5
T = typing.TypeVar("T")
# Answers that say "busy, try later": a bulk fetch tries such a page once more.
TRANSIENT = frozenset({408, 425, 429, 500, 502, 503, 504})
RETRY_WAIT = 1.0  # seconds before the second try, when the site names no Retry-After
MAX_RETRY_WAIT = 10.0  # a site asking for longer is not waited for (the page is reported)


@dataclass(frozen=True)
class Wanted:
    """What a fetch accepts: its content types (with the file extension each is read as),
    its Accept header, what to tell the user about any other type, and the first bytes of a
    body read as ``sniffed`` whatever its type says (servers label feeds ``text/html`` or
    ``application/octet-stream`` often enough)."""

    types: typing.Mapping[str, str]
    accept: str
    refusal: str
    starts: tuple[bytes, ...] = ()
    sniffed: str = ""


PAGE = Wanted({"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
               "text/markdown": ".md", "text/x-markdown": ".md"},
              "text/html, text/plain, text/markdown;q=0.9, */*;q=0.1",
              "only HTML, plain text and markdown pages can be analysed.")
# A compressed sitemap (sitemap.xml.gz) is served as a gzip file; parse_feed unpacks it.
FEED = Wanted(
    types=dict.fromkeys(("application/rss+xml", "application/atom+xml", "application/rdf+xml",
                         "application/xml", "text/xml", "text/plain", "application/gzip",
                         "application/x-gzip", "text/x-opml", "application/x-opml"), ".xml"),
    accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
           "*/*;q=0.1",
    refusal="a feed or sitemap is XML; for a web page of links, find its feed (often /feed or "
            "/rss) or list the links in a --urls file.",
    starts=(b"<?xml", b"<rss", b"<feed", b"<rdf:RDF", b"<urlset", b"<sitemapindex", b"<opml",
            b"\x1f\x8b"),  # the last: gzip
    sniffed=".xml")


def _retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds()) if when.tzinfo else None


@dataclass(frozen=True)
class FetchedPage:
    """A fetched page: its final URL, bytes, a file name telling ingestion its format, and
    the URL asked for (``url`` differs from it after a redirect)."""

    url: str
    name: str
    data: bytes
    requested: str = ""
    charset: str | None = None  # as the server's Content-Type header names it


# IPv6 prefixes whose addresses carry an IPv4 address in their last 32 bits, which a
# translator or tunnel on the way delivers to: NAT64's well-known prefix (RFC 6052) and the
# deprecated IPv4-compatible addresses (::a.b.c.d). ``ipaddress`` calls them global even when
# the address inside is 169.254.169.254 or 127.0.0.1.
_EMBEDDING_V4 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("::/96"))
# NAT64 prefixes a network picks for itself (RFC 8215): where the IPv4 address sits depends on
# the local prefix length, so none of it counts as public.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def _embedded_v4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to through a translator or tunnel: NAT64,
    IPv4-compatible, 6to4 (2002:a.b.c.d::/48) and Teredo (its server and its client)."""
    found = [] if ip.sixtofour is None else [ip.sixtofour]
    if ip.teredo is not None:
        found += ip.teredo
    if any(ip in net for net in _EMBEDDING_V4) and int(ip) > 1:  # :: and ::1 are themselves
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is the IPv4 address itself
            return _public(ip.ipv4_mapped)
        if ip in _LOCAL_NAT64 or not all(_public(v4) for v4 in _embedded_v4(ip)):
            return False
    return ip.is_global and not ip.is_multicast


class AddressPolicy:
    """Which hosts the fetcher may connect to.

    Args:
        allow_hosts: host names or IP literals reachable even when not public.
    """

    def __init__(self, allow_hosts: typing.Iterable[str] = ()) -> None:
        self.allow_hosts = {h.lower().strip("[]") for h in allow_hosts}

    async def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``; raises ``FetchRefused`` if any is not public."""
        host = host.lower().strip("[]")
        try:
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise FetchError(f"Could not resolve host {host!r}: {exc}.") from exc
        addrs = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if host in self.allow_hosts:
            return addrs
        blocked = [a for a in addrs if not _public(ipaddress.ip_address(a.split("%")[0]))]
        if blocked or not addrs:
            raise FetchRefused(
                f"Refusing to fetch from {host!r}: it resolves to a non-public address "
                f"({', '.join(blocked) or 'none'}). Only public hosts can be fetched unless the "
                "host is listed in PROPSCOPE_FETCH_ALLOW_HOSTS (for the server also "
                "`propscope serve --allow-fetch-host`)."
            )
        return addrs


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """A network backend that connects only to addresses the policy accepts."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[typing.Any] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        addrs = await self.policy.addresses(host, port)
        return await self.inner.connect_tcp(addrs[0], port, timeout=timeout,
                                            local_address=local_address,
                                            socket_options=socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[typing.Any] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise FetchRefused("Unix sockets cannot be fetched.")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def read_page(page: FetchedPage, *, max_bytes: int) -> list[Document]:
    """The document(s) ingestion reads from a fetched page, each with the page's final URL as
    its source and, unless the page names its own, as its URL; a page that names no site gets
    its host as the outlet (``www.`` dropped), so corpus profiles by outlet group its articles.
    After a redirect the URL asked for is kept in ``doc.extra[REQUESTED_URL]``."""
    from propscope import ingest

    # A page that is not UTF-8 and names no charset is read as browsers read it: in the
    # server's charset, else windows-1252 (the web's legacy default).
    docs = ingest.read_bytes(page.data, name=page.name, max_bytes=max_bytes,
                             fallback=page.charset or "cp1252")
    host = (urlsplit(page.url).hostname or "").removeprefix("www.") or None
    for doc in docs:
        doc.source = page.url
        if page.requested and page.requested != page.url:
            doc.extra[REQUESTED_URL] = page.requested
        doc.metadata.fill_from(PAGE_ADDRESS, url=page.url, outlet=host)
    return docs


def fetch_documents(url: str, config: FetchConfig, *, max_bytes: int) -> list[Document]:
    """Fetch ``url`` (as ``fetch_url``) and read it, outside any event loop: the CLI's way in."""
    return read_page(anyio.run(fetch_url, url, config), max_bytes=max_bytes)


def with_one_retry(fetch: typing.Callable[[], T], *,
                   pause: typing.Callable[[float], bool] | None = None) -> T:
    """``fetch()``, tried once more after a ``TransientFetchError`` (a busy site, a broken
    connection), ``Retry-After`` or ``RETRY_WAIT`` seconds later. Bulk fetches use it; the
    web page does not, since its user is there to press the button again.

    Args:
        fetch: the fetch to make.
        pause: waits the given seconds and returns whether the run stopped meanwhile (then
            there is no second try); default ``time.sleep``, never stopped.

    Raises:
        FetchError: the second try failed too, the site asked to wait over
            ``MAX_RETRY_WAIT`` seconds, or the run stopped; its message says so.
    """
    try:
        return fetch()
    except TransientFetchError as exc:
        first, wait = exc, RETRY_WAIT if exc.retry_after is None else exc.retry_after
    said = str(first).rstrip(".")
    if wait > MAX_RETRY_WAIT:
        raise FetchError(f"{said} (it asks to wait {wait:.0f} s; not waited for).") from first
    if pause is None:
        time.sleep(wait)
    elif pause(wait):
        raise FetchError(f"{said} (not tried again: the run stopped).") from first
    try:
        return fetch()
    except TransientFetchError as exc:
        raise FetchError(f"{str(exc).rstrip('.')} (tried twice, {wait:g} s apart).") from exc


def fetch_feed(url: str, config: FetchConfig, *,
               pause: typing.Callable[[float], bool] | None = None) -> Feed:
    """Fetch the feed or sitemap at ``url`` (as ``fetch_url``, at most ``fetch_max_bytes``)
    and read the pages it lists, relative links resolved against its final URL; a busy
    site is tried once more (``pause``: as ``with_one_retry``'s).

    Raises:
        FetchError: as ``fetch_url``.
        FeedError: the answer is no feed or sitemap ``parse_feed`` can read.
    """
    page = with_one_retry(lambda: anyio.run(fetch_url, url, config, FEED), pause=pause)
    return parse_feed(page.data, source=url, base=page.url)


def fetch_many(urls: typing.Iterable[str | IngestFailure], config: FetchConfig, *, max_bytes: int,
               concurrency: int = 4, known: typing.Callable[[str], bool] | None = None,
               on_wait: typing.Callable[[int], None] | None = None,
               ) -> typing.Iterator[tuple[str, list[Document] | IngestFailure | SkippedInput]]:
    """Fetch and read many pages, ``concurrency`` at a time, in the order given.

    Each URL gives ``(url, documents)``, or ``(url, IngestFailure)`` when the page cannot be
    had (refused, unreachable, too large, not text), or ``(url, SkippedInput)`` when
    ``known(url)`` says it is already stored: such pages are not fetched at all, so a re-run
    over a list of 10,000 URLs costs no network for the pages it already has. ``urls`` is
    read lazily and at most ``2 * concurrency`` pages are in flight or waiting to be taken,
    so a long list streams; order is kept so outputs line up with the list. An
    ``IngestFailure`` among ``urls`` (a line of a URL list that is none) comes out in its
    place, as ``(its source, itself)``, without holding up the pages around it. A consumer
    that stops early waits for the fetches in flight (each ends within
    ``config.fetch_timeout``); ``on_wait`` is told how many, before the wait.
    """

    stopped = threading.Event()

    def one(url: str | IngestFailure) -> list[Document] | IngestFailure | SkippedInput:
        if isinstance(url, IngestFailure):  # answered by ``now``; never submitted
            return url
        try:
            return with_one_retry(lambda: fetch_documents(url, config, max_bytes=max_bytes),
                                  pause=stopped.wait)
        except (PropscopeError, OSError) as exc:  # OSError: a socket failure httpcore did not wrap
            return IngestFailure.from_error(exc, source=url)

    def now(url: str | IngestFailure) -> IngestFailure | SkippedInput | None:
        # Failures and known pages are answered in list order (so ``known`` needs no locking).
        if isinstance(url, IngestFailure):
            return url
        return SkippedInput(url) if known is not None and known(url) else None

    # ``stopped`` is set when the window closes, before it waits for the fetches in flight:
    # a consumer that stops early (Ctrl-C, an output error) does not wait for a busy site's
    # retry, wherever the interrupt lands.
    answers = in_order(one, urls, concurrency, now=now, stop=stopped, on_wait=on_wait)
    try:
        for url, got in answers:
            yield (url if isinstance(url, str) else url.source), got
    finally:
        answers.close()


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL with a host, else raise ``FetchRefused``.

    A URL with non-ASCII characters is returned as it is sent: its host in IDNA
    (``bücher.example`` -> ``xn--bcher-kva.example``), its path and query percent-encoded as
    UTF-8 (escapes already there are kept).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises on a port that is no number in 0-65535
    except ValueError as exc:  # also "Invalid IPv6 URL"
        raise FetchRefused(f"Cannot fetch {url!r}: {exc}.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchRefused(
            f"Cannot fetch {url!r}: only http:// and https:// URLs are fetched, got scheme "
            f"{parts.scheme or 'none'!r}. Paste the text or upload the file instead."
        )
    if not parts.hostname:
        raise FetchRefused(f"Cannot fetch {url!r}: the URL has no host name.")
    if parts.geturl().isascii():
        return parts.geturl()
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchRefused(f"Cannot fetch {url!r}: {parts.hostname!r} is not a valid "
                           "internationalised host name.") from None
    user = parts.netloc.rpartition("@")[0]
    netloc = (f"{quote(user, safe=':%')}@" if user else "") + host + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe="/%:@!$&'()*+,;=~"),
                       quote(parts.query, safe="/?%:@!$&'()*+,;=~"), ""))


def _header_text(value: str) -> str:
    """A header read as latin-1 (as HTTP defines it), re-read as UTF-8 where its bytes are
    UTF-8: servers send non-ASCII redirect targets that way."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _charset(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if Python knows it as a text codec."""
    from propscope.ingest.decode import text_codec

    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and (name := value.strip().strip('"\'')):
            return text_codec(name)
    return None


def _file_name(url: str, content_type: str, wanted: Wanted, data: bytes) -> str:
    media = content_type.split(";")[0].strip().lower()
    ext = wanted.types.get(media)
    if ext is None and wanted.starts and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(wanted.starts):
        ext = wanted.sniffed
    if ext is None:
        # Someone who pastes a feed's address wants its articles: say how to get them.
        hint = (" It looks like a feed or sitemap: `propscope analyze --feed URL` reads the "
                "pages it lists." if wanted is PAGE and media in FEED.types else "")
        raise UnsupportedPageError(f"{url} is {media or 'of unknown type'}; {wanted.refusal}{hint}")
    stem = PurePosixPath(urlsplit(url).path).stem or (urlsplit(url).hostname or "page")
    return stem + ext


async def _get(pool: httpcore.AsyncConnectionPool, url: str, max_bytes: int,
               timeout: float, accept: str) -> tuple[int, dict[str, str], bytes]:
    headers: list[tuple[bytes | str, bytes | str]] = [
        ("User-Agent", f"propscope/{__version__}"), ("Accept-Encoding", "identity"),
        ("Accept", accept)]
    ext = {"timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}}
    async with pool.stream("GET", url, headers=headers, extensions=ext) as resp:
        h = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in resp.headers}
        if 300 <= resp.status < 400:
            return resp.status, h, b""
        too_large = PageTooLargeError(f"{url} is larger than the {max_bytes:,}-byte fetch limit "
                                   "(fetch_max_bytes / PROPSCOPE_FETCH_MAX_BYTES).")
        if int(h.get("content-length") or 0) > max_bytes:
            raise too_large
        chunks, size = [], 0
        async for chunk in resp.aiter_stream():
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            chunks.append(chunk)
        return resp.status, h, b"".join(chunks)


async def fetch_url(url: str, config: FetchConfig, wanted: Wanted = PAGE) -> FetchedPage:
    """Fetch ``url`` under the limits and address policy of ``config``: a page to analyse,
    or with ``wanted=FEED`` a feed or sitemap.

    Raises:
        FetchRefused: the scheme or an address is not allowed.
        PageTooLargeError, UnsupportedPageError: the page is too large, or of a type that
            cannot be analysed.
        FetchError: the site answered with an error or was unreachable
            (``TransientFetchError`` when it was busy or the connection broke).
        FetchTimeout: the fetch took too long.
    """
    url = requested = check_url(url)
    policy = AddressPolicy(config.fetch_allow_hosts)
    try:
        with anyio.fail_after(config.fetch_timeout):
            async with httpcore.AsyncConnectionPool(network_backend=GuardedBackend(policy),
                                                    retries=0) as pool:
                for _ in range(MAX_REDIRECTS + 1):
                    status, headers, data = await _get(pool, url, config.fetch_max_bytes,
                                                       config.fetch_timeout, wanted.accept)
                    if 300 <= status < 400 and "location" in headers:
                        url = check_url(urljoin(url, _header_text(headers["location"])))
                        continue
                    if 300 <= status < 400:  # its body is no page (it was read as one before)
                        raise FetchError(f"{url} answered HTTP {status} without saying where "
                                             "to (no Location header); nothing to analyse.")
                    if status >= 400:
                        said = f"{url} answered HTTP {status}; nothing to analyse."
                        if status in TRANSIENT:
                            raise TransientFetchError(
                                said, retry_after=_retry_after(headers.get("retry-after")))
                        raise FetchError(said)
                    if headers.get("content-encoding", "identity").lower() != "identity":
                        raise UnsupportedPageError(f"{url} sent a compressed body "
                                             f"({headers['content-encoding']}) although none was asked.")
                    ctype = headers.get("content-type", "")
                    return FetchedPage(url=url, name=_file_name(url, ctype, wanted, data), data=data,
                                       requested=requested, charset=_charset(ctype))
                raise FetchError(f"Gave up fetching after {MAX_REDIRECTS} redirects (last: {url}).")
    except TimeoutError as exc:
        raise FetchTimeout(f"Fetching {url} took longer than {config.fetch_timeout:g} s "
                             "(fetch_timeout / PROPSCOPE_FETCH_TIMEOUT).") from exc
    except httpcore.TimeoutException as exc:
        raise FetchTimeout(f"Fetching {url} timed out: {exc}.") from exc
    except httpcore.NetworkError as exc:  # refused, reset: a site restarting, a network blip
        raise TransientFetchError(f"Could not fetch {url}: {exc or type(exc).__name__}.") from exc
    except (httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
        raise FetchError(f"Could not fetch {url}: {exc or type(exc).__name__}.") from exc
