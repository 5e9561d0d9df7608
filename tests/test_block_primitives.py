"""The one set of Block Kit primitives (``insights.blocks``): Slack's one text limit, cut
safely, and lines packed into sections in order."""

from __future__ import annotations

import re

from insights.answers.render import Message
from insights.answers.reply import explained
from insights.blocks import MAX_SECTION_TEXT, context, packed_sections, section
from insights.safe_text import escape_mrkdwn

HALF_ESCAPE = re.compile(r"&(a|am|amp|l|lt|g|gt)?…$")


def test_a_section_and_a_context_keep_slacks_limit_and_no_half_escape() -> None:
    escaped = escape_mrkdwn("&" * 1000)  # 5000 characters of "&amp;"
    for text in (section(escaped)["text"]["text"], context(escaped)["elements"][0]["text"]):
        assert len(text) <= MAX_SECTION_TEXT
        assert text.endswith("…") and not HALF_ESCAPE.search(text)
    assert section("short")["text"] == {"type": "mrkdwn", "text": "short"}


def test_packed_sections_cut_only_between_lines_and_keep_their_order() -> None:
    lines = [f"• line {i} " + "x" * 500 for i in range(20)]
    sections = packed_sections(lines)
    texts = [block["text"]["text"] for block in sections]
    assert all(len(text) <= MAX_SECTION_TEXT for text in texts)
    assert "\n".join(texts).split("\n") == lines
    assert len(sections) == 4  # five 510-character lines fill a section; a sixth does not fit


def test_a_line_too_long_for_a_section_alone_is_clipped_not_split() -> None:
    sections = packed_sections(["short", "y" * 5000, "after"])
    texts = [block["text"]["text"] for block in sections]
    assert texts[0] == "short" and texts[-1].endswith("after")
    assert all(len(text) <= MAX_SECTION_TEXT for text in texts)


def test_how_a_long_question_was_read_is_cut_without_half_an_escape() -> None:
    message, _ = explained(Message(text="answer", blocks=[]), "&" * 2000, [])
    line = message.blocks[-1]["elements"][0]["text"]
    assert len(line) <= MAX_SECTION_TEXT
    assert not HALF_ESCAPE.search(line) and not re.search(r"&(a|am|amp|l|lt|g|gt)?$", line)
