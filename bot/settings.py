"""The one place configuration is read: environment variables and ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Built once at an edge (CLI, web process, worker) and passed in; tests use the constructor."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_path: Path = Path("empathy.db")
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    port: int = Field(default=3000, ge=1, le=65535)
    min_group_size: int = Field(default=5, ge=1)
    admin_user_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)
    default_timezone: str = "UTC"
    default_team_id: str = "local"
    log_level: str = "INFO"
    # Largest survey export an admin may upload to the bot in Slack, in megabytes.
    max_upload_mb: int = Field(default=50, ge=1, le=1024)

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # slack_sdk joins method names onto the base URL, which must end with a slash.
        return value if value.endswith("/") else value + "/"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def has_slack_credentials(self) -> bool:
        return self.slack_bot_token is not None and self.slack_signing_secret is not None
