"""Fetching web pages and feeds: one GET with a timeout, a size limit and a clear user agent.

`fetch(url, options, clock)` returns a `Page` (final URL after redirects, content type, bytes) or
raises `FetchError` with a one-line reason ("HTTP 404 Not Found", "timed out after 20 s",
"larger than 2,000,000 bytes"...). `decode_html` turns the bytes into text: the charset
of the Content-Type header, else the page's own <meta charset>, else UTF-8, else
windows-1252 (the web's default). Proxies are not used: the only network access is to the
URLs the user gives. A feed is data from elsewhere, so a link (or a redirect) to a
loopback, private, link-local or reserved address is refused unless allow_private is set
(an intranet feed): a feed cannot make communique read the machine's or the network's own
services into a briefing.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..clock import Clock, SystemClock
from ..errors import CommuniqueError
from ..version import __version__

USER_AGENT = f"communique/{__version__} (news briefing; fetches the links it is given)"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CHUNK = 65_536
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


class FetchError(CommuniqueError):
    """A page or feed could not be fetched; the message is the one-line reason."""


@dataclass(frozen=True)
class FetchOptions:
    timeout_s: float = 20.0  # to connect, and for each read
    deadline_s: float = 60.0  # for the whole body (a server trickling bytes is cut off)
    max_bytes: int = 2_000_000
    user_agent: str = USER_AGENT
    allow_private: bool = False  # fetch loopback / private / link-local addresses too


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content_type: str  # e.g. "text/html", lower case, without parameters
    charset: str | None  # from the Content-Type header
    data: bytes


def fetch(url: str, options: FetchOptions, clock: Clock | None = None) -> Page:
    """GET url (http or https only); FetchError with a one-line reason on any failure."""
    clock = clock or SystemClock()
    _check_target(url, options)
    request = urllib.request.Request(
        url, headers={"User-Agent": options.user_agent, "Accept": "text/html,*/*;q=0.5"}
    )
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _CheckedRedirects(options)
    )
    try:
        with opener.open(request, timeout=options.timeout_s) as response:
            headers: Message = response.headers
            declared = headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > options.max_bytes:
                raise FetchError(_too_large(options.max_bytes))
            data = _read_body(response, options, clock)
            final = response.geturl()
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the connection
        raise FetchError(f"HTTP {exc.code} {exc.reason}".strip()) from None
    except TimeoutError:
        raise FetchError(f"timed out after {options.timeout_s:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(f"timed out after {options.timeout_s:g} s") from None
        raise FetchError(f"cannot connect: {_reason(exc.reason)}") from None
    except (OSError, ValueError) as exc:  # reset mid-body, bad status line, invalid URL
        raise FetchError(f"cannot fetch: {_reason(exc)}") from None
    return Page(
        url=final,
        content_type=headers.get_content_type().lower(),
        charset=headers.get_content_charset(),
        data=data,
    )


def _read_body(response: Any, options: FetchOptions, clock: Clock) -> bytes:
    """The body, in chunks: FetchError past max_bytes or after deadline_s."""
    start = clock.monotonic()
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if size > options.max_bytes:
            raise FetchError(_too_large(options.max_bytes))
        if clock.monotonic() - start > options.deadline_s:
            raise FetchError(f"page not received within {options.deadline_s:g} s")
    return b"".join(chunks)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects get the same checks as the first URL (scheme, address)."""

    def __init__(self, options: FetchOptions) -> None:
        self.options = options

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        try:
            _check_target(newurl, self.options)
        except FetchError:
            fp.close()  # the redirect response holds the connection
            raise
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _check_target(url: str, options: FetchOptions) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"not an http(s) URL: {url}")
    if options.allow_private:
        return
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {_reason(exc)}") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            raise FetchError(
                f"refused: {host} is a private or local address ({address}); "
                "allow it with --allow-private-urls"
            )


def decode_html(data: bytes, declared: str | None) -> str:
    """The page as text: header charset > <meta charset> > UTF-8 > windows-1252."""
    for charset in (declared, _meta_charset(data)):
        if charset and _known(charset):
            return data.decode(charset, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def canonical_url(url: str) -> str:
    """The URL as an id: scheme and host lower case, no fragment, no default port, no
    tracking parameters (utm_*, fbclid, gclid...), so one story linked twice is one id."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracks(k)]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def _tracks(key: str) -> bool:
    return key.lower().startswith(_TRACKING)


def _meta_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def _known(charset: str) -> bool:
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True


def _too_large(limit: int) -> str:
    return f"page larger than {limit:,} bytes (the size limit)"


def _reason(exc: object) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())
