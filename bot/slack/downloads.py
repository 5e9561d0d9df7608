"""Downloading a file someone shared with the bot in Slack, safely.

The bot token is only ever sent to Slack's file host or to the host of SLACK_API_URL
(GovSlack, a proxy, or the tests' loopback fake); redirects are followed by hand so the
token never follows one elsewhere. Sizes are enforced before and while downloading.
"""

from __future__ import annotations

import http.client
import logging
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit

from slack_sdk import WebClient

from bot.settings import Settings

logger = logging.getLogger(__name__)

SLACK_FILE_HOST = "files.slack.com"
DOWNLOAD_TIMEOUT = 30.0
MAX_REDIRECTS = 3
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UploadRefused(Exception):
    """A file we will not or cannot take; ``message`` tells the person who sent it why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SlackFile:
    """What we use of a Slack file object (from a ``file_share`` event or a ``file_input``)."""

    id: str
    name: str
    size: int | None
    url: str

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


def slack_file(raw: Mapping[str, Any]) -> SlackFile:
    """Read a Slack file object; a missing size is ``None`` and checked while downloading."""
    size = raw.get("size")
    return SlackFile(
        id=str(raw.get("id") or ""),
        name=str(raw.get("name") or raw.get("title") or "upload"),
        size=size if isinstance(size, int) and not isinstance(size, bool) else None,
        url=str(raw.get("url_private_download") or raw.get("url_private") or ""),
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def too_large(name: str, limit: int, size: int | None = None) -> UploadRefused:
    actual = f" is {_mb(size)};" if size is not None else " is too large;"
    return UploadRefused(
        f"{name}{actual} the limit is {limit // (1024 * 1024)} MB."
        " Export fewer columns or split the waves into separate files."
    )


def check_file(file: SlackFile, suffixes: Sequence[str], max_bytes: int) -> None:
    """Refuse a file of the wrong type or declared too large, before downloading it."""
    if file.suffix not in suffixes:
        kinds = ", ".join(suffix.lstrip(".").upper() for suffix in suffixes)
        raise UploadRefused(f"I can only read {kinds} files here; {file.name} is not one.")
    if file.size is not None and file.size > max_bytes:
        raise too_large(file.name, max_bytes, file.size)
    if not file.url:
        raise UploadRefused(f"Slack did not say where to download {file.name}; upload it again.")


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    # user:password@ in a URL can hide the real host from a careless reader; never allowed.
    if parts.username is not None or parts.password is not None:
        return None
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    return scheme, host, port or _DEFAULT_PORTS[scheme]


def token_may_go_to(url: str, settings: Settings) -> bool:
    """Whether the bot token may be sent to ``url``: Slack's file host over HTTPS, or the
    host of SLACK_API_URL (GovSlack, a proxy, or the tests' loopback fake)."""
    origin = _origin(url)
    allowed = {("https", SLACK_FILE_HOST, 443), _origin(settings.slack_api_url)}
    return origin is not None and origin in allowed


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """urllib would forward the Authorization header to wherever a redirect points;
    redirects are followed by :func:`download` instead, after checking the new host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(proxy: str | None) -> urllib.request.OpenerDirector:
    # Same proxy as the Web API client (slack_sdk reads HTTPS_PROXY); none otherwise.
    proxies = {"http": proxy, "https": proxy} if proxy else {}
    return urllib.request.build_opener(urllib.request.ProxyHandler(proxies), _NoRedirects())


def _read_limited(response: http.client.HTTPResponse, name: str, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length") or ""
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large(name, max_bytes, int(declared))
    if "text/html" in (response.headers.get("Content-Type") or ""):
        # Slack answers a token without files:read with its sign-in page, not an error.
        raise UploadRefused(
            f"Slack sent a web page instead of {name}. The app may lack the files:read"
            " scope: reinstall it from manifest.yml."
        )
    parts, total = [], 0
    while chunk := response.read(_CHUNK):
        total += len(chunk)
        if total > max_bytes:  # a missing or lying Content-Length is caught here
            raise too_large(name, max_bytes)
        parts.append(chunk)
    return b"".join(parts)


def _http_problem(status: int, name: str) -> UploadRefused:
    if status in (401, 403):
        return UploadRefused(
            f"Slack would not let me download {name} (HTTP {status}). Check that the app has"
            " the files:read scope, then upload the file again."
        )
    if status == 404:
        return UploadRefused(f"{name} is no longer in Slack (HTTP 404); upload it again.")
    return UploadRefused(f"Slack could not send {name} (HTTP {status}); try again in a minute.")


def download(
    file: SlackFile, *, token: str, settings: Settings, max_bytes: int, proxy: str | None = None
) -> bytes:
    """The bytes of ``file``, at most ``max_bytes``, fetched with the bot token.

    The host of every URL, redirects included, is checked before any request is made.
    """
    url = file.url
    opener = _opener(proxy)
    for _ in range(MAX_REDIRECTS + 1):
        if not token_may_go_to(url, settings):
            logger.warning("Refused to download %s from %s", file.id, urlsplit(url).hostname)
            raise UploadRefused(
                f"{file.name} is not stored on Slack's file server, so I did not download it."
            )
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        try:
            with opener.open(request, timeout=DOWNLOAD_TIMEOUT) as response:
                return _read_limited(response, file.name, max_bytes)
        except HTTPError as error:
            location = error.headers.get("Location") if error.code in _REDIRECTS else None
            error.close()
            if not location:
                raise _http_problem(error.code, file.name) from None
            url = urljoin(url, location)
        except (URLError, OSError, http.client.HTTPException) as error:
            logger.warning("Downloading %s failed: %s", file.id, error)
            raise UploadRefused(
                f"I could not download {file.name} from Slack; try again in a minute."
            ) from None
    raise UploadRefused(f"Slack kept redirecting the download of {file.name}; try again later.")


def fetch(client: WebClient, settings: Settings, file: SlackFile, max_bytes: int) -> bytes:
    proxy = getattr(client, "proxy", None)
    return download(
        file,
        token=str(client.token or ""),
        settings=settings,
        max_bytes=max_bytes,
        proxy=proxy if isinstance(proxy, str) and proxy.strip() else None,
    )
