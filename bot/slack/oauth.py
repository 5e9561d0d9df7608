"""Many workspaces: the OAuth install, where each workspace's bot token lives, and whose data a
request may see.

* **Install.** ``GET /slack/install`` shows an "Add to Slack" page whose link carries a one-time
  ``state`` (also set as a cookie); Slack sends the installer back to ``GET
  /slack/oauth_redirect`` with a ``code``, which ``oauth.v2.access`` exchanges for the
  workspace's bot token. Installations and OAuth states are kept by slack_sdk's SQLite stores in
  the app's own database file (tables ``slack_installations``, ``slack_bots``,
  ``oauth_states``), subclassed here to be safe with several gunicorn processes and threads.
* **Token rotation.** When Slack issues expiring tokens, a token due within
  ``SLACK_TOKEN_ROTATION_MINUTES`` is refreshed (``oauth.v2.access`` with
  ``grant_type=refresh_token``) before it is used. Slack's refresh tokens are single-use, so a
  refresh holds a lock shared by every process on the database and re-reads the stored token
  first: two requests (or the web process and the digest worker) never refresh it twice.
* **Isolation.** Data is stored per workspace: see :mod:`bot.slack.workspaces`. Which workspaces an
  org-wide install serves is what Slack's ``auth.teams.list`` says for the org's token, kept
  in the database (tables ``slack_org_teams``, ``slack_org_team_lists``) so that every process
  agrees; it is asked again when a request names a workspace not on the list, at most every
  ``ORG_TEAMS_REFRESH_SECONDS`` per org (:meth:`InstallationStore.org_serves`).
* **Uninstall.** ``app_uninstalled`` and ``tokens_revoked`` delete the workspace's tokens and
  pause its digests (:func:`forget_workspace`).
* **Retries.** Every Web API client comes from :func:`bot.slack.clients.web_client`.
"""

from __future__ import annotations

import contextlib
import fcntl
import html
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.settings import Settings
from bot.slack.clients import web_client
from bot.slack.workspaces import OrgMembership, parse_team_key
from insights import Store
from insights.digests import pause_team_subscriptions

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600  # how long an install link stays valid
BUSY_SECONDS = 10.0  # how long a statement of slack_sdk's stores waits for another writer
NOT_INSTALLED = (
    ":warning: Empathy Gap is no longer installed in this workspace, so it cannot answer. "
    "Ask a Slack admin to install it again."
)
UNINSTALLED = "app uninstalled"
TOKENS_REVOKED = "Slack tokens revoked"
NO_INSTALLATION = "app not installed in this workspace"
# How soon Slack may be asked again for an org's workspaces when a request names one not on
# the stored list: a workspace approved since the last ask waits at most this long, and a
# flood of strangers costs at most 6 calls a minute (auth.teams.list allows about 20).
ORG_TEAMS_REFRESH_SECONDS = 10.0
# The ask happens before the request's ack, which Slack wants within 3 seconds: no retries.
ORG_TEAMS_TIMEOUT_SECONDS = 2
ORG_TEAMS_MAX_PAGES = 20  # of 1,000 workspaces each


# -- the SQLite stores -----------------------------------------------------------------------


