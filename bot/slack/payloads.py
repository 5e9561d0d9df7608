"""What a signed Slack request body must be before Bolt sees it.

:func:`parse` turns the verified bytes into a :class:`BoltRequest` or raises
:class:`Malformed`, whose message the web process returns with a 400. A body passes only if

* it decodes as UTF-8 and parses (JSON, a form, or a form's ``payload=`` JSON) without a
  recursion error: ``json.loads`` gives up on about a thousand nested brackets;
* nothing in it nests deeper than :data:`MAX_NESTING` lists and objects: a body that parses
  but nests hundreds deep would still break recursive code after it (Bolt's copies of the
  body, logging), as a 500;
* it carries the fields Bolt reads without checking (:func:`malformed`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import BoltContext, BoltRequest
from slack_bolt.request.internals import build_context

# Slack's deepest payloads (a view's state, rich text in a message) nest about ten deep.
MAX_NESTING = 64


class Malformed(ValueError):
    """A signed body that is not a request Slack sends; the message says what is wrong."""


class FormRequest(BoltRequest):
    """A slash command's form, read as the form it is.

    Bolt takes any form body containing the word "payload" for an interactive payload
    (``payload=…``) and, finding none, reads it as empty: a command typed in a channel, by a
    user or with a text containing that word was answered "unhandled". This request keeps
    the form's fields, and so do the copies Bolt makes for lazy listeners (answers)."""

    def __init__(self, *, body: str, query: Any = None, headers: Any = None, **rest: Any) -> None:
        super().__init__(body=body, query=query, headers=headers, **rest)
        self.body = dict(parse_qsl(body, keep_blank_values=True))
        self.context = build_context(BoltContext(dict(self.context)), self.body)

    def to_copyable(self) -> BoltRequest:
        return FormRequest(
            body=self.raw_body,
            query=self.query,
            headers=self.headers,
            context=self.context.to_copyable(),
            mode=self.mode,
        )


def _misread_form(text: str, headers: Mapping[str, str]) -> bool:
    """Whether Bolt would read this form body as an interactive payload it is not."""
    if text.lstrip().startswith("{") or "json" in headers.get("content-type", ""):
        return False
    return "payload" in text and "payload" not in dict(parse_qsl(text, keep_blank_values=True))


def parse(raw: bytes, query: str, headers: Mapping[str, str]) -> BoltRequest:
    """The Bolt request for a verified body; raises :class:`Malformed` (see the module)."""
    try:
        text = raw.decode("utf-8")
        kind = FormRequest if _misread_form(text, headers) else BoltRequest
        request = kind(body=text, query=query, headers=dict(headers))
    except RecursionError:
        raise Malformed("the body is nested too deeply") from None
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        raise Malformed("the body cannot be parsed") from None
    if nested_deeper_than(request.body, MAX_NESTING):
        raise Malformed("the body is nested too deeply")
    problem = malformed(request.body)
    if problem is not None:
        raise Malformed(problem)
    return request


def nested_deeper_than(value: object, limit: int) -> bool:
    """Whether lists and dicts nest more than ``limit`` levels in ``value``; iterative, so
    any depth is safe to ask about."""
    pending: list[tuple[object, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth == limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


OBJECT_FIELDS = ("event", "view", "container", "message")
ID_FIELDS = ("team", "user", "channel", "enterprise")


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def malformed(body: object) -> str | None:
    """What is missing from a signed payload that Bolt would choke on, or ``None``.

    Slack always sends these fields; a request without them is not one we can answer, and
    must get a 4xx rather than an exception deep in Bolt's matchers (a 5xx).
    """
    if not isinstance(body, dict):
        return "the body is not an object"
    for key in OBJECT_FIELDS:  # Bolt's middleware reads into these without checking
        if key in body and not isinstance(body[key], dict):
            return f"{key} is not an object"
    for key in ID_FIELDS:
        if body.get(key) is not None and not isinstance(body[key], str | dict):
            return f"{key} is neither an id nor an object"
    if "command" in body:
        return _malformed_command(body)
    kind = body.get("type")
    if kind == "event_callback":
        return _malformed_event(body)
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "actions are missing"
        if not all(isinstance(a, dict) and _is_text(a.get("action_id")) for a in actions):
            return "an action has no action_id"
    if kind in ("view_submission", "view_closed") and not isinstance(body.get("view"), dict):
        return "view is missing"
    if kind in ("shortcut", "message_action") and not _is_text(body.get("callback_id")):
        return "callback_id is missing"
    return None


def _malformed_command(body: dict[str, Any]) -> str | None:
    if not _is_text(body.get("command")):
        return "command is not text"
    url = body.get("response_url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return "response_url is missing"
    if not isinstance(body.get("text", ""), str):
        return "text is not text"
    return None


def _malformed_event(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict) or not _is_text(event.get("type")):
        return "event is missing"
    if not _is_text(body.get("event_id")):
        return "event_id is missing"
    if event["type"] in ("app_mention", "message") and not (
        _is_text(event.get("channel")) and _is_text(event.get("ts"))
    ):
        return "the message has no channel or ts"
    return None
