"""Each renderer of Slack text, given the hostile survey (every name a control sequence or an
escape): its mrkdwn carries no markup from the data, Slack would show every name as
written, and the terminal's text keeps the names raw."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hostile_survey import (
    DEPT,
    DEPT_Q,
    DEPT_VALUES,
    FORGED,
    MEASURED,
    NECESSITY,
    SITE,
    SITE_VALUES,
    SURVEY,
    TITLE,
    VALUE,
    WAVES,
    YES_NO,
    import_hostile,
)
from support import markup_from_data, shown_by_slack

from bot.routing import subscribe
from bot.settings import Settings
from bot.views import admin as admin_blocks
from bot.views import imports as import_blocks
from bot.views.answers import quoted_query, shared_by, user_error_message
from bot.views.home import home_view
from insights import Store, ask
from insights.answers.render import Message, to_text
from insights.digests import subscriptions as subs
from insights.digests.content import Snapshot, build_digest, digest_query, render_digest
from insights.digests.schedule import parse_weekly
from insights.store import audit, waves

TEAM = "T-HOSTILE"
CHANNEL = "CDIGEST"
NOW = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
# The control sequences our own messages may hold: a user, a channel, a date.
OURS = re.compile(r"@UADMIN|#CDIGEST|!date\^\d+\^\{date_short_pretty\} \{time\}\|[\d: -]+UTC")
Payload = dict[str, Any]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    directory = tmp_path_factory.mktemp("hostile")
    opened = Store.open(directory / "empathy.db")
    for summary in import_hostile(opened, TEAM, directory):
        audit.record_import(opened, TEAM, "cli:<!here>", summary, now=NOW)
    schedule, _ = parse_weekly("weekly monday 09:00 UTC", "UTC")
    query, _ = digest_query(opened, TEAM, f"{DEPT_Q}=channel,here")
    sub = subs.subscribe(opened, TEAM, CHANNEL, schedule, query.canonical(), "UADMIN", NOW)
    subs.pause(opened, sub.id, "<!channel> is archived")
    yield opened
    opened.close()


def message(rendered: Message) -> Payload:
    return {"text": rendered.text, "blocks": rendered.blocks}


def assert_safe_and_shown(payloads: list[Payload], *names: str) -> None:
    problems = [problem for p in payloads for problem in markup_from_data(p, OURS, FORGED)]
    assert not problems, problems
    shown = "\n".join(shown_by_slack(p, OURS) for p in payloads)
    missing = [name for name in names if name not in shown]
    assert not missing, f"{missing} not shown in:\n{shown}"


QUERIES = {
    "gap": [TITLE, SURVEY, WAVES[1], NECESSITY, VALUE, MEASURED, YES_NO[1], YES_NO[0]],
    f"gap by {DEPT_Q}": [DEPT.lower(), *DEPT_VALUES],
    f"gap {DEPT_Q}=channel,here": [f"{DEPT.lower()} = <!channel> or <!here>"],
    "gap trend": [*WAVES],
    "gap vs w1 channel": [*WAVES],
    "themes": [NECESSITY, VALUE, MEASURED, "We measure it <!subteam^S1> & <#C0123>"],
    "segments": [DEPT.lower(), SITE.lower(), *DEPT_VALUES, *SITE_VALUES],
    "waves": [*WAVES],
    "surveys": [SURVEY, TITLE],
}


@pytest.mark.parametrize("query", list(QUERIES))
def test_answers(store: Store, query: str) -> None:
    reply = ask(store, TEAM, query)
    assert_safe_and_shown([{"text": reply.text, "blocks": reply.blocks}], *QUERIES[query])
    assert reply.finding is not None
    terminal = to_text(reply.finding)  # the terminal's text is the data as written
    assert all(name in terminal for name in QUERIES[query])


def test_a_digest_and_what_moved(store: Store) -> None:
    now = build_digest(store, TEAM, f"gap {DEPT_Q}=channel,here", min_group_size=5)
    before = Snapshot(WAVES[0], 20, now.snapshot.gaps)
    digest = build_digest(
        store, TEAM, f"gap {DEPT_Q}=channel,here", min_group_size=5, previous=before
    )
    assert_safe_and_shown(
        [message(render_digest(digest))], TITLE, NECESSITY, WAVES[0], WAVES[1], DEPT.lower()
    )


def test_the_home_tab(store: Store) -> None:
    view = home_view(store, TEAM)
    assert_safe_and_shown([view], TITLE, NECESSITY, "<!channel> is archived", DEPT.lower())


def test_forgetting_a_wave_and_the_audit_log(store: Store) -> None:
    wave = waves.wave_to_forget(store, TEAM, None, WAVES[0])
    confirmation = admin_blocks.forget_confirmation(wave, TEAM)
    done = admin_blocks.forgotten(waves.ForgetSummary(SURVEY, WAVES[0], 24, False))
    listing = admin_blocks.audit_message(audit.read(store, TEAM, 25))
    payloads = [message(m) for m in (confirmation, done, listing)]
    assert_safe_and_shown(payloads, SURVEY, WAVES[0], WAVES[1], "cli:<!here>")


def test_the_import_mapping_its_problems_and_forms() -> None:
    lines = [f"{DEPT_VALUES[0]} team → segment {DEPT}", f"q1 → {NECESSITY} (personal)"]
    mapping = import_blocks.mapping_message(
        "P1",
        file_name="<!channel>.csv",
        survey=SURVEY,
        wave=WAVES[1],
        lines=lines,
        notes=["Review <@U0123>'s column"],
        counts="12 responses, 1 left out (<!here>)",
    )
    unmapped = import_blocks.unmapped_message(
        "P1", file_name="<!here>.csv", reason="No <!channel> questions", problems=[TITLE]
    )
    problems = import_blocks.problems_message("<!channel>.csv cannot be imported", [TITLE])
    notice = import_blocks.notice(f"Imported wave {WAVES[1]!r}", "white_check_mark")
    modal = import_blocks.confirm_modal(
        "P1", file_name="<!channel>.csv", survey=SURVEY, wave=WAVES[1]
    )
    payloads = [message(m) for m in (mapping, unmapped, problems, notice)] + [modal]
    assert_safe_and_shown(
        payloads, "<!channel>.csv", SURVEY, WAVES[1], NECESSITY, "<@U0123>", "(<!here>)", TITLE
    )


def test_the_subscription_replies(store: Store, tmp_path: Path) -> None:
    # Everyone may subscribe while no admins are listed: Slack (the client) is not asked.
    settings = Settings(_env_file=None, database_path=tmp_path / "unused.db")  # type: ignore[call-arg]
    nobody: Any = None
    text = f"subscribe weekly monday 09:00 UTC {DEPT_Q}=here"
    subscribed = subscribe.handle(settings, store, nobody, TEAM, "CNEW", "UADMIN", text, now=NOW)
    listed = subscribe.list_subscriptions(store, TEAM, CHANNEL, NOW)
    assert_safe_and_shown(
        [message(subscribed), message(listed)], DEPT.lower(), "<!here>", "<!channel> is archived"
    )


def test_errors_shared_answers_and_quoted_queries() -> None:
    error = user_error_message(
        f"Segment {DEPT!r} has no value 'x'.", f"Values: {', '.join(DEPT_VALUES)}."
    )
    shared = shared_by([], "UADMIN", f"gap {DEPT}=<!here>")
    assert_safe_and_shown(
        [message(error), {"blocks": shared}], DEPT, *DEPT_VALUES, f"/empathy gap {DEPT}=<!here>"
    )
    assert quoted_query("gap `x` " + "z" * 5000).count("`") == 2  # never ends the code early
    assert len(quoted_query("gap " + "z" * 5000)) < 250
