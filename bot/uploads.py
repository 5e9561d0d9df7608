"""Survey exports uploaded to the bot in Slack: checked, downloaded, mapped, then imported.

The Slack edge of importing. An admin shares a file in a DM with the bot (or through
``/empathy import``); it is downloaded with the bot token, read with
:func:`insights.exports.open_export`, given a suggested codebook, and kept as a pending
import until the admin clicks Import (or Cancel). Listeners parse Slack's payloads and
send what these functions return; every failure becomes a message fit for people.

Security: the bot token is only ever sent to Slack's file host or to the host of
SLACK_API_URL, and sizes are enforced before and while downloading.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import import_blocks as ui
from bot import permissions
from bot.blocks import internal_error_message, user_error_message
from bot.downloads import (
    SlackFile,
    UploadRefused,
    check_file,
    fetch,
    slack_file,
)
from bot.listeners import new_reference
from bot.permissions import may_import
from bot.settings import Settings
from insights import CodebookError, ImportFailed, Store, UserError, audit
from insights import pending as pending_imports
from insights.codebook import Codebook, parse_codebook
from insights.exports import Export, open_export
from insights.import_checks import missing_columns
from insights.importer import import_export
from insights.pending import CodebookFormat, PendingImport
from insights.render import Message
from insights.suggest import Suggestion, suggest_codebook

logger = logging.getLogger(__name__)

EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
CODEBOOK_SUFFIXES = (".toml", ".yaml", ".yml")
# A codebook is a page of text; anything bigger is not one.
CODEBOOK_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Where:
    """Who sent a file and the conversation about it (``thread_ts`` ``None``: not yet one)."""

    team_id: str  # the store's team, from Deps.team_for
    user_id: str
    channel_id: str
    thread_ts: str | None


@dataclass(frozen=True)
class Outcome:
    """The message to send, and the pending import it offers (if any)."""

    message: Message
    pending: PendingImport | None = None


# --- messages --------------------------------------------------------------------------


def refusal() -> Message:
    return permissions.refusal("import survey data", "Ask one of them to upload the file.")


def gone() -> Message:
    return ui.notice(
        "This upload is no longer waiting: it was imported, cancelled or has expired."
        " Upload the file again to start over.",
        "hourglass",
    )


def needs_codebook() -> Message:
    return ui.notice(
        "This file has no mapping yet: upload a codebook (.toml or .yaml) in its thread first.",
        "grey_question",
    )


def translate(error: Exception) -> Message:
    """The one place an upload's failure becomes a message; ours get a reference id."""
    if isinstance(error, UploadRefused):
        return ui.notice(error.message, "no_entry")
    if isinstance(error, ImportFailed):
        return ui.problems_message(error.message, error.problems)
    if isinstance(error, UserError):
        return user_error_message(error.message, error.suggestion)
    reference = new_reference()
    logger.error("Could not handle an upload (reference %s)", reference, exc_info=error)
    return internal_error_message(reference)


def _safely(action: Callable[[], Outcome]) -> Outcome:
    try:
        return action()
    except Exception as error:
        return Outcome(translate(error))


# --- reading exports -------------------------------------------------------------------


def _safe_name(name: str) -> str:
    # The temporary file keeps the extension (the reader goes by it) but never a path.
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", PurePosixPath(name).name).strip(" .")
    return base[-120:] or "upload"


@contextmanager
def opened_export(content: bytes, file_name: str) -> Iterator[Export]:
    """``content`` read as a survey export; the export reads its temporary file lazily."""
    with tempfile.TemporaryDirectory(prefix="empathy-upload-") as directory:
        path = Path(directory) / _safe_name(file_name)
        path.write_bytes(content)
        yield open_export(path)


def describe_rows(export: Export) -> str:
    """'12 responses' or '12 responses, 3 left out (2 survey preview, 1 unfinished)'."""
    kept = sum(len(chunk) for chunk in export.chunks())
    text = f"{kept} response{'s' if kept != 1 else ''}"
    left_out = sum(export.excluded.values())
    if left_out:
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(export.excluded.items()))
        text += f", {left_out} left out ({reasons})"
    return text


def default_survey(store: Store, team_id: str, file_name: str) -> str:
    """The workspace's only survey when it has exactly one; else a name from the file's."""
    rows = store.db.conn.execute(
        "SELECT name FROM surveys WHERE team_id = ? ORDER BY name LIMIT 2", [team_id]
    ).fetchall()
    if len(rows) == 1:
        return str(rows[0][0])
    slug = re.sub(r"[^a-z0-9]+", "-", PurePosixPath(file_name).stem.casefold()).strip("-")
    return slug[: ui.MAX_NAME] or "survey"


def default_wave(file_name: str) -> str:
    return PurePosixPath(file_name).stem.strip()[: ui.MAX_NAME] or "wave"


