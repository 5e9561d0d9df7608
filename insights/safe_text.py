"""Text from surveys, codebooks and people, made safe for where it is shown.

Names, labels, titles and what people type are data: they are kept raw in the findings
model and made safe only where they become something else, once:

* ``escape_mrkdwn`` where text becomes Slack mrkdwn: a message's ``text`` (its notification
  fallback), a ``mrkdwn`` text object, a file's initial comment. Slack reads ``&``, ``<``
  and ``>`` as control characters there (``<!channel>`` pings a channel, ``<url|label>``
  is a link), and nothing else; ``plain_text`` objects are not parsed and need nothing.
* ``printable`` where text goes to a terminal: control characters (an ANSI escape, a bell,
  a carriage return) are shown as visible escapes instead of being obeyed.
* ``echo`` where a message repeats what someone typed: it is bounded, with an ellipsis.
"""

from __future__ import annotations

import re
import unicodedata

_MRKDWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_UNESCAPED = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_ESCAPE = re.compile("|".join(_UNESCAPED))
# What a cut at the end of escaped text may leave of an escape: "&", "&a", "&am", "&amp", …
_CUT_ESCAPE = re.compile(r"&(a|am|amp|l|lt|g|gt)?$")
_LONG_RUN = re.compile(r"\S+")
ELLIPSIS = "…"
# An echoed word longer than this keeps its start and its last few characters.
MAX_ECHOED_WORD = 60
# An echoed message longer than this is cut.
MAX_ECHO = 400


def escape_mrkdwn(text: str) -> str:
    """``text`` with Slack's three mrkdwn control characters escaped, so Slack shows it
    exactly as written. Escape raw text once: escaped text escaped again shows its escapes."""
    return text.translate(_MRKDWN)


def unescape_mrkdwn(text: str) -> str:
    """What Slack shows for escaped mrkdwn ``text``: its three escapes turned back, in one
    pass (so ``&amp;lt;`` shows as ``&lt;``). For showing Slack's text elsewhere."""
    return _ESCAPE.sub(lambda m: _UNESCAPED[m.group(0)], text)


def clip(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else its start and an ellipsis
    (``limit`` characters in all)."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + ELLIPSIS


def clip_mrkdwn(text: str, limit: int) -> str:
    """Like ``clip``, for escaped mrkdwn: a cut never leaves half an escape behind."""
    if len(text) <= limit:
        return text
    kept = text[: max(limit - 1, 0)]
    return _CUT_ESCAPE.sub("", kept) + ELLIPSIS


def echo(text: str, limit: int = MAX_ECHO, longest_word: int = MAX_ECHOED_WORD) -> str:
    """``text`` that repeats what someone typed, bounded: every run of more than
    ``longest_word`` characters without a space keeps its start, an ellipsis and its last
    three characters (so a closing quote survives), and the whole is clipped to ``limit``."""

    def shorten(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) <= longest_word:
            return word
        return word[: longest_word - 4] + ELLIPSIS + word[-3:]

    return clip(_LONG_RUN.sub(shorten, text), limit)


def _visible(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# Bidirectional controls reorder what follows them on screen ("Trojan Source").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _obeyed_by_terminals(char: str) -> bool:
    """Control characters (C0, DEL, C1) and bidirectional controls; newline and tab are
    layout, and are kept."""
    if char in "\n\t":
        return False
    return char in _BIDI or unicodedata.category(char) == "Cc"


def printable(text: str) -> str:
    """``text`` for a terminal: every control character shown as a visible escape
    (``\\x1b``, ``\\x07``, ``\\x0d``, ``\\u202e``) instead of being obeyed; newlines and
    tabs are kept."""
    return "".join(_visible(ch) if _obeyed_by_terminals(ch) else ch for ch in text)
