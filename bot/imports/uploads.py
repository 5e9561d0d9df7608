"""Survey exports uploaded to the bot in Slack: checked, downloaded, mapped, then imported.

The Slack edge of importing. An admin shares a file in a DM with the bot (or through
``/empathy import``); it is downloaded with the bot token, read and given a suggested
codebook, and kept as a pending import until the admin clicks Import (or Cancel).
Listeners parse Slack's payloads and send what these functions return; every failure
becomes a message fit for people.

Each step is split in two. What is quick (rights, the file's declared type and size, the
pending import) is checked at once, in the listener's thread, and may answer right away.
The rest is a :class:`Job`: downloading, then reading or importing in a child process
(:mod:`bot.imports.child`), within memory and time limits, run in the upload pool
(:mod:`bot.imports.jobs`) so that no answer waits behind a file.

Security: the bot token is only ever sent to Slack's file host or to the host of
SLACK_API_URL, sizes are enforced before and while downloading, and files are only ever
read by the child process.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors.slack import error_message
from bot.imports.child import safe_name
from bot.imports.jobs import ChildFailed, Gone, ImportJobs, Stopped, run_child
from bot.settings import Settings
from bot.slack import permissions
from bot.slack.downloads import (
    SlackFile,
    UploadRefused,
    check_file,
    fetch,
    slack_file,
)
from bot.slack.permissions import may_import
from bot.views import imports as ui
from insights import Store
from insights.answers import Message, list_surveys
from insights.ingest import (
    CodebookFormat,
    PendingImport,
    cancel_pending,
    claim_pending,
    create_pending,
    get_pending,
    pending_in_thread,
    release_pending,
    update_pending,
)

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


@dataclass(frozen=True)
class Job:
    """What an upload still needs after its quick checks, for the upload pool: ``run`` with
    the pool thread's own store gives the outcome; ``busy`` is said instead when every
    upload slot is taken."""

    run: Callable[[Store], Outcome]
    busy: Outcome


Step = Outcome | Job


def dispatch(
    jobs: ImportJobs, step: Step, store: Callable[[], Store], deliver: Callable[[Outcome], None]
) -> None:
    """Deliver an outcome now, or hand a job to the pool (which delivers its outcome when
    done) and return; when the pool is full, deliver the job's ``busy`` instead."""
    if isinstance(step, Outcome):
        deliver(step)
        return
    job = step
    if not jobs.start(lambda: _safely(lambda: job.run(store())), deliver):
        deliver(job.busy)


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


def busy(settings: Settings, then: str) -> Message:
    """Every upload slot is taken; ``then`` says what to do in a minute."""
    slots = settings.max_concurrent_imports
    return ui.notice(
        f"I am busy with {slots} other upload{'s' if slots != 1 else ''} right now, the most "
        f"I handle at once. {then} in a minute.",
        "hourglass",
    )


def translate(error: Exception) -> Message:
    """An upload's failure as a message: the upload flow's own refusals here, every other
    error (the library's, or a bug with its reference id) by :mod:`bot.errors.slack`."""
    if isinstance(error, UploadRefused):
        return ui.notice(error.message, "no_entry")
    if isinstance(error, Gone):
        return gone()
    return error_message(error, doing="handle an upload")


def _safely(action: Callable[[], Outcome]) -> Outcome:
    try:
        return action()
    except Exception as error:
        return Outcome(translate(error))


# --- reading exports -------------------------------------------------------------------


@contextmanager
def upload_file(content: bytes, file_name: str) -> Iterator[Path]:
    """``content`` in a temporary file for the child to read, named like the upload (the
    reader goes by the extension) but never with its path."""
    with tempfile.TemporaryDirectory(prefix="empathy-upload-") as directory:
        path = Path(directory) / safe_name(file_name)
        path.write_bytes(content)
        yield path


def default_survey(store: Store, team_id: str, file_name: str) -> str:
    """The workspace's only survey when it has exactly one; else a name from the file's."""
    surveys = list_surveys(store, team_id)
    if len(surveys) == 1:
        return surveys[0].name
    slug = re.sub(r"[^a-z0-9]+", "-", PurePosixPath(file_name).stem.casefold()).strip("-")
    return slug[: ui.MAX_NAME] or "survey"


def default_wave(file_name: str) -> str:
    return PurePosixPath(file_name).stem.strip()[: ui.MAX_NAME] or "wave"


# --- the flow --------------------------------------------------------------------------


