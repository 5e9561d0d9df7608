"""``insights.safe_text``: escaping for Slack mrkdwn, bounded echoes, terminal-safe text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from insights.safe_text import (
    ELLIPSIS,
    clip,
    clip_mrkdwn,
    echo,
    escape_mrkdwn,
    printable,
    unescape_mrkdwn,
)


def test_only_the_three_control_characters_are_escaped() -> None:
    assert escape_mrkdwn("<!channel> & <a|b> *bold* `code`") == (
        "&lt;!channel&gt; &amp; &lt;a|b&gt; *bold* `code`"
    )


def test_escaped_text_escaped_again_shows_its_escapes() -> None:
    # Data that is itself an escape must show as written: "&amp;" stays visible.
    assert escape_mrkdwn("&amp;") == "&amp;amp;"
    assert unescape_mrkdwn(escape_mrkdwn("&amp; &lt;")) == "&amp; &lt;"


@given(st.text())
def test_escaping_round_trips_and_leaves_no_markup(text: str) -> None:
    escaped = escape_mrkdwn(text)
    assert "<" not in escaped and ">" not in escaped
    assert unescape_mrkdwn(escaped) == text


@given(st.text(alphabet="<>&ab;lgtmp", max_size=60), st.integers(min_value=1, max_value=70))
def test_a_clipped_escape_is_never_cut_in_half(text: str, limit: int) -> None:
    clipped = clip_mrkdwn(escape_mrkdwn(text), limit)
    assert len(clipped) <= limit
    body = clipped.removesuffix(ELLIPSIS)
    assert unescape_mrkdwn(body) == text[: len(unescape_mrkdwn(body))]  # a prefix, whole


def test_clip_keeps_short_text_and_marks_a_cut() -> None:
    assert clip("short", 10) == "short"
    assert clip("a" * 20, 10) == "a" * 9 + ELLIPSIS


def test_an_echo_is_bounded_and_keeps_the_quote_closed() -> None:
    said = echo(f"I don't know {'z' * 900_000!r}.")
    assert len(said) < 120 and said.startswith("I don't know 'zzz")
    assert said.endswith(f"{ELLIPSIS}z'.")
    assert echo("gap by role") == "gap by role"
    assert len(echo("word " * 10_000)) == 400 and echo("word " * 10_000).endswith(ELLIPSIS)


def test_control_characters_become_visible_escapes() -> None:
    assert printable("a\x1b[31mb\x07c\rd\x9be\u202ef") == "a\\x1b[31mb\\x07c\\x0dd\\x9be\\u202ef"
    assert printable("line\n\tindented · émoji 👩‍🔬") == "line\n\tindented · émoji 👩‍🔬"
