"""Slack Web API clients that survive Slack's bad moments: the app's one retry policy.

Every client the app and the digest sender use gets these retry handlers
(:func:`web_client`): a 429 waits its ``Retry-After`` (1 s without one) unless that is
more than :data:`MAX_RETRY_AFTER`, which is left to the caller; any 5xx and a dropped
connection back off 1, 2, 4 … seconds (:func:`backoff`); at most ``SLACK_MAX_RETRIES``
retries in all. When they are spent, the call raises as slack_sdk does and the caller
decides (the digest run records the period failed, for a later tick to retry). Replies to
a request's response_url get the same (:func:`respond_with_retries`). The waits are
exact (no jitter): Slack names the 429's wait, and a backoff's doubling already spreads
the few clients one process has.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.webhook import WebhookClient, WebhookResponse

from bot.settings import Settings

logger = logging.getLogger(__name__)

Sleep = Callable[[float], object]
MAX_RETRY_AFTER = 30.0  # a 429 asking for a longer wait is not retried: the caller decides
FIRST_BACKOFF = 1.0  # seconds before the first retry of a 5xx or dropped connection


def backoff(attempt: int) -> float:
    """Seconds to wait before retry number ``attempt`` (0 first) of a 5xx or dropped
    connection: doubling from :data:`FIRST_BACKOFF`."""
    return FIRST_BACKOFF * 2.0**attempt


class _Waiting(RetryHandler):
    """A handler that waits :meth:`wait` seconds through ``sleep`` before its retry, so the
    digest worker's waits end when it is told to stop (its sleep is the stop event's)."""

    def __init__(self, max_retry_count: int, sleep: Sleep = time.sleep) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.sleep = sleep

    def wait(self, state: RetryState, response: HttpResponse | None) -> float:
        return backoff(state.current_attempt)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        self.sleep(self.wait(state, response))
        state.increment_current_attempt()


class ServerErrorRetry(_Waiting, ServerErrorRetryHandler):
    """Retries any HTTP 5xx with backoff (slack_sdk's own handler retries only 500 and 503)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and 500 <= response.status_code < 600


class ConnectionRetry(_Waiting, ConnectionErrorRetryHandler):
    """Retries a dropped or refused connection with backoff (slack_sdk's handler decides
    which errors are such)."""


def retry_after(headers: dict[str, Any] | None) -> float | None:
    """The seconds of a ``Retry-After`` header (values may be lists), or None if absent/bad."""
    for name, value in (headers or {}).items():
        if name.lower() != "retry-after":
            continue
        raw = value[0] if isinstance(value, list | tuple) and value else value
        try:
            return max(float(str(raw)), 0.0)
        except ValueError:
            return None
    return None


class RateLimitRetry(_Waiting, RateLimitErrorRetryHandler):
    """Retries a 429 after its ``Retry-After`` (1 s if it has none), unless Slack asks for
    more than ``max_wait`` seconds: such a wait is not for a request thread to sit out."""

    def __init__(
        self, max_retry_count: int, max_wait: float = MAX_RETRY_AFTER, sleep: Sleep = time.sleep
    ) -> None:
        super().__init__(max_retry_count, sleep)
        self.max_wait = max_wait

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after(response.headers)
        return wait is None or wait <= self.max_wait

    def wait(self, state: RetryState, response: HttpResponse | None) -> float:
        found = retry_after(response.headers if response is not None else None)
        return 1.0 if found is None else found


def retry_handlers(max_retries: int, sleep: Sleep = time.sleep) -> list[RetryHandler]:
    """429, 5xx and dropped connections, each retried; ``max_retries`` counts all of them
    (slack_sdk keeps one attempt count per call, which every handler reads)."""
    return [
        RateLimitRetry(max_retry_count=max_retries, sleep=sleep),
        ServerErrorRetry(max_retry_count=max_retries, sleep=sleep),
        ConnectionRetry(max_retry_count=max_retries, sleep=sleep),
    ]


def web_client(
    settings: Settings, token: str | None = None, sleep: Sleep = time.sleep
) -> WebClient:
    """A Web API client at ``settings.slack_api_url`` with the retry handlers, which wait
    through ``sleep``."""
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        retry_handlers=retry_handlers(settings.slack_max_retries, sleep),
    )


class RetryingRespond(Respond):
    """Bolt's ``respond`` (a reply to the request's response_url), with retry handlers:
    Bolt's own posts once, so one 5xx or dropped connection there loses the answer."""

    def __init__(self, *, response_url: str | None, handlers: list[RetryHandler]) -> None:
        super().__init__(response_url=response_url)
        self.handlers = handlers

    def __call__(
        self,
        text: str | dict[str, Any] = "",
        blocks: Sequence[dict[str, Any] | Block] | None = None,
        attachments: Sequence[dict[str, Any] | Attachment] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        unfurl_links: bool | None = None,
        unfurl_media: bool | None = None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> WebhookResponse:
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        client = WebhookClient(url=self.response_url, retry_handlers=self.handlers)
        if isinstance(text, dict):  # a whole message, as Bolt's respond also takes
            return client.send_dict(text)
        message = {
            "text": text,
            "blocks": _as_dicts(blocks),
            "attachments": _as_dicts(attachments),
            "response_type": response_type,
            "replace_original": replace_original,
            "delete_original": delete_original,
            "unfurl_links": unfurl_links,
            "unfurl_media": unfurl_media,
            "thread_ts": thread_ts,
            "metadata": metadata,
        }
        return client.send_dict({key: value for key, value in message.items() if value is not None})


def _as_dicts(
    items: Sequence[dict[str, Any] | Block | Attachment] | None,
) -> list[dict[str, Any]] | None:
    if items is None:
        return None
    return [item if isinstance(item, dict) else item.to_dict() for item in items]


def respond_with_retries(settings: Settings) -> Callable[..., BoltResponse]:
    """A middleware giving listeners a ``respond`` that retries (:class:`RetryingRespond`).

    Lazy listeners get it too: Bolt hands them the request's context, ``respond`` included.
    """
    handlers = retry_handlers(settings.slack_max_retries)

    def middleware(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        if context.response_url:
            context["respond"] = RetryingRespond(
                response_url=context.response_url, handlers=handlers
            )
        return next()

    return middleware