def codebook_lines(codebook: Codebook) -> list[str]:
    """One line per mapped column of a codebook someone wrote, as the mapping shows it."""
    lines = []
    if codebook.survey.respondent_id:
        lines.append(f"{codebook.survey.respondent_id} → respondent id")
    lines += [f"{s.column} → segment {s.name or s.column}" for s in codebook.segments]
    for q in codebook.questions:
        side = q.perspective or "single perspective"
        lines.append(f"{q.column} → {q.theme} ({side}, scale {q.scale})")
    return lines


def _codebook_of(pending: PendingImport) -> Codebook:
    return parse_codebook(
        pending.codebook, yaml_format=pending.codebook_format == "yaml", name="the codebook"
    )


# --- the flow --------------------------------------------------------------------------


def receive_upload(
    settings: Settings, store: Store, client: WebClient, where: Where, files: Sequence[SlackFile]
) -> Outcome:
    """A file shared with the bot in a DM: an export starts an import; a codebook shared in
    an import's thread replaces its mapping. Only admins may do either."""
    if not may_import(settings, client, where.user_id):
        return Outcome(refusal())
    if len(files) != 1:
        return Outcome(ui.notice("Send me one file per message, please.", "raised_hand"))
    file = files[0]
    if file.suffix in CODEBOOK_SUFFIXES:
        return _safely(lambda: replace_codebook(settings, store, client, where, file))
    return _safely(lambda: receive_export(settings, store, client, where, file))


def receive_export(
    settings: Settings,
    store: Store,
    client: WebClient,
    where: Where,
    file: SlackFile,
    *,
    survey: str = "",
    wave: str = "",
) -> Outcome:
    """Download and read an export, suggest its codebook, and keep it as a pending import."""
    check_file(file, EXPORT_SUFFIXES, settings.max_upload_bytes)
    content = fetch(client, settings, file, settings.max_upload_bytes)
    survey = survey or default_survey(store, where.team_id, file.name)
    wave = wave or default_wave(file.name)
    with opened_export(content, file.name) as export:
        counts = describe_rows(export)
        suggested = _suggest(export, survey)
    pending = pending_imports.create(
        store,
        team_id=where.team_id,
        user_id=where.user_id,
        channel_id=where.channel_id,
        thread_ts=where.thread_ts or "",
        file_name=file.name,
        content=content,
        codebook=suggested.to_toml() if isinstance(suggested, Suggestion) else "",
        survey=survey,
        wave=wave,
    )
    if isinstance(suggested, CodebookError):
        message = ui.unmapped_message(
            pending.id, file_name=file.name, reason=suggested.message, problems=suggested.problems
        )
        return Outcome(message, pending)
    message = ui.mapping_message(
        pending.id,
        file_name=file.name,
        survey=survey,
        wave=wave,
        lines=suggested.mapping_lines(),
        notes=suggested.notes,
        counts=counts,
    )
    return Outcome(message, pending)


def _suggest(export: Export, survey: str) -> Suggestion | CodebookError:
    """The suggested codebook, or why there is none for a file that does have responses:
    such a file is still kept, for a codebook the admin uploads in its thread."""
    try:
        return suggest_codebook(export, survey=survey)
    except CodebookError as error:
        if not any(len(chunk) for chunk in export.chunks()):
            raise  # no responses at all: no codebook can help
        return error


def replace_codebook(
    settings: Settings, store: Store, client: WebClient, where: Where, file: SlackFile
) -> Outcome:
    """A codebook uploaded in a pending import's thread becomes that import's codebook."""
    pending = None
    if where.thread_ts:
        pending = pending_imports.in_thread(store, where.team_id, where.channel_id, where.thread_ts)
    if pending is None:
        raise UploadRefused(
            "A codebook replaces the mapping of an uploaded export: upload the export first,"
            " then the codebook in the thread of its mapping."
        )
    check_file(file, CODEBOOK_SUFFIXES, min(CODEBOOK_MAX_BYTES, settings.max_upload_bytes))
    raw = fetch(client, settings, file, min(CODEBOOK_MAX_BYTES, settings.max_upload_bytes))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused(f"{file.name} is not UTF-8 text; save it as UTF-8.") from None
    fmt: CodebookFormat = "toml" if file.suffix == ".toml" else "yaml"
    codebook = parse_codebook(text, yaml_format=fmt == "yaml", name=file.name)
    with opened_export(pending.content, pending.file_name) as export:
        id_column = codebook.survey.respondent_id or export.layout.respondent_id
        problems = missing_columns(export.layout, codebook, id_column)
        if problems:
            raise ImportFailed(f"{file.name} does not fit {pending.file_name}", problems=problems)
        counts = describe_rows(export)
    survey = codebook.survey.name
    updated = pending_imports.update(
        store, where.team_id, pending.id, codebook=text, codebook_format=fmt, survey=survey
    )
    if updated is None:
        return Outcome(gone())
    message = ui.mapping_message(
        updated.id,
        file_name=updated.file_name,
        survey=updated.survey,
        wave=updated.wave,
        lines=codebook_lines(codebook),
        counts=counts,
        own_codebook=True,
    )
    return Outcome(message, updated)


