"""The Block Kit primitives every message is built from, library and edge alike.

Text given here is mrkdwn already: data in it was escaped (``escape_mrkdwn``) where it was
put in. Every mrkdwn text a block gets is within Slack's one limit, ``MAX_SECTION_TEXT``,
and is cut with ``clip_mrkdwn``, so a cut never leaves half an escape behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from insights.safe_text import clip_mrkdwn

Block = dict[str, Any]

# Slack refuses a section's text, or a context's mrkdwn element, longer than this.
MAX_SECTION_TEXT = 3000


def section(text: str) -> Block:
    """A section of mrkdwn ``text``, clipped to Slack's limit."""
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": clip_mrkdwn(text, MAX_SECTION_TEXT)},
    }


def context(text: str) -> Block:
    """A context line of mrkdwn ``text``, clipped to Slack's limit."""
    text = clip_mrkdwn(text, MAX_SECTION_TEXT)
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def packed_sections(lines: Iterable[str]) -> list[Block]:
    """Mrkdwn ``lines`` in order, one per line, packed into as few sections as fit: a section
    is cut only between lines, and a line too long for a section alone is clipped."""
    sections: list[Block] = []
    current = ""
    for line in lines:
        line = clip_mrkdwn(line, MAX_SECTION_TEXT - 1)
        if current and len(current) + 1 + len(line) > MAX_SECTION_TEXT:
            sections.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        sections.append(section(current))
    return sections
