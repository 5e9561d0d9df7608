"""Whose data a request may see: the *store team* of a Slack workspace.

Every survey, subscription, thread and import is stored under a store team: the Slack team
id (``T…``) of a workspace install, or ``E…:T…`` (enterprise and workspace) for the
workspaces of an org-wide install. :func:`team_key` is the one place it is computed.

Which store team a request reads and writes is decided once per request, by
:func:`store_team_middleware` (run after Bolt's authorization, before every listener), and put
on the request's context, where listeners read it (``Deps.team_for``). It is a function of
the request alone: what Bolt's authorization established (the installation it found in the
installation store for the request's authorization), the workspace the payload names
(:func:`request_workspace`), and, for an org-wide install, the org's workspaces as Slack
lists them. Nothing is remembered between requests in memory, so the answer is the same in
every worker process, whatever came before. A request whose workspace is not one the
authorized installation serves is refused: acknowledged with an empty 200, logged, and
neither answered nor recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import BoltContext, BoltResponse

logger = logging.getLogger(__name__)

STORE_TEAM = "empathy_store_team"  # the context key listeners read the store team from
# Events Bolt processes without a token (the install is gone): their listeners only delete
# the authorizing installation and need no store team.
TOKENLESS_EVENTS = frozenset({"app_uninstalled", "tokens_revoked", "team_access_revoked"})


def team_key(team_id: str, enterprise_id: str | None = None, org_wide: bool = False) -> str:
    """The store team of workspace ``team_id``: its Slack team id for a workspace install
    (also one inside an Enterprise Grid org), ``ENTERPRISE:TEAM`` when it is reached through an
    org-wide install, so each workspace of the org has its own surveys, apart from any
    install of its own."""
    if org_wide and enterprise_id:
        return f"{enterprise_id}:{team_id}"
    return team_id


def parse_team_key(key: str) -> tuple[str | None, str, bool]:
    """(enterprise id, team id, org-wide) of a store team made by :func:`team_key`."""
    enterprise_id, colon, team_id = key.partition(":")
    if colon:
        return enterprise_id, team_id, True
    return None, key, False


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def request_workspace(body: dict[str, Any]) -> str | None:
    """The workspace a request happened in, by payload kind (None: it names none):

    * a slash command: ``team_id``, the workspace it was typed in;
    * an event callback: the envelope's ``team_id``, the workspace the event happened in
      (the installation it is delivered to is ``authorizations[0]``, which Bolt authorizes);
    * an interaction (``block_actions``, ``view_submission``, …): ``team.id``; when Slack
      sends no ``team`` (as it may to an org-wide install), ``view.team_id``, the workspace
      the modal was opened in; failing both, ``user.team_id``.

    ``user.team_id`` is the acting user's own workspace, which in a Slack Connect channel
    can belong to another company: it is used only when Slack names nothing else, and like
    every answer here it must then be a workspace of the authorized installation.
    """
    if "command" in body or body.get("type") == "event_callback":
        return _text(body.get("team_id"))
    team, view, user = body.get("team"), body.get("view"), body.get("user")
    if isinstance(team, dict):
        return _text(team.get("id"))
    if team is not None:
        return _text(team)
    if isinstance(view, dict) and _text(view.get("team_id")):
        return _text(view.get("team_id"))
    return _text(user.get("team_id")) if isinstance(user, dict) else None


class OrgMembership(Protocol):
    def __call__(self, enterprise_id: str, team_id: str, token: str | None) -> bool:
        """Whether Slack lists ``team_id`` among the workspaces org ``enterprise_id``'s
        org-wide install serves (``token`` is that install's, to ask Slack with)."""
        ...


class Refusal(Exception):
    """A request speaks for a workspace its authorization does not serve."""


def authorized_store_team(body: dict[str, Any], context: BoltContext, in_org: OrgMembership) -> str:
    """The store team of an OAuth request after Bolt's authorization; raises
    :class:`Refusal` when the request's workspace is not one the installation serves.

    * A workspace install serves exactly its workspace: ``context.team_id``, by which Bolt
      found the installation (for events, ``authorizations[0].team_id``).
    * An org-wide install (``context.is_enterprise_install``, found by
      ``context.enterprise_id``) serves the org's workspaces that Slack lists for it.
    """
    workspace = request_workspace(body)
    if workspace is None:
        raise Refusal("it names no workspace")
    if context.is_enterprise_install:
        org = context.enterprise_id
        if not org or not in_org(org, workspace, context.token):
            raise Refusal(f"not a workspace of the org-wide install of {org}")
        return team_key(workspace, org, org_wide=True)
    if workspace != context.team_id:
        raise Refusal(f"authorized for workspace {context.team_id}")
    return workspace


def _tokenless_event(body: dict[str, Any]) -> bool:
    event = body.get("event")
    return (
        body.get("type") == "event_callback"
        and isinstance(event, dict)
        and event.get("type") in TOKENLESS_EVENTS
    )


def store_team_middleware(
    in_org: OrgMembership | None, single_workspace_team: str
) -> Callable[..., BoltResponse | None]:
    """A Bolt global middleware (``app.use(...)``), run after authorization and before every
    listener, that puts the request's store team on its context (:data:`STORE_TEAM`).

    With ``in_org`` (OAuth installs) it is :func:`authorized_store_team`'s, and a refused
    request ends here with an empty 200. Without (one SLACK_BOT_TOKEN) every request is
    ``single_workspace_team``'s, the data the bot's one workspace was given.
    """

    def scope_to_workspace(
        body: dict[str, Any], context: BoltContext, next_: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        if in_org is None:
            context[STORE_TEAM] = single_workspace_team
        elif not _tokenless_event(body):
            try:
                context[STORE_TEAM] = authorized_store_team(body, context, in_org)
            except Refusal as refusal:
                logger.warning(
                    "Refusing a request from workspace %s (enterprise %s, org-wide %s): %s",
                    request_workspace(body),
                    context.enterprise_id,
                    bool(context.is_enterprise_install),
                    refusal,
                )
                return BoltResponse(status=200, body="")
        return next_()

    return scope_to_workspace


def store_team_of(context: BoltContext) -> str:
    """The store team :func:`store_team_middleware` decided for this request."""
    team = context.get(STORE_TEAM)
    if not isinstance(team, str) or not team:
        raise RuntimeError("No store team on this request: is store_team_middleware installed?")
    return team
