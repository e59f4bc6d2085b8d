"""The DeepL client's HTTP layer with helpglot's timeout and retry policy.

Why a module of its own: the ``deepl`` client keeps its policy in module globals
(``deepl.http_client.min_connection_timeout``, 10 s, and ``max_network_retries``,
5) and resends a request whose answer did not arrive in time. DeepL bills a text
it received even if the answer is lost, so a slow batch was paid for up to six
times. :class:`SafeHttpClient` replaces the client's ``HttpClient`` instance (one
per engine, no global is changed) and decides per attempt:

* the read timeout is sized to the request body (a base for a small request plus
  a second per KiB), the connect timeout stays short;
* an answer that is an error (429, 5xx) or a connection that was never made is
  retried with the client's backoff, up to ``max_network_retries`` (nothing was
  billed);
* a POST that timed out or lost its connection after it was sent is never
  resent: :class:`NoAnswer` stops the run, and the engine says it may have been
  billed. Idempotent GET/DELETE requests may be retried.

It also holds the key scrubber, which hides every form of the key a message
could carry (as is, URL-encoded, base64 of the key or of the whole header value).
"""

from __future__ import annotations

import base64
import http
import urllib.parse
from collections.abc import Callable
from typing import Any

import requests
import urllib3.exceptions
from deepl import http_client
from deepl.exceptions import ConnectionException

from helpglot.drafting.engines.base import EngineError

DEFAULT_TIMEOUT = 20.0  # seconds for a small request; engines.deepl.timeout
PER_KIB = 1.0  # seconds more per KiB of request body
CONNECT_TIMEOUT = 10.0


def base_timeout(value: object) -> float:
    """``engines.deepl.timeout`` checked: a positive number of seconds (default 20)."""
    if value is None:
        return DEFAULT_TIMEOUT
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 3600:
        raise EngineError(f"plugins.helpglot.engines.deepl.timeout in mkdocs.yml must be a number of seconds "
                          "between 0 and 3600 (the wait for a small request; larger ones get a second more per KiB), "
                          f"not {value!r}")
    return float(value)


class NoAnswer(ConnectionException):
    """A request that was sent and got no answer in time: it may have been billed, so it is not resent."""

    def __init__(self, message: str, seconds: float, size: int) -> None:
        super().__init__(message, should_retry=False)
        self.seconds = seconds
        self.size = size


def _never_sent(exc: BaseException) -> bool:
    """True when the connection was never made (refused, unresolved, connect timeout): nothing billed."""
    cause = exc.__cause__
    if isinstance(cause, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(cause, requests.exceptions.ConnectionError) and not isinstance(cause, requests.exceptions.Timeout):
        reason = getattr(cause.args[0], "reason", cause.args[0]) if cause.args else None
        return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError)
    return False


class SafeHttpClient(http_client.HttpClient):
    """``deepl.http_client.HttpClient`` with the policy in the module docstring."""

    def __init__(self, base: float = DEFAULT_TIMEOUT) -> None:
        super().__init__()
        self.base = base

    def timeouts(self, size: int) -> tuple[float, float]:
        """(connect, read) seconds for a request body of ``size`` bytes."""
        return min(CONNECT_TIMEOUT, self.base), self.base + size / 1024 * PER_KIB

    def request_with_backoff(self, method: str, url: str, data: dict | None, json: dict | None, headers: dict,
                             stream: bool = False, **kwargs: Any) -> tuple[int, Any]:
        backoff = http_client._BackoffTimer()
        request = self._prepare_request(method, url, data, json, headers, **kwargs)
        body = request.body or b""
        size = len(body.encode("utf-8") if isinstance(body, str) else body)
        connect, read = self.timeouts(size)
        idempotent = method.upper() in ("GET", "HEAD", "DELETE")
        while True:
            try:
                response = self._internal_request(request, stream=stream, timeout=(connect, read))  # type: ignore[arg-type]
            except ConnectionException as exc:
                if not (idempotent or _never_sent(exc)):
                    timed_out = isinstance(exc.__cause__, requests.exceptions.Timeout)
                    what = f"no answer within {read:.0f} s" if timed_out else "the connection broke after sending"
                    raise NoAnswer(f"{what}; not resent", read, size) from None
                if not exc.should_retry or backoff.get_num_retries() >= http_client.max_network_retries:
                    raise
            else:
                status = response[0]
                retry = status == http.HTTPStatus.TOO_MANY_REQUESTS or status >= http.HTTPStatus.INTERNAL_SERVER_ERROR
                if not retry or backoff.get_num_retries() >= http_client.max_network_retries:
                    return response
            backoff.sleep_until_deadline()


def scrubber(secret: str) -> Callable[[str], str]:
    """Replace the key, in every form a message may quote it, by ``[DEEPL_AUTH_KEY]``.

    Forms: the key itself, URL-encoded (``:`` as ``%3A``, any case; ``+`` for spaces),
    and base64 (standard or URL-safe, with or without padding) of the key or of the
    ``DeepL-Auth-Key <key>`` header value. The closure keeps the key out of ``vars()``."""
    forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}
    for raw in (secret, f"DeepL-Auth-Key {secret}"):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            token = encode(raw.encode("utf-8")).decode("ascii")
            forms |= {token, token.rstrip("=")}
    ordered = sorted(forms, key=len, reverse=True)

    def scrub(text: str) -> str:
        for form in ordered:
            if form in text:
                text = text.replace(form, "[DEEPL_AUTH_KEY]")
        # percent-encoding in mixed case (%3a vs %3A) is the same key to a server
        decoded = urllib.parse.unquote_plus(text) if "%" in text else text
        if secret in decoded:
            text = decoded.replace(secret, "[DEEPL_AUTH_KEY]")
        return text

    return scrub