def confirm_view(
    settings: Settings, store: Store, client: WebClient, team_id: str, user_id: str, pending_id: str
) -> dict[str, Any] | Message:
    """The Import button: the confirm modal, or why it cannot be opened."""
    # Rights are re-checked on every click: the uploader may have lost them since, and any
    # other admin may finish the import.
    if not may_import(settings, client, user_id):
        return refusal()
    pending = pending_imports.get(store, team_id, pending_id)
    if pending is None:
        return gone()
    if not pending.codebook:
        return needs_codebook()
    return ui.confirm_modal(
        pending.id, file_name=pending.file_name, survey=pending.survey, wave=pending.wave
    )


def run_import(
    settings: Settings,
    store: Store,
    client: WebClient,
    *,
    team_id: str,
    user_id: str,
    pending_id: str,
    survey: str,
    wave: str,
) -> Outcome:
    """Import a pending upload as ``survey``/``wave``; all or nothing. The outcome carries
    the pending import so the caller can answer in its thread."""
    if not may_import(settings, client, user_id):
        return Outcome(refusal())  # to the submitter alone, not into the uploader's thread
    pending = pending_imports.get(store, team_id, pending_id)
    if pending is None:
        return Outcome(gone())
    if not pending.codebook:
        return Outcome(needs_codebook(), pending)
    survey, wave = survey or pending.survey, wave or pending.wave
    if not pending_imports.claim(store, team_id, pending_id):
        return Outcome(ui.notice("This file is already being imported.", "hourglass"), pending)
    try:
        with opened_export(pending.content, pending.file_name) as export:
            summary = import_export(
                store, export, _codebook_of(pending), team_id=team_id, survey=survey, wave=wave
            )
    except Exception as error:
        pending_imports.release(store, team_id, pending_id)
        return Outcome(translate(error), pending)
    pending_imports.delete(store, team_id, pending_id)
    audit.record_import(store, team_id, user_id, replace(summary, source=pending.file_name))
    logger.info("User %s imported %s as %s/%s", user_id, pending.file_name, survey, wave)
    text = f"{summary.describe()} Ask away, e.g. /empathy gap"
    return Outcome(ui.notice(text, "white_check_mark"), pending)


def cancel(
    settings: Settings, store: Store, client: WebClient, team_id: str, user_id: str, pending_id: str
) -> Message:
    """The Cancel button: forget the pending import."""
    pending = pending_imports.get(store, team_id, pending_id)
    if pending is None:
        return gone()
    if user_id != pending.user_id and not may_import(settings, client, user_id):
        return refusal()
    pending_imports.delete(store, team_id, pending_id)
    return ui.notice(f"Cancelled: {pending.file_name} was not imported.", "wastebasket")


def receive_from_modal(
    settings: Settings, store: Store, client: WebClient, where: Where, view: dict[str, Any]
) -> Outcome:
    """The ``/empathy import`` modal's file, survey and wave, handled like a DM upload."""
    if not may_import(settings, client, where.user_id):
        return Outcome(refusal())
    files = [slack_file(raw) for raw in ui.submitted_files(view)]
    if len(files) != 1:
        return Outcome(ui.notice("Choose one survey export to upload.", "raised_hand"))
    survey = ui.submitted_text(view, ui.SURVEY_BLOCK_ID)
    wave = ui.submitted_text(view, ui.WAVE_BLOCK_ID)
    return _safely(
        lambda: receive_export(settings, store, client, where, files[0], survey=survey, wave=wave)
    )


# --- talking to Slack ------------------------------------------------------------------


def open_dm(client: WebClient, user_id: str) -> str | None:
    """The id of the bot's DM with ``user_id`` (``conversations.open``), ``None`` if refused."""
    try:
        response = client.conversations_open(users=user_id)
    except SlackApiError as error:
        logger.warning("conversations.open failed for %s: %s", user_id, error.response.get("error"))
        return None
    channel = response.get("channel") or {}
    channel_id = channel.get("id") if isinstance(channel, dict) else None
    return str(channel_id) if channel_id else None


def post(client: WebClient, channel: str, thread_ts: str | None, message: Message) -> str | None:
    """Post ``message``; its ts, or ``None`` when Slack refused (logged)."""
    try:
        response = client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=message.text, blocks=message.blocks
        )
    except SlackApiError as error:
        logger.warning("Slack refused a message in %s: %s", channel, error.response.get("error"))
        return None
    ts = response.get("ts")
    return str(ts) if ts else None


def remember_thread(store: Store, pending: PendingImport, ts: str) -> None:
    """A mapping posted as a new message starts the thread its codebook and results go in."""
    if not pending.thread_ts:
        pending_imports.update(store, pending.team_id, pending.id, thread_ts=ts)
