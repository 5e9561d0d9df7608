"""Pure Block Kit builders and readers for importing a survey export from Slack.

The messages (mapping, problems, outcome) and modals (upload, confirm) are plain data built
from plain values; buttons and modals carry only a pending import's id, so they keep
working after a restart. Nothing here talks to Slack or the store.

File names, column names, question texts, scale labels, the suggester's notes, survey
names and wave labels are data: escaped where they join mrkdwn, in the blocks and in each
message's fallback ``text`` (which Slack also reads as mrkdwn). Modal labels and inputs
are plain_text, which Slack shows as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.views.answers import MAX_BLOCKS
from insights.answers import Message
from insights.blocks import Block, context, packed_sections, section
from insights.safe_text import clip_mrkdwn, escape_mrkdwn

IMPORT_ACTION_ID = "import_confirm"
CANCEL_ACTION_ID = "import_cancel"
IMPORT_BLOCK_ID = "empathy_import"
CONFIRM_VIEW_ID = "import_confirm_modal"
UPLOAD_VIEW_ID = "import_upload_modal"
SURVEY_BLOCK_ID = "import_survey"
WAVE_BLOCK_ID = "import_wave"
FILE_BLOCK_ID = "import_file"
VALUE_ACTION_ID = "value"
FILE_ACTION_ID = "file"
EXPORT_FILETYPES = ("csv", "tsv", "txt", "xlsx")
# Survey names and wave labels are short identifiers people type in queries.
MAX_NAME = 80
# Past this many, a list of problems says "and N more" instead of growing the message.
PROBLEM_LIMIT = 15
# Mapping lines shown before "and N more"; a codebook upload shows every column anyway.
MAPPING_LIMIT = 60
# A message's plain text (notifications, screen readers) is cut here: a problem can quote
# a file's cells, and Slack refuses a message whose text is past 40,000 characters.
MAX_TEXT = 3000


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def notice(text: str, emoji: str) -> Message:
    """A one-line message: ``text`` (plain, escaped here) after an ``emoji`` shortcode."""
    escaped = escape_mrkdwn(text)
    return Message(text=escaped, blocks=[section(f":{emoji}: {escaped}")])


def listed_sections(lines: Sequence[str], limit: int) -> list[Block]:
    """Bulleted ``lines`` (at most ``limit``, then "and N more") packed into few sections."""
    shown = [f"• {escape_mrkdwn(line)}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"_… and {len(lines) - limit} more._")
    return packed_sections(shown)


def problems_message(title: str, problems: Sequence[str], *, limit: int = PROBLEM_LIMIT) -> Message:
    """Why a file cannot be imported, as a capped list; says that nothing was written."""
    heading = f":x: *{escape_mrkdwn(title)}*"
    blocks = [section(heading), *listed_sections(problems, limit)]
    blocks.append(context("Nothing was imported. Fix the file or codebook and upload it again."))
    listed = "; ".join(problems[:limit])
    more = f" and {len(problems) - limit} more" if len(problems) > limit else ""
    text = f"{title}: {listed}{more}. Nothing was imported." if problems else f"{title}."
    return Message(text=clip_mrkdwn(escape_mrkdwn(text), MAX_TEXT), blocks=blocks[:MAX_BLOCKS])


def import_buttons(pending_id: str, *, importable: bool = True) -> Block:
    """Import / Cancel for one pending import (Cancel only while it has no codebook); the
    value is its id, nothing else."""
    cancel = {
        "type": "button",
        "action_id": CANCEL_ACTION_ID,
        "text": _plain("Cancel"),
        "value": pending_id,
    }
    confirm = {
        "type": "button",
        "action_id": IMPORT_ACTION_ID,
        "text": _plain("Import"),
        "style": "primary",
        "value": pending_id,
    }
    elements = [confirm, cancel] if importable else [cancel]
    return {"type": "actions", "block_id": IMPORT_BLOCK_ID, "elements": elements}


def unmapped_message(
    pending_id: str, *, file_name: str, reason: str, problems: Sequence[str]
) -> Message:
    """No mapping could be suggested: why, and how to go on with a codebook of one's own."""
    head = f":grey_question: *{escape_mrkdwn(file_name)}*: {escape_mrkdwn(reason)}"
    hint = (
        "Upload a codebook (.toml or .yaml) in this thread to import the file anyway."
        " Nothing is imported until you click Import."
    )
    blocks = [section(head), *listed_sections(problems, PROBLEM_LIMIT), context(hint)]
    blocks = [*blocks[: MAX_BLOCKS - 1], import_buttons(pending_id, importable=False)]
    return Message(text=escape_mrkdwn(f"{file_name}: {reason} {hint}"), blocks=blocks)


