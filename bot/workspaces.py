"""Whose data a request may see: the *store team* of a Slack workspace.

Every survey, subscription, thread and import is stored under a store team: the Slack team
id (``T…``) of a workspace install, or ``E…:T…`` (enterprise and workspace) for the
workspaces of an org-wide install. :func:`team_key` is the one place it is computed.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import BoltContext, BoltResponse

logger = logging.getLogger(__name__)


def team_key(team_id: str | None, enterprise_id: str | None = None, org_wide: bool = False) -> str:
    """The store team of a request from workspace ``team_id``.

    A workspace install (also one inside an Enterprise Grid org) is its Slack team id; a
    workspace reached through an org-wide install is ``ENTERPRISE:TEAM``, so each workspace of
    the org still has its own surveys. A request naming no workspace gets a key of its own that
    matches nothing stored: it can read no one's data.
    """
    if not team_id:
        logger.warning("A request named no workspace; it sees no survey")
        return f"unknown-{uuid.uuid4().hex}"
    if org_wide and enterprise_id:
        return f"{enterprise_id}:{team_id}"
    return team_id


def parse_team_key(key: str) -> tuple[str | None, str, bool]:
    """(enterprise id, team id, org-wide) of a store team made by :func:`team_key`."""
    enterprise_id, colon, team_id = key.partition(":")
    if colon:
        return enterprise_id, team_id, True
    return None, key, False


def request_team_ids(body: dict[str, Any]) -> set[str]:
    """Every workspace id a payload names where listeners look for it."""
    team, user, view = body.get("team"), body.get("user"), body.get("view")
    candidates = [
        body.get("team_id"),  # commands and events
        team if isinstance(team, str) else None,
        team.get("id") if isinstance(team, dict) else None,  # buttons and modals
        user.get("team_id") if isinstance(user, dict) else None,
        view.get("team_id") if isinstance(view, dict) else None,
    ]
    return {value for value in candidates if isinstance(value, str) and value}


class OrgWideTeams:
    """Which workspaces reached this process through an org-wide install, and in which org.

    Listeners know a request's workspace id only; Bolt's context knows whether it came
    through an org-wide install. :meth:`note` (a middleware, run before every listener)
    records that, and :meth:`key` turns a workspace id into its store team.
    """

    def __init__(self) -> None:
        self._org_of: dict[str, str] = {}
        self._lock = threading.Lock()

    def note(self, team_ids: Iterable[str], enterprise_id: str) -> None:
        with self._lock:
            for team_id in team_ids:
                self._org_of[team_id] = enterprise_id

    def key(self, team_id: str | None) -> str:
        with self._lock:
            enterprise_id = self._org_of.get(team_id or "")
        return team_key(team_id, enterprise_id, org_wide=enterprise_id is not None)

    def middleware(self) -> Callable[..., BoltResponse | None]:
        """A Bolt global middleware (``app.use(...)``), run after authorization and before
        every listener: it records org-wide requests, and drops a request whose workspace,
        as listeners read it, is not the one whose token Bolt authorized (possible only for
        payloads from shared channels): no workspace is ever answered with another's data."""

        def scope_to_workspace(
            body: dict[str, Any], context: BoltContext, next_: Callable[[], BoltResponse]
        ) -> BoltResponse | None:
            if context.is_enterprise_install and context.enterprise_id:
                self.note(request_team_ids(body), context.enterprise_id)
            elif context.team_id and listener_team_id(body) not in (None, context.team_id):
                logger.warning(
                    "Ignoring a request from workspace %s authorized for workspace %s",
                    listener_team_id(body),
                    context.team_id,
                )
                return BoltResponse(status=200, body="")
            return next_()

        return scope_to_workspace


def listener_team_id(body: dict[str, Any]) -> str | None:
    """The workspace id listeners pass to ``Deps.team_for``: ``team_id`` of commands and
    events, ``team.id`` of buttons and modals."""
    team = body.get("team")
    found = body.get("team_id") or (team.get("id") if isinstance(team, dict) else team)
    return found if isinstance(found, str) and found else None
