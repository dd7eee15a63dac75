"""Keeping the API key out of everything communique writes: messages, logs, `meta`.

The key goes to the endpoint in the Authorization header and nowhere else. An endpoint
may echo it in an error body ("Incorrect API key provided: sk-..."), so the transport
below rewrites such bodies before the openai SDK, instructor's logs or our messages see
them; URLs are shown without a password or query string.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx2

NO_KEY = "not-needed"  # sent to servers that need no key (the openai client wants one)
MASK = "***"


def redact(text: str, *secrets: str | None) -> str:
    """text with every secret (an API key) replaced by ***; placeholders and short
    values (under 8 characters, e.g. the "not-needed" of local servers) are left."""
    for secret in secrets:
        if secret and len(secret) >= 8 and secret != NO_KEY:
            text = text.replace(secret, MASK)
    return text


def public_url(url: str) -> str:
    """The URL without a password or query string (either may carry a credential)."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url
    netloc = parts.netloc
    if password is not None:
        netloc = netloc.replace(f":{password}@", f":{MASK}@", 1)
    query = MASK if parts.query else ""
    return parts._replace(netloc=netloc, query=query).geturl()


def _scrubbed(
    request: httpx2.Request, response: httpx2.Response, secret: str | None
) -> httpx2.Response:
    body = response.content.decode("utf-8", errors="replace")
    clean = redact(body, secret)
    if clean == body:
        return response
    return httpx2.Response(
        response.status_code,
        headers=[(k, v) for k, v in response.headers.items() if k.lower() != "content-length"],
        content=clean.encode("utf-8"),
        request=request,
    )


class RedactingTransport(httpx2.BaseTransport):
    """Wraps a transport; an error response that contains the key has it masked."""

    def __init__(self, inner: httpx2.BaseTransport, secret: str | None) -> None:
        self.inner = inner
        self.secret = secret

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self.inner.handle_request(request)
        if response.status_code < 400 or not self.secret:
            return response
        response.read()
        return _scrubbed(request, response, self.secret)

    def close(self) -> None:
        self.inner.close()


class AsyncRedactingTransport(httpx2.AsyncBaseTransport):
    """The async twin of RedactingTransport."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, secret: str | None) -> None:
        self.inner = inner
        self.secret = secret

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        if response.status_code < 400 or not self.secret:
            return response
        await response.aread()
        return _scrubbed(request, response, self.secret)

    async def aclose(self) -> None:
        await self.inner.aclose()
