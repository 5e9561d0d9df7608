"""A pulse in the library: the hash, one response per person, editing, closing (the secret and
every person's row deleted, the answers imported as a wave or discarded), counts only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from support import TEAM

from insights import Store, ask
from insights.errors import CodebookError, ConflictError, UserError
from insights.pulse import (
    add_audience,
    builtin_codebook_text,
    claim_invite,
    claim_reminder,
    close_pulse,
    form_items,
    has_answered,
    pulse_codebook,
    start_pulse,
    status,
    submit_answers,
    to_remind,
)
from insights.pulse.pulses import Pulse, get_pulse, respondent_key, stored_answers
from insights.pulse.questions import decode
from insights.store import read_audit

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
CLOSES = NOW + timedelta(days=7)
K = 5
PEOPLE = [f"UPERSON{i:02d}" for i in range(12)]


def started(store: Store, *, minimum: int = K, repeat: str = "none") -> Pulse:
    pulse = start_pulse(
        store,
        TEAM,
        codebook_text=builtin_codebook_text(),
        audience_kind="channel",
        audience_id="CTEAM",
        closes_at=CLOSES,
        minimum=minimum,
        repeat=repeat,  # type: ignore[arg-type]
        started_by="UADMIN",
        min_group_size=K,
        now=NOW,
    )
    add_audience(store, pulse.id, PEOPLE)
    return pulse


def agree(personal: str, organization: str, role: str = "In-house") -> dict[str, str | None]:
    return {
        "role": role,
        "necessity_personal": personal,
        "necessity_organization": organization,
    }


def test_the_key_is_hmac_sha256_of_the_user_id_under_the_pulses_secret() -> None:
    # RFC 4231, test case 2.
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert respondent_key(b"Jefe", "what do ya want for nothing?") == expected
    assert respondent_key(b"secret one", "U1") != respondent_key(b"secret two", "U1")


def test_each_pulse_has_its_own_secret_kept_apart_from_the_answers(store: Store) -> None:
    first, second = started(store), started(store)
    secrets = store.db.execute("SELECT pulse_id, secret FROM pulse_secrets").fetchall()
    assert {pulse_id for pulse_id, _ in secrets} == {first.id, second.id}
    assert len({bytes(secret) for _, secret in secrets}) == 2
    columns = [row[1] for row in store.db.execute("PRAGMA table_info(pulse_responses)")]
    assert columns == ["pulse_id", "respondent", "answers"]


def test_a_response_stores_the_hash_and_codes_never_the_user_id(store: Store) -> None:
    pulse = started(store)
    submit_answers(store, TEAM, pulse.id, PEOPLE[0], agree("Agree", "Disagree"), NOW)
    [(respondent, answers)] = store.db.execute(
        "SELECT respondent, answers FROM pulse_responses"
    ).fetchall()
    (secret,) = store.db.execute("SELECT secret FROM pulse_secrets").fetchone()
    assert respondent == respondent_key(bytes(secret), PEOPLE[0])
    assert PEOPLE[0] not in respondent + answers
    codes = json.loads(answers)
    assert all(isinstance(code, int) for code in codes)
    keys = [item.key for item in form_items(pulse_codebook(builtin_codebook_text()))]
    assert dict(zip(keys, codes, strict=True))["necessity_personal"] == 4  # "Agree"
    assert dict(zip(keys, codes, strict=True))["role"] == 1  # "In-house"


def test_one_response_per_person_and_answering_again_replaces_it(store: Store) -> None:
    pulse = started(store)
    assert submit_answers(store, TEAM, pulse.id, PEOPLE[0], agree("Agree", "Agree"), NOW) is False
    edited = agree("Strongly agree", "Disagree", role="Consultant")
    assert submit_answers(store, TEAM, pulse.id, PEOPLE[0], edited, NOW) is True
    assert store.db.execute("SELECT COUNT(*) FROM pulse_responses").fetchone()[0] == 1
    codebook = pulse_codebook(builtin_codebook_text())
    [codes] = stored_answers(store, pulse.id)
    assert {k: v for k, v in decode(codebook, codes).items() if v} == edited
    assert has_answered(store, TEAM, pulse.id, PEOPLE[0], NOW) is True
    assert has_answered(store, TEAM, pulse.id, PEOPLE[1], NOW) is False


def test_only_the_audience_may_answer_and_only_while_it_is_open(store: Store) -> None:
    pulse = started(store)
    with pytest.raises(UserError, match="not asked"):
        submit_answers(store, TEAM, pulse.id, "USTRANGER", agree("Agree", "Agree"), NOW)
    with pytest.raises(UserError, match="closed"):
        submit_answers(store, TEAM, pulse.id, PEOPLE[0], agree("Agree", "Agree"), CLOSES)
    with pytest.raises(UserError, match="not one of the choices"):
        submit_answers(store, TEAM, pulse.id, PEOPLE[0], agree("Maybe", "Agree"), NOW)
    with pytest.raises(UserError, match="at least one"):
        submit_answers(store, TEAM, pulse.id, PEOPLE[0], {}, NOW)
    assert store.db.execute("SELECT COUNT(*) FROM pulse_responses").fetchone()[0] == 0


def test_status_is_counts_only(store: Store) -> None:
    pulse = started(store)
    assert claim_invite(store, pulse.id, PEOPLE[0], NOW)
    assert claim_invite(store, pulse.id, PEOPLE[1], NOW)
    submit_answers(store, TEAM, pulse.id, PEOPLE[0], agree("Agree", "Agree"), NOW)
    submit_answers(store, TEAM, pulse.id, PEOPLE[0], agree("Agree", "Disagree"), NOW)
    [found] = status(store, TEAM)
    assert (found.asked, found.invited, found.responses, found.needed) == (12, 2, 1, K)
    assert status(store, "T-OTHER") == []


def test_an_invitation_and_a_reminder_are_claimed_once(store: Store) -> None:
    pulse = started(store)
    assert claim_invite(store, pulse.id, PEOPLE[0], NOW) is True
    assert claim_invite(store, pulse.id, PEOPLE[0], NOW) is False
    for person in PEOPLE[1:]:
        claim_invite(store, pulse.id, person, NOW)
    submit_answers(store, TEAM, pulse.id, PEOPLE[0], agree("Agree", "Agree"), NOW)
    assert to_remind(store, get_pulse(store, pulse.id), NOW) == []  # not yet time
    due = pulse.remind_at
    assert due == CLOSES - timedelta(days=1)
    assert to_remind(store, get_pulse(store, pulse.id), due) == PEOPLE[1:]
    assert claim_reminder(store, pulse.id, PEOPLE[1], due) is True
    assert claim_reminder(store, pulse.id, PEOPLE[1], due) is False
    assert PEOPLE[1] not in to_remind(store, get_pulse(store, pulse.id), due)


def test_a_minimum_below_the_privacy_floor_is_refused(store: Store) -> None:
    with pytest.raises(UserError, match="at least 5"):
        started(store, minimum=K - 1)
    assert store.db.execute("SELECT COUNT(*) FROM pulses").fetchone()[0] == 0


def test_a_question_set_whose_segments_have_no_choices_cannot_be_asked() -> None:
    choices = 'values = ["Staff", "Middle manager", "Senior leader"]'
    text = builtin_codebook_text().replace(choices, "")
    with pytest.raises(CodebookError) as error:
        pulse_codebook(text)
    assert any("seniority" in problem for problem in error.value.problems)


def nine_answers(store: Store, pulse: Pulse) -> None:
    """Nine people answer (the first changes their mind): 9 agree personally, 3 for their
    organization."""
    submit_answers(store, TEAM, pulse.id, PEOPLE[0], agree("Disagree", "Agree"), NOW)
    for i, person in enumerate(PEOPLE[:9]):
        organization = "Agree" if i < 3 else "Disagree"
        submit_answers(store, TEAM, pulse.id, person, agree("Agree", organization), NOW)


def test_closing_imports_a_wave_equal_to_the_answers_and_forgets_the_people(
    store: Store,
) -> None:
    pulse = started(store)
    nine_answers(store, pulse)
    closed = close_pulse(store, pulse.id, actor="UADMIN", min_group_size=K, now=CLOSES)
    assert closed.summary is not None and closed.summary.respondents == 9
    assert closed.summary.wave == "2026-05-11"
    for table in ("pulse_responses", "pulse_secrets", "pulse_audience"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    assert get_pulse(store, pulse.id).status == "imported"
    reply = ask(store, TEAM, "gap necessity", min_group_size=K)
    assert "100% personally vs 33% for their organization (n = 9" in reply.text
    ids = [row[0] for row in store.db.execute("SELECT external_id FROM respondents")]
    assert sorted(ids, key=int) == [str(n) for n in range(1, 10)]
    [entry] = read_audit(store, TEAM)
    target = "empathy-pulse/2026-05-11"
    assert (entry.actor, entry.action, entry.target) == ("UADMIN", "import", target)


def test_closing_below_the_minimum_imports_nothing_and_keeps_no_answer(store: Store) -> None:
    pulse = started(store, minimum=6)
    for person in PEOPLE[:5]:
        submit_answers(store, TEAM, pulse.id, person, agree("Agree", "Agree"), NOW)
    closed = close_pulse(store, pulse.id, actor="UADMIN", min_group_size=K, now=CLOSES)
    assert closed.summary is None and (closed.responses, closed.needed) == (5, 6)
    assert store.db.execute("SELECT COUNT(*) FROM surveys").fetchone()[0] == 0
    for table in ("pulse_responses", "pulse_secrets", "pulse_audience"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    assert get_pulse(store, pulse.id).status == "discarded"
    assert read_audit(store, TEAM) == []


def test_a_closed_pulse_takes_no_answers_and_closes_once(store: Store) -> None:
    pulse = started(store)
    nine_answers(store, pulse)
    close_pulse(store, pulse.id, actor="UADMIN", min_group_size=K, now=NOW)
    with pytest.raises(UserError, match="closed"):
        submit_answers(store, TEAM, pulse.id, PEOPLE[10], agree("Agree", "Agree"), NOW)
    with pytest.raises(ConflictError):
        close_pulse(store, pulse.id, actor="UADMIN", min_group_size=K, now=NOW)
    assert store.db.execute("SELECT COUNT(*) FROM waves").fetchone()[0] == 1


def test_a_second_pulse_closing_the_same_day_adds_a_wave_and_replaces_none(store: Store) -> None:
    for _ in range(2):
        pulse = started(store)
        nine_answers(store, pulse)
        close_pulse(store, pulse.id, actor="UADMIN", min_group_size=K, now=CLOSES)
    labels = [row[0] for row in store.db.execute("SELECT label FROM waves ORDER BY ordinal")]
    assert labels == ["2026-05-11", "2026-05-11-2"]


def test_a_repeating_pulse_starts_its_next_wave_with_a_new_secret(store: Store) -> None:
    pulse = started(store, repeat="monthly")
    (old_secret,) = store.db.execute("SELECT secret FROM pulse_secrets").fetchone()
    closed = close_pulse(store, pulse.id, actor="UADMIN", min_group_size=K, now=CLOSES)
    following = closed.next_pulse
    assert following is not None and following.closes_at == CLOSES.replace(month=6)
    assert not following.audience_loaded and following.is_open
    [(pulse_id, secret)] = store.db.execute("SELECT pulse_id, secret FROM pulse_secrets")
    assert pulse_id == following.id and bytes(secret) != bytes(old_secret)