def receive_upload(
    settings: Settings, client: WebClient, where: Where, files: Sequence[SlackFile]
) -> Step:
    """A file shared with the bot in a DM: an export starts an import; a codebook shared in
    an import's thread replaces its mapping. Only admins may do either."""
    if not may_import(settings, client, where.user_id):
        return Outcome(refusal())
    if len(files) != 1:
        return Outcome(ui.notice("Send me one file per message, please.", "raised_hand"))
    file = files[0]
    if file.suffix in CODEBOOK_SUFFIXES:
        return _checked(lambda: replace_codebook(settings, client, where, file))
    return _checked(lambda: receive_export(settings, client, where, file))


def _checked(step: Callable[[], Step]) -> Step:
    """``step``, or the outcome explaining why its quick checks refused the upload."""
    try:
        return step()
    except Exception as error:
        return Outcome(translate(error))


def receive_export(
    settings: Settings,
    client: WebClient,
    where: Where,
    file: SlackFile,
    *,
    survey: str = "",
    wave: str = "",
) -> Job:
    """Download and read an export, suggest its codebook, and keep it as a pending import."""
    check_file(file, EXPORT_SUFFIXES, settings.max_upload_bytes)

    def run(store: Store) -> Outcome:
        content = fetch(client, settings, file, settings.max_upload_bytes)
        named = survey or default_survey(store, where.team_id, file.name)
        args = {"file_name": file.name, "survey": named}
        with upload_file(content, file.name) as path:
            read = run_child(settings, "read", {**args, "path": str(path)}, file.name)
        return _offer(
            store, where, file.name, content, read, named, wave or default_wave(file.name)
        )

    return Job(run, Outcome(busy(settings, f"Send {file.name} again")))


def _offer(
    store: Store,
    where: Where,
    file_name: str,
    content: bytes,
    read: dict[str, Any],
    survey: str,
    wave: str,
) -> Outcome:
    """Keep a read export as a pending import, offered with its mapping (or why none)."""
    suggestion = read.get("suggestion") or {}
    pending = create_pending(
        store,
        team_id=where.team_id,
        user_id=where.user_id,
        channel_id=where.channel_id,
        thread_ts=where.thread_ts or "",
        file_name=file_name,
        content=content,
        codebook=str(suggestion.get("toml") or ""),
        survey=survey,
        wave=wave,
    )
    unmapped = read.get("unmapped")
    if unmapped:
        reason, problems = str(unmapped["reason"]), [str(p) for p in unmapped["problems"]]
        message = ui.unmapped_message(
            pending.id, file_name=file_name, reason=reason, problems=problems
        )
        return Outcome(message, pending)
    message = ui.mapping_message(
        pending.id,
        file_name=file_name,
        survey=survey,
        wave=wave,
        lines=[str(line) for line in suggestion["lines"]],
        notes=[str(note) for note in suggestion["notes"]],
        counts=str(read["counts"]),
    )
    return Outcome(message, pending)


def replace_codebook(settings: Settings, client: WebClient, where: Where, file: SlackFile) -> Job:
    """A codebook uploaded in a pending import's thread becomes that import's codebook."""
    check_file(file, CODEBOOK_SUFFIXES, min(CODEBOOK_MAX_BYTES, settings.max_upload_bytes))

    def run(store: Store) -> Outcome:
        pending = None
        if where.thread_ts:
            pending = pending_in_thread(store, where.team_id, where.channel_id, where.thread_ts)
        if pending is None:
            raise UploadRefused(
                "A codebook replaces the mapping of an uploaded export: upload the export"
                " first, then the codebook in the thread of its mapping."
            )
        raw = fetch(client, settings, file, min(CODEBOOK_MAX_BYTES, settings.max_upload_bytes))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UploadRefused(f"{file.name} is not UTF-8 text; save it as UTF-8.") from None
        fmt: CodebookFormat = "toml" if file.suffix == ".toml" else "yaml"
        args = {"file_name": pending.file_name, "codebook": text, "format": fmt}
        with upload_file(pending.content, pending.file_name) as path:
            args |= {"path": str(path), "codebook_name": file.name}
            checked = run_child(settings, "check", args, pending.file_name)
        return _remapped(store, where, pending, text, fmt, checked)

    return Job(run, Outcome(busy(settings, f"Send {file.name} again")))