def mapping_message(
    pending_id: str,
    *,
    file_name: str,
    survey: str,
    wave: str,
    lines: Sequence[str],
    notes: Sequence[str] = (),
    counts: str | None = None,
    own_codebook: bool = False,
) -> Message:
    """How the columns of ``file_name`` will be read, with Import and Cancel buttons."""
    source = "your codebook" if own_codebook else "a suggested mapping"
    head = (
        f":inbox_tray: *{escape_mrkdwn(file_name)}* is ready to import with {source}.\n"
        f"Survey *{escape_mrkdwn(survey)}* · wave *{escape_mrkdwn(wave)}*"
    )
    if counts:
        head += f" · {escape_mrkdwn(counts)}"
    blocks = [section(head), *listed_sections(lines, MAPPING_LIMIT)]
    if notes:
        blocks.append(context("\n".join(escape_mrkdwn(note) for note in notes[:10])))
    blocks.append(
        context(
            "Not right? Upload a codebook (.toml or .yaml) in this thread to replace the"
            " mapping. Nothing is imported until you click Import."
        )
    )
    blocks = [*blocks[: MAX_BLOCKS - 1], import_buttons(pending_id)]
    text = f"{file_name} is ready to import as survey {survey!r}, wave {wave!r}."
    return Message(text=escape_mrkdwn(text), blocks=blocks)


def _text_input(block_id: str, label: str, initial: str | None, *, optional: bool) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": VALUE_ACTION_ID,
        "max_length": MAX_NAME,
    }
    if initial:
        element["initial_value"] = initial[:MAX_NAME]
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "optional": optional,
        "element": element,
    }


def confirm_modal(pending_id: str, *, file_name: str, survey: str, wave: str) -> dict[str, Any]:
    """The "Import" modal: survey and wave prefilled; ``private_metadata`` is the pending id."""
    return {
        "type": "modal",
        "callback_id": CONFIRM_VIEW_ID,
        "private_metadata": pending_id,
        "title": _plain("Import survey data"),
        "submit": _plain("Import"),
        "close": _plain("Back"),
        "blocks": [
            section(f"Importing *{escape_mrkdwn(file_name)}*."),
            _text_input(SURVEY_BLOCK_ID, "Survey name", survey, optional=False),
            _text_input(WAVE_BLOCK_ID, "Wave label", wave, optional=False),
            context("Importing a wave label that already exists replaces that wave."),
        ],
    }


def upload_modal() -> dict[str, Any]:
    """``/empathy import``: one export file, and optionally its survey name and wave label."""
    return {
        "type": "modal",
        "callback_id": UPLOAD_VIEW_ID,
        "title": _plain("Import survey data"),
        "submit": _plain("Upload"),
        "close": _plain("Cancel"),
        "blocks": [
            {
                "type": "input",
                "block_id": FILE_BLOCK_ID,
                "label": _plain("Survey export"),
                "element": {
                    "type": "file_input",
                    "action_id": FILE_ACTION_ID,
                    "filetypes": list(EXPORT_FILETYPES),
                    "max_files": 1,
                },
            },
            _text_input(SURVEY_BLOCK_ID, "Survey name (optional)", None, optional=True),
            _text_input(WAVE_BLOCK_ID, "Wave label (optional)", None, optional=True),
            context(
                "Qualtrics, SurveyMonkey, Google Forms, or any CSV, TSV or XLSX. I will send"
                " you the suggested mapping in a direct message before importing anything."
            ),
        ],
    }


def _state_value(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    values = (view.get("state") or {}).get("values") or {}
    block = values.get(block_id) or {}
    value = block.get(action_id) or {}
    return value if isinstance(value, dict) else {}


def submitted_text(view: dict[str, Any], block_id: str) -> str:
    """The stripped text of a modal's text input (empty when left blank)."""
    return str(_state_value(view, block_id, VALUE_ACTION_ID).get("value") or "").strip()


def submitted_files(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The file objects of the upload modal's ``file_input``."""
    files = _state_value(view, FILE_BLOCK_ID, FILE_ACTION_ID).get("files") or []
    return [file for file in files if isinstance(file, dict)]