@contextlib.contextmanager
def _database_lock(database: str, purpose: str) -> Iterator[None]:
    """One ``purpose`` at a time across every process and thread using ``database`` (SQLite
    in WAL mode already requires them all on one host, so a lock file next to it suffices)."""
    with open(f"{database}.{purpose}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _tables_exist(database: str, tables: tuple[str, ...]) -> bool:
    with contextlib.closing(sqlite3.connect(database, timeout=BUSY_SECONDS)) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    return set(tables) <= names


def _create_tables_once(init: Callable[[], None], database: str, tables: tuple[str, ...]) -> None:
    """Run slack_sdk's ``init`` (which creates its tables when a probe fails) until they all
    exist: another process creating them at the same moment makes ours fail with "already
    exists", or shows them half made; both settle within moments."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            init()
            if _tables_exist(database, tables):
                return
        except sqlite3.OperationalError as error:
            if "already exists" not in str(error) and "locked" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise RuntimeError(f"slack_sdk's tables {tables} never appeared in {database}")
        time.sleep(0.05)


class _SharedDatabase:
    """What both slack_sdk SQLite stores need to share the app's database with other threads
    and processes: tables created once, and connections that wait for a busy writer."""

    TABLES: tuple[str, ...] = ()
    database: str
    init_called: bool
    _init_lock: threading.Lock

    def init(self) -> None:
        with self._init_lock:
            if not self.init_called:
                _create_tables_once(super().init, self.database, self.TABLES)  # type: ignore[misc]
                self.init_called = True

    def connect(self) -> sqlite3.Connection:
        if not self.init_called:
            self.init()
        return sqlite3.connect(database=self.database, timeout=BUSY_SECONDS)


class InstallationStore(_SharedDatabase, SQLite3InstallationStore):
    """slack_sdk's SQLite installation store, on the app's database, made fit for several
    processes and threads: tables created once, a busy timeout, and only the latest
    installation kept per workspace (the history would keep stale tokens and make "latest"
    ambiguous: ``installed_at`` has one-second resolution)."""

    TABLES = ("slack_installations", "slack_bots")
    ORG_TABLES = ("slack_org_teams", "slack_org_team_lists")

    def __init__(self, database: str | Path, client_id: str) -> None:
        super().__init__(database=str(database), client_id=client_id, logger=logger)
        self._init_lock = threading.Lock()
        self._org_tables_ready = False

    def init(self) -> None:
        super().init()
        if not self._org_tables_ready:
            with self._writing() as conn:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS slack_org_teams (client_id TEXT NOT NULL,"
                    " enterprise_id TEXT NOT NULL, team_id TEXT NOT NULL,"
                    " PRIMARY KEY (client_id, enterprise_id, team_id))"
                )
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS slack_org_team_lists (client_id TEXT NOT NULL,"
                    " enterprise_id TEXT NOT NULL, asked_at REAL NOT NULL,"
                    " PRIMARY KEY (client_id, enterprise_id))"
                )
            self._org_tables_ready = True

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with contextlib.closing(self.connect()) as conn, conn:
            yield conn

    def save(self, installation: Installation) -> None:
        super().save(installation)  # also saves the bot (save_bot below)
        self._keep_latest("slack_installations", installation.enterprise_id, installation.team_id)

    def save_bot(self, bot: Bot) -> None:
        super().save_bot(bot)
        if bot.bot_token is not None:
            self._keep_latest("slack_bots", bot.enterprise_id, bot.team_id)

    def _keep_latest(self, table: str, enterprise_id: str | None, team_id: str | None) -> None:
        where = "client_id = ? AND enterprise_id = ? AND team_id = ?"
        key = [self.client_id, enterprise_id or "", team_id or ""]
        with self._writing() as conn:
            conn.execute(
                f"DELETE FROM {table} WHERE {where} AND id < (SELECT MAX(id) FROM {table}"
                f" WHERE {where})",
                key + key,
            )

    def forget(self, enterprise_id: str | None, team_id: str | None) -> int:
        """Delete every token of a workspace (or, with no team, of an org-wide install, and
        the list of the org's workspaces). Unlike slack_sdk's ``delete_all``, a failure
        raises instead of being logged away."""
        key = [self.client_id, enterprise_id or "", team_id or ""]
        deleted = 0
        with self._writing() as conn:
            for table in self.TABLES:
                cursor = conn.execute(
                    f"DELETE FROM {table}"
                    " WHERE client_id = ? AND enterprise_id = ? AND team_id = ?",
                    key,
                )
                deleted += cursor.rowcount
            if team_id is None and enterprise_id:
                for table in self.ORG_TABLES:
                    conn.execute(
                        f"DELETE FROM {table} WHERE client_id = ? AND enterprise_id = ?",
                        [self.client_id, enterprise_id],
                    )
        return deleted

    def org_serves(
        self, enterprise_id: str, team_id: str, list_teams: Callable[[], list[str] | None]
    ) -> bool:
        """Whether org ``enterprise_id``'s org-wide install serves workspace ``team_id``.

        The stored list (what ``list_teams``, Slack's ``auth.teams.list``, last returned) is
        read first. A workspace not on it makes Slack be asked again, one process at a time
        (the others wait, then read what it stored), unless Slack answered less than
        :data:`ORG_TEAMS_REFRESH_SECONDS` ago. Only Slack's answer is stored, never what a
        request says; when Slack cannot answer, nothing is stored and the next request asks.
        """
        if self._org_lists(enterprise_id, team_id):
            return True
        with _database_lock(self.database, "org-teams"):
            if self._org_lists(enterprise_id, team_id):  # stored while this one waited
                return True
            if self._org_asked_since(enterprise_id, time.time() - ORG_TEAMS_REFRESH_SECONDS):
                return False
            teams = list_teams()
            if teams is None:  # Slack could not say: the next request asks again
                return False
            self._save_org_teams(enterprise_id, teams)
        return team_id in teams

    def _org_lists(self, enterprise_id: str, team_id: str) -> bool:
        with contextlib.closing(self.connect()) as conn:
            row = conn.execute(
                "SELECT 1 FROM slack_org_teams"
                " WHERE client_id = ? AND enterprise_id = ? AND team_id = ?",
                [self.client_id, enterprise_id, team_id],
            ).fetchone()
        return row is not None

    def _org_asked_since(self, enterprise_id: str, since: float) -> bool:
        with contextlib.closing(self.connect()) as conn:
            row = conn.execute(
                "SELECT 1 FROM slack_org_team_lists"
                " WHERE client_id = ? AND enterprise_id = ? AND asked_at > ?",
                [self.client_id, enterprise_id, since],
            ).fetchone()
        return row is not None

    def _save_org_teams(self, enterprise_id: str, teams: list[str]) -> None:
        """Replace the org's stored workspaces with Slack's answer, noting when it came."""
        where = [self.client_id, enterprise_id]
        with self._writing() as conn:
            conn.execute(
                "DELETE FROM slack_org_teams WHERE client_id = ? AND enterprise_id = ?", where
            )
            conn.executemany(
                "INSERT OR IGNORE INTO slack_org_teams (client_id, enterprise_id, team_id)"
                " VALUES (?, ?, ?)",
                [(*where, team) for team in teams],
            )
            conn.execute(
                "INSERT OR REPLACE INTO slack_org_team_lists (client_id, enterprise_id, asked_at)"
                " VALUES (?, ?, ?)",
                [*where, time.time()],
            )

    def find_for_team(self, key: str) -> Installation | None:
        """The installation serving store team ``key`` (see :func:`team_key`)."""
        enterprise_id, team_id, org_wide = parse_team_key(key)
        if org_wide:
            return self.find_installation(
                enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
            )
        with contextlib.closing(self.connect()) as conn:
            row = conn.execute(
                "SELECT enterprise_id FROM slack_installations WHERE client_id = ? AND team_id = ?"
                " ORDER BY id DESC LIMIT 1",
                [self.client_id, team_id],
            ).fetchone()
        if row is None:
            return None
        return self.find_installation(enterprise_id=row[0] or None, team_id=team_id)


class OAuthStateStore(_SharedDatabase, SQLite3OAuthStateStore):
    """slack_sdk's SQLite OAuth state store on the app's database: tables created once, a
    busy timeout, and expired states swept when a new one is issued."""

    TABLES = ("oauth_states",)

    def __init__(self, database: str | Path, expiration_seconds: int = STATE_SECONDS) -> None:
        super().__init__(
            database=str(database), expiration_seconds=expiration_seconds, logger=logger
        )
        self._init_lock = threading.Lock()

    def issue(self, *args: Any, **kwargs: Any) -> str:
        with contextlib.closing(self.connect()) as conn, conn:
            conn.execute("DELETE FROM oauth_states WHERE expire_at <= ?", [time.time()])
        state: str = super().issue(*args, **kwargs)
        return state


# -- token rotation --------------------------------------------------------------------------


def _expiring(expires_at: int | None, minutes: int) -> bool:
    return expires_at is not None and expires_at <= time.time() + minutes * 60


class LockedTokenRotator(TokenRotator):
    """slack_sdk's rotator, serialised: under the lock the stored installation is read again,
    and only a token still due is refreshed (Slack's refresh tokens work once); the result is
    saved before the lock is released."""

    def __init__(
        self, *, client_id: str, client_secret: str, client: WebClient, store: InstallationStore
    ) -> None:
        super().__init__(client_id=client_id, client_secret=client_secret, client=client)
        self.store = store

    def perform_token_rotation(
        self, *, installation: Installation, minutes_before_expiration: int = 120
    ) -> Installation | None:
        minutes = minutes_before_expiration
        if not (
            _expiring(installation.bot_token_expires_at, minutes)
            or _expiring(installation.user_token_expires_at, minutes)
        ):
            return None
        with _database_lock(self.store.database, "token-refresh"):
            latest = self.store.find_installation(
                enterprise_id=installation.enterprise_id,
                team_id=installation.team_id,
                is_enterprise_install=installation.is_enterprise_install,
            )
            current = latest or installation
            refreshed: Installation | None = super().perform_token_rotation(
                installation=current, minutes_before_expiration=minutes
            )
            if refreshed is not None:
                logger.info(
                    "Refreshed the bot token of workspace %s", installation.team_id or "(org)"
                )
                self.store.save(refreshed)
                return refreshed
            if latest is not None and latest.bot_token != installation.bot_token:
                return latest  # another process refreshed it while we waited
            return None


@dataclass(frozen=True)
class TokenProblem:
    """Why a workspace has no usable bot token; ``pause``: it will not come back by itself."""

    reason: str
    pause: bool


class TeamTokens:
    """Bot tokens by store team, for the digest worker (OAuth mode), refreshed when due."""

    def __init__(self, settings: Settings, client: WebClient | None = None) -> None:
        client_id, client_secret = _client_credentials(settings)
        self.store = InstallationStore(settings.database_path, client_id)
        self.rotator = LockedTokenRotator(
            client_id=client_id,
            client_secret=client_secret,
            client=client or web_client(settings),
            store=self.store,
        )
        self.minutes = settings.slack_token_rotation_minutes

    def token(self, key: str) -> str | TokenProblem:
        installation = self.store.find_for_team(key)
        if installation is None or not installation.bot_token:
            return TokenProblem(NO_INSTALLATION, pause=True)
        try:
            refreshed = self.rotator.perform_token_rotation(
                installation=installation, minutes_before_expiration=self.minutes
            )
        except SlackTokenRotationError as error:
            return _rotation_problem(error.api_error)
        except OSError as error:  # URLError included: Slack unreachable, try again later
            return TokenProblem(f"cannot reach Slack to refresh the token: {error}", pause=False)
        token = (refreshed or installation).bot_token
        return token if token else TokenProblem(NO_INSTALLATION, pause=True)


def _rotation_problem(error: SlackApiError) -> TokenProblem:
    status = getattr(error.response, "status_code", 0)
    if status == 429 or status >= 500:
        return TokenProblem(f"Slack could not refresh the token (HTTP {status})", pause=False)
    code = error.response.get("error") or f"HTTP {status}"
    return TokenProblem(f"Slack refused to refresh the token ({code}); reinstall the app", True)


# -- the workspaces of an org-wide install --------------------------------------------------


def org_team_ids(settings: Settings, token: str) -> list[str] | None:
    """The workspaces Slack lists for an org-wide install's bot ``token``
    (``auth.teams.list``, every page); None when Slack could not say."""
    client = WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=ORG_TEAMS_TIMEOUT_SECONDS,
        retry_handlers=[],
    )
    teams: list[str] = []
    cursor: str | None = None
    try:
        for _ in range(ORG_TEAMS_MAX_PAGES):
            response = client.auth_teams_list(limit=1000, cursor=cursor)
            listed = response.get("teams") or []
            teams += [
                t["id"] for t in listed if isinstance(t, dict) and isinstance(t.get("id"), str)
            ]
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if cursor is None:
                break
    except SlackApiError as error:
        logger.warning("Slack would not list the org's workspaces: %s", error.response.get("error"))
        return None
    except OSError as error:  # URLError and timeouts included
        logger.warning("Could not ask Slack for the org's workspaces: %s", error)
        return None
    return teams


def org_membership(installations: InstallationStore, settings: Settings) -> OrgMembership:
    """Whether a workspace is one of an org-wide install's (see
    :meth:`InstallationStore.org_serves`), asking Slack with the install's own token."""

    def in_org(enterprise_id: str, team_id: str, token: str | None) -> bool:
        def list_teams() -> list[str] | None:
            return org_team_ids(settings, token) if token else None

        return installations.org_serves(enterprise_id, team_id, list_teams)

    return in_org


# -- the OAuth flow --------------------------------------------------------------------------


def _page(title: str, *paragraphs: str) -> str:
    """A plain page; ``paragraphs`` are HTML (escape what they quote)."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · Empathy Gap</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;"
        "padding:0 1rem;line-height:1.5;color:#1d1c1d}a.button{display:inline-block;"
        "padding:.6rem 1.1rem;border-radius:6px;background:#2f4858;color:#fff;"
        "text-decoration:none}</style></head>\n"
        f"<body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n"
    )


def install_page(url: str) -> str:
    return _page(
        "Add Empathy Gap to Slack",
        "Empathy Gap answers questions about your CX surveys in Slack: how far your people's "
        "own belief in customer empathy is from what they say your organization believes.",
        f'<a class="button" href="{html.escape(url, quote=True)}">Add to Slack</a>',
        "Slack asks you to pick the workspace and confirm. Each workspace sees only the "
        "surveys imported in it.",
    )


_FAILURES = {
    "access_denied": "The installation was cancelled in Slack; nothing was installed.",
    "invalid_browser": (
        "This page was opened without the session the install page started (another "
        "browser, or cookies blocked), so it cannot be trusted."
    ),
    "invalid_state": "This install link has expired or was already used.",
    "missing_code": "Slack did not send an authorization code.",
    "invalid_code": "Slack did not accept the authorization (it may have expired).",
    "storage_error": "The installation could not be saved on our side.",
}


def _success(args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    where = installation.team_name or installation.enterprise_name or "your workspace"
    logger.info(
        "Installed in workspace %s (enterprise %s, org-wide %s)",
        installation.team_id,
        installation.enterprise_id,
        installation.is_enterprise_install,
    )
    page = _page(
        "Empathy Gap is installed",
        f"Empathy Gap is now installed in <b>{html.escape(where)}</b>.",
        "In Slack, type <code>/empathy help</code> in any channel, or mention "
        "<code>@Empathy</code> in a thread. An admin adds your survey with "
        "<code>/empathy import</code>. You can close this page.",
    )
    return BoltResponse(
        status=200,
        body=page,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Set-Cookie": args.settings.state_utils.build_set_cookie_for_deletion(),
        },
    )


def _failure(args: FailureArgs) -> BoltResponse:
    reason = args.reason
    cause = f" ({type(args.error).__name__})" if args.error is not None else ""
    logger.warning("An installation failed: %s%s", reason, cause)
    what = _FAILURES.get(reason, f"Slack reported <code>{html.escape(reason)}</code>.")
    if reason == "storage_error":
        status = 500
    elif reason in _FAILURES and reason != "access_denied":
        status = 400
    else:  # Slack sent the installer back with an error of its own (e.g. they cancelled)
        status = 200
    page = _page(
        "Empathy Gap was not installed",
        what,
        f'<a class="button" href="{INSTALL_PATH}">Start again</a>',
    )
    return BoltResponse(
        status=status,
        body=page,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Set-Cookie": args.settings.state_utils.build_set_cookie_for_deletion(),
        },
    )


class EmpathyOAuthFlow(OAuthFlow):
    """Bolt's OAuth flow with this app's install page."""

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return install_page(url)

    @property
    def installations(self) -> InstallationStore:
        """The installation store every request is authorized from."""
        store = self.settings.installation_store
        if not isinstance(store, InstallationStore):
            raise TypeError("The OAuth flow was not built by oauth_flow().")
        return store


def _client_credentials(settings: Settings) -> tuple[str, str]:
    if not settings.oauth_enabled or settings.slack_client_secret is None:
        raise ValueError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are not both set.")
    return str(settings.slack_client_id), settings.slack_client_secret.get_secret_value()


def oauth_flow(settings: Settings, client: WebClient) -> EmpathyOAuthFlow:
    """The install flow and ``authorize`` for every request, on ``settings.database_path``.

    ``client`` (with the retry handlers, at ``slack_api_url``) makes the ``oauth.v2.access``
    calls: the code exchange, and refreshes of rotating tokens.
    """
    client_id, client_secret = _client_credentials(settings)
    installations = InstallationStore(settings.database_path, client_id)
    states = OAuthStateStore(settings.database_path)
    installations.init()
    states.init()
    oauth = OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=settings.slack_scopes,
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(success=_success, failure=_failure),
        authorization_url=settings.slack_oauth_url,
        installation_store=installations,
        token_rotation_expiration_minutes=settings.slack_token_rotation_minutes,
        state_store=states,
        state_expiration_seconds=STATE_SECONDS,
        logger=logger,
    )
    authorize = InstallationStoreAuthorize(
        logger=logger,
        installation_store=installations,
        client_id=client_id,
        client_secret=client_secret,
        token_rotation_expiration_minutes=settings.slack_token_rotation_minutes,
        client=client,
    )
    authorize.token_rotator = LockedTokenRotator(
        client_id=client_id, client_secret=client_secret, client=client, store=installations
    )
    oauth.authorize = authorize
    return EmpathyOAuthFlow(client=client, logger=logger, settings=oauth)


# -- uninstall -------------------------------------------------------------------------------


def forget_workspace(
    installations: InstallationStore | None,
    store: Store,
    *,
    enterprise_id: str | None,
    team_id: str | None,
    org_wide: bool,
    reason: str,
    single_workspace_team: str | None = None,
) -> int:
    """The app was uninstalled from a workspace (or org), or its bot token revoked: delete the
    tokens and pause the digests of every store team they served. Returns how many digests
    were paused. A single-workspace bot (no ``installations``) pauses its one team's."""
    if installations is None:
        key = single_workspace_team or ""
        return pause_team_subscriptions(store, key, reason) if key else 0
    deleted = installations.forget(enterprise_id, None if org_wide else team_id)
    if org_wide and enterprise_id:
        paused = pause_team_subscriptions(store, enterprise_id, reason, org_wide=True)
    elif team_id:
        paused = pause_team_subscriptions(store, team_id, reason)
    else:
        paused = 0
    logger.info(
        "%s: deleted %d token rows of workspace %s (enterprise %s), paused %d digests",
        reason,
        deleted,
        team_id,
        enterprise_id,
        paused,
    )
    return paused
