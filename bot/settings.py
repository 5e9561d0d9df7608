"""The one place configuration is read: environment variables and ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from insights.ingest import DEFAULT_LIMITS, Limits

# The bot scopes of manifest.yml: what an OAuth install asks each workspace for.
BOT_SCOPES = (
    "commands",
    "app_mentions:read",
    "chat:write",
    "im:history",
    "im:write",
    "files:read",
    "files:write",
    "users:read",
    "channels:read",  # a pulse's audience: a public channel's members
    "groups:read",  # … a private channel's
    "usergroups:read",  # … a user group's
    "assistant:write",  # the assistant surface's status, title and suggested prompts
)


class Settings(BaseSettings):
    """Built once at an edge (CLI, web process, worker) and passed in; tests use the constructor."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_path: Path = Path("empathy.db")
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    # Many workspaces: with both set, workspaces install the app at /slack/install (OAuth)
    # and SLACK_BOT_TOKEN is ignored. See "Install in your Slack workspace" in the README.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_scopes: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(BOT_SCOPES))
    # The public URL of /slack/oauth_redirect; empty: the first Redirect URL of the Slack app.
    slack_redirect_uri: str | None = None
    slack_oauth_url: str = "https://slack.com/oauth/v2/authorize"
    # A rotating bot token is refreshed when it expires within this many minutes.
    slack_token_rotation_minutes: int = Field(default=120, ge=1, le=720)
    # Retries of a Web API call Slack answered 429 or 5xx (or whose connection dropped).
    slack_max_retries: int = Field(default=2, ge=0, le=5)
    port: int = Field(default=3000, ge=1, le=65535)
    min_group_size: int = Field(default=5, ge=1)
    admin_user_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Digest subscriptions: admins only even while ADMIN_USER_IDS is empty (see permissions).
    restrict_subscriptions: bool = False
    default_timezone: str = "UTC"
    default_team_id: str = "local"
    log_level: str = "INFO"
    # Largest survey export an admin may upload to the bot in Slack, in megabytes.
    max_upload_mb: int = Field(default=50, ge=1, le=1024)
    # Threads per web process computing answers after the ack (see bot.app.answer_executor).
    answer_threads: int = Field(default=2, ge=1, le=32)
    # The web process (bot.entrypoints.server): worker processes, each reading every request on one
    # event loop (platforms such as Heroku set WEB_CONCURRENCY themselves) ...
    web_concurrency: int = Field(default=1, ge=1, le=32)
    # ... and threads per process that parse signed requests and run their acks
    # (bot.entrypoints.web).
    web_threads: int = Field(default=8, ge=1, le=64)
    # Seconds a client has to send a request's headers (from connecting, or from the previous
    # response), and then its body: slower connections are closed (a late body gets 408), so
    # slow or silent clients cannot hold the web process.
    http_header_timeout_seconds: float = Field(default=10, gt=0, le=300)
    http_body_timeout_seconds: float = Field(default=10, gt=0, le=300)
    # What an export may hold, at the command line and in Slack alike (insights.ingest.exports).
    max_columns: int = Field(default=DEFAULT_LIMITS.max_columns, ge=1, le=100_000)
    max_cell_chars: int = Field(default=DEFAULT_LIMITS.max_cell_chars, ge=1, le=10_000_000)
    max_xlsx_unpacked_mb: int = Field(default=DEFAULT_LIMITS.xlsx_unpacked_mb, ge=1)
    max_xlsx_shared_strings: int = Field(default=DEFAULT_LIMITS.xlsx_shared_strings, ge=1)
    max_xlsx_shared_strings_mb: int = Field(default=DEFAULT_LIMITS.xlsx_shared_strings_mb, ge=1)
    # Slack uploads are read and imported in a child process (bot.imports.jobs): at most this
    # many at once per web process, each within this much memory and wall-clock time.
    max_concurrent_imports: int = Field(default=2, ge=1, le=16)
    import_memory_mb: int = Field(default=1536, ge=256, le=65_536)
    import_timeout_seconds: int = Field(default=300, ge=1, le=3600)
    # An optional language model that reads questions the rules cannot
    # (insights.answers.model_reading): on only when LLM_BASE_URL and LLM_MODEL are both set.
    # No key for local servers (Ollama).
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout_seconds: float = Field(default=4, gt=0, le=60)

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("slack_scopes", mode="before")
    @classmethod
    def _scopes(cls, value: object) -> object:
        if isinstance(value, str):  # comma-separated; empty means the manifest's scopes
            return [part.strip() for part in value.split(",") if part.strip()] or list(BOT_SCOPES)
        return value

    @field_validator(
        "slack_client_id", "slack_redirect_uri", "llm_base_url", "llm_model", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # slack_sdk joins method names onto the base URL, which must end with a slash.
        return value if value.endswith("/") else value + "/"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def export_limits(self) -> Limits:
        """The readers' limits these settings give."""
        return Limits(
            max_columns=self.max_columns,
            max_cell_chars=self.max_cell_chars,
            xlsx_unpacked_mb=self.max_xlsx_unpacked_mb,
            xlsx_shared_strings=self.max_xlsx_shared_strings,
            xlsx_shared_strings_mb=self.max_xlsx_shared_strings_mb,
        )

    @property
    def oauth_enabled(self) -> bool:
        """Many workspaces (OAuth install): SLACK_CLIENT_ID and SLACK_CLIENT_SECRET both set."""
        secret = self.slack_client_secret
        return bool(self.slack_client_id) and secret is not None and bool(secret.get_secret_value())

    @property
    def can_post(self) -> bool:
        """Whether there is a bot token to post with: SLACK_BOT_TOKEN, or OAuth installs."""
        return self.oauth_enabled or self.slack_bot_token is not None

    @property
    def llm_enabled(self) -> bool:
        """Whether questions the rules cannot read go to a language model: LLM_BASE_URL and
        LLM_MODEL both set."""
        return bool(self.llm_base_url) and bool(self.llm_model)

    @property
    def has_slack_credentials(self) -> bool:
        return self.can_post and self.slack_signing_secret is not None