def _remapped(
    store: Store,
    where: Where,
    pending: PendingImport,
    text: str,
    fmt: CodebookFormat,
    checked: dict[str, Any],
) -> Outcome:
    updated = update_pending(
        store,
        where.team_id,
        pending.id,
        codebook=text,
        codebook_format=fmt,
        survey=str(checked["survey"]),
    )
    if updated is None:
        return Outcome(gone())
    message = ui.mapping_message(
        updated.id,
        file_name=updated.file_name,
        survey=updated.survey,
        wave=updated.wave,
        lines=[str(line) for line in checked["lines"]],
        counts=str(checked["counts"]),
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
    pending = get_pending(store, team_id, pending_id)
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
) -> Step:
    """Import a pending upload as ``survey``/``wave``; all or nothing. The outcome carries
    the pending import so the caller can answer in its thread."""
    if not may_import(settings, client, user_id):
        return Outcome(refusal())  # to the submitter alone, not into the uploader's thread
    pending = get_pending(store, team_id, pending_id)
    if pending is None:
        return Outcome(gone())
    if not pending.codebook:
        return Outcome(needs_codebook(), pending)
    survey, wave = survey or pending.survey, wave or pending.wave

    def run(store: Store) -> Outcome:
        return _import(settings, store, user_id, pending, survey, wave)

    return Job(run, Outcome(busy(settings, "Click Import again"), pending))


def _import(
    settings: Settings,
    store: Store,
    user_id: str,
    pending: PendingImport,
    survey: str,
    wave: str,
) -> Outcome:
    """Claim the upload and import it in the child; the child's transaction forgets the
    upload and records the audit entry with the wave, so the upload is gone exactly when
    the import committed, even if the child was stopped right after."""
    team_id = pending.team_id
    if not claim_pending(store, team_id, pending.id):
        return Outcome(ui.notice("This file is already being imported.", "hourglass"), pending)
    args: dict[str, object] = {"survey": survey, "wave": wave, "user_id": user_id}
    args |= {
        "team_id": team_id,
        "database": str(settings.database_path),
        "pending_id": pending.id,
        "min_group_size": settings.min_group_size,
    }
    try:
        done = run_child(settings, "import", args, pending.file_name)
    except (Stopped, ChildFailed) as error:
        if get_pending(store, team_id, pending.id) is None:
            logger.warning("An import stopped after it committed: %s", error)
            return Outcome(_imported_unreported(pending.file_name, survey, wave), pending)
        release_pending(store, team_id, pending.id)
        return Outcome(translate(error), pending)
    except Exception as error:
        release_pending(store, team_id, pending.id)
        return Outcome(translate(error), pending)
    logger.info("User %s imported %s as %s/%s", user_id, pending.file_name, survey, wave)
    text = f"{done['text']} Ask away, e.g. /empathy gap"
    return Outcome(ui.notice(text, "white_check_mark"), pending)


def _imported_unreported(file_name: str, survey: str, wave: str) -> Message:
    return ui.notice(
        f"{file_name} was imported as wave {wave!r} of survey {survey!r}, but I was stopped"
        " before I could count it up. Ask away, e.g. /empathy gap",
        "white_check_mark",
    )


def cancel(
    settings: Settings, store: Store, client: WebClient, team_id: str, user_id: str, pending_id: str
) -> Message:
    """The Cancel button: forget the pending import (not while it is being imported)."""
    pending = get_pending(store, team_id, pending_id)
    if pending is None:
        return gone()
    if user_id != pending.user_id and not may_import(settings, client, user_id):
        return refusal()
    if not cancel_pending(store, team_id, pending_id):
        return ui.notice(
            f"{pending.file_name} is being imported right now, so it cannot be cancelled.",
            "hourglass",
        )
    return ui.notice(f"Cancelled: {pending.file_name} was not imported.", "wastebasket")


def receive_from_modal(
    settings: Settings, client: WebClient, where: Where, view: dict[str, Any]
) -> Step:
    """The ``/empathy import`` modal's file, survey and wave, handled like a DM upload."""
    if not may_import(settings, client, where.user_id):
        return Outcome(refusal())
    files = [slack_file(raw) for raw in ui.submitted_files(view)]
    if len(files) != 1:
        return Outcome(ui.notice("Choose one survey export to upload.", "raised_hand"))
    survey = ui.submitted_text(view, ui.SURVEY_BLOCK_ID)
    wave = ui.submitted_text(view, ui.WAVE_BLOCK_ID)
    return _checked(
        lambda: receive_export(settings, client, where, files[0], survey=survey, wave=wave)
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


def remember_thread(store: Store, pending: PendingImport, ts: str) -> None:
    """A mapping posted as a new message starts the thread its codebook and results go in."""
    if not pending.thread_ts:
        update_pending(store, pending.team_id, pending.id, thread_ts=ts)
