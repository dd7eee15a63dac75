"""A failed summarize call mapped to one CommuniqueError (endpoint, truncated, invalid
answer ...), the API key redacted; after exhausted re-asks, the last answer parsed leniently."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2
import openai
from instructor.core.exceptions import (
    IncompleteOutputException,
    InstructorRetryException,
)
from pydantic import ValidationError

from ..errors import CommuniqueError, EndpointError, ModelOutputError
from ..grounding.answer import ExtractionBase
from ..llm.client import CallScope, Connection
from ..llm.redaction import public_url, redact
from ..llm.transport_errors import transport_problem
from ..prompt.response_model import LooseExtraction

if TYPE_CHECKING:
    from .call import Call


def recover(call: Call, exc: Exception, conn: Connection) -> ExtractionBase:
    """Map failures to CommuniqueError (the API key redacted from the message: an
    endpoint may echo it); after exhausted re-asks, keep what grounds."""
    try:
        return _map_failure(call, exc)
    except CommuniqueError as error:
        keys = (call.settings.api_key, getattr(conn.raw, "api_key", None))
        error.message = redact(error.message, *keys)
        error.args = (error.message,)
        raise


def _map_failure(call: Call, exc: Exception) -> ExtractionBase:
    """Every error carries `attempts` (model requests made by instructor: the first one
    plus re-asks), and in its context a `reason` code and the call's `transport_retries`.
    """
    attempts = call.attempts
    retries = call.scope.stats.retries
    ctx: dict[str, Any] = {
        "article_id": call.article.label,
        "attempts": attempts,
        "usage": call.usage(),
        "transport_retries": retries,
    }
    api_error = first_cause(exc, openai.APIError)
    if api_error is not None:
        reason, text = _endpoint_failure(api_error, call.scope)
        after = f" after {retries} retr{'y' if retries == 1 else 'ies'}" if retries else ""
        raise EndpointError(f"model endpoint failed{after}: {text}", reason=reason, **ctx) from exc
    if isinstance(exc, IncompleteOutputException):
        raise ModelOutputError(
            f"the model's answer was cut off at max_tokens={call.settings.max_tokens} "
            "(raise COMMUNIQUE_MAX_TOKENS)",
            reason="truncated",
            **ctx,
        ) from exc
    if call.not_completion is not None:
        raise EndpointError(
            "the endpoint's response is not JSON (it starts with "
            f"{call.not_completion!r}): is the base URL the API, usually ending in /v1?",
            reason="bad_response",
            **ctx,
        ) from exc
    if call.no_choices:
        raise ModelOutputError(
            "the endpoint's answer has no choices (an empty 'choices' list)",
            reason="no_choices",
            **ctx,
        ) from exc
    last = exc.last_completion if isinstance(exc, InstructorRetryException) else None
    bad_body = first_cause(exc, json.JSONDecodeError)
    if last is None and bad_body is not None:
        raise EndpointError(
            f"the endpoint's response is not valid JSON ({bad_body})", reason="bad_response", **ctx
        ) from exc
    if last is not None:
        try:
            return LooseExtraction.model_validate_json(_content(last))  # no context: lenient
        except ValidationError as invalid:
            raise ModelOutputError(
                f"the model's answer did not match the schema after {attempts} attempt(s): "
                f"{_first_error(invalid)}",
                reason="invalid_output",
                **ctx,
            ) from exc
    if isinstance(exc, CommuniqueError):
        raise exc
    raise ModelOutputError(f"summarizing failed: {exc}", reason="failed", **ctx) from exc


E = TypeVar("E", bound=BaseException)


def first_cause(exc: BaseException, kind: type[E]) -> E | None:
    """The first exception of this kind in the chain of causes, starting with exc."""
    seen: BaseException | None = exc
    while seen is not None and not isinstance(seen, kind):
        seen = seen.__cause__
    return seen


def _endpoint_failure(error: openai.APIError, scope: CallScope) -> tuple[str, str]:
    """(reason code, description) of an endpoint failure."""
    text = describe(error)
    if scope.expired:
        deadline = f"{scope.deadline_s:g} s" if scope.deadline_s is not None else "?"
        return "deadline", f"the per-article deadline ({deadline}) ran out; {text}"
    if isinstance(error, openai.APIStatusError):
        code = error.status_code
        kind = "rate_limited" if code == 429 else "server_error" if code >= 500 else "http_error"
        return kind, text
    if isinstance(error, openai.APITimeoutError):
        return "timeout", text
    if isinstance(error, openai.APIConnectionError):
        return "connection", text
    return "bad_response", text


def _content(completion: Any) -> str:
    try:
        return str(completion.choices[0].message.content or "")
    except (AttributeError, IndexError):
        return json.dumps(completion) if isinstance(completion, dict) else str(completion)


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))


def describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        url = public_url(str(exc.request.url))
        return f"HTTP {exc.status_code} from {url}: {str(exc.message)[:200]}"
    # One wording per failure, whichever HTTP stack (sync or async) saw it.
    if isinstance(exc, openai.APITimeoutError):
        url = public_url(str(exc.request.url))
        return f"no answer from {url} in time ({transport_problem(exc.__cause__ or exc)})"
    if isinstance(exc, openai.APIConnectionError):
        url = public_url(str(exc.request.url))
        if isinstance(exc.__cause__, httpx2.ConnectError):
            return f"cannot connect to {url} ({transport_problem(exc.__cause__)})"
        return f"the connection to {url} failed ({transport_problem(exc.__cause__ or exc)})"
    return str(exc)
