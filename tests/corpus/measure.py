"""Measure how many corpus questions are read as they must be.

``python -m tests.corpus.measure`` (from the repository root) prints the share read right,
per intent and per survey; ``--misses`` also lists every miss (text, expected, got).
``tests/test_corpus.py`` runs the same measurement and fails below ``THRESHOLD``.

How a question is judged, the way the Slack edges treat it:

* an action reading (``subscribe``, ``forget``, …): ``action_of(text)`` must return it;
* anything else must not be routed as an action, and goes to ``interpret``, with the
  thread's previous query as ``previous`` (as a thread's context: the last turn whose
  reading is a gap question; listings and refusals do not replace it). Each turn is
  given the *expected* previous query, so one miss is counted once, not in every later
  turn of its thread;
* ``refuse``: a ``QueryError`` whose message names the anonymity rule (contains "anonym");
* ``not understood``: a ``QueryError`` (any message);
* a query: the same reading as the expected one, read with the same vocabulary. Readings
  that ask the same thing are the same: filters in any order, a segment's values in any
  order, the latest wave named or not, the team's one survey named or not. Whether a
  chart was asked for is part of the reading.

Everything is read from the repository; nothing is written (the store is in memory).
"""

from __future__ import annotations

import argparse
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from insights import Store
from insights.answers.catalog import Catalog, load_catalog
from insights.answers.query import ACTIONS, Query, Vocabulary, action_of, parse
from insights.answers.reply import interpret
from insights.errors import QueryError
from insights.ingest.codebook import load_codebook
from insights.ingest.demo_loader import load_demo
from insights.ingest.importer import import_file

from .pulse import CODEBOOK_PATH, PULSE_DIR
from .pulse.generate import WAVES as PULSE_WAVES

CORPUS_PATH = Path(__file__).resolve().parent / "questions.toml"
THRESHOLD = 0.95
TEAMS = {"demo": "T-CORPUS-DEMO", "pulse": "T-CORPUS-PULSE"}
REFUSE = "refuse"
NOT_UNDERSTOOD = "not understood"
FOLLOW_UP = "follow-up"
# A refusal must explain the anonymity rule ("answers are anonymous", "anonymity"), so
# that a person asking for individuals learns why, not just that it failed.
REFUSAL_MARK = "anonym"


@dataclass(frozen=True)
class Turn:
    """One question as typed, and the reading it must get."""

    survey: str
    intent: str
    text: str
    reading: str


@dataclass(frozen=True)
class Case:
    """A question on its own (one turn) or a thread's turns, asked in order."""

    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Outcome:
    turn: Turn
    got: str
    right: bool


def load_corpus(path: Path = CORPUS_PATH) -> list[Case]:
    """Every question of the corpus; a thread's turns stay together, in order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cases = [
        Case((Turn(group["survey"], group["intent"], text, reading),))
        for group in data["group"]
        for text, reading in group["questions"]
    ]
    cases += [
        Case(tuple(Turn(thread["survey"], FOLLOW_UP, text, reading) for text, reading in turns))
        for thread in data["thread"]
        for turns in [thread["turns"]]
    ]
    return cases


def turns_of(cases: list[Case]) -> Iterator[Turn]:
    for case in cases:
        yield from case.turns


def corpus_store() -> Store:
    """An in-memory store with the demo survey and the pulse survey, each in its own
    workspace (a workspace asks about its own survey without naming it)."""
    store = Store.open(":memory:")
    load_demo(store, TEAMS["demo"], actor="cli:test")
    codebook = load_codebook(CODEBOOK_PATH)
    for wave in PULSE_WAVES:
        import_file(
            store,
            PULSE_DIR / wave.file,
            codebook,
            team_id=TEAMS["pulse"],
            wave=wave.label,
            actor="cli:test",
        )
    return store


def is_action(reading: str) -> bool:
    return reading.split(" ", 1)[0] in ACTIONS


def is_query(reading: str) -> bool:
    return not is_action(reading) and reading not in (REFUSE, NOT_UNDERSTOOD)


def expected_query(reading: str, catalog: Catalog) -> Query:
    """The strict reading as a Query; a reading that is not strict grammar is a corpus
    mistake, so its QueryError propagates."""
    return parse(reading, Vocabulary.from_catalog(catalog))


def reading_key(query: Query, catalog: Catalog) -> str:
    """``query``'s strict form, the same for readings that ask the same thing."""
    filters = tuple(
        (segment, type(values)(sorted(values)))
        for segment, values in sorted(query.filters, key=lambda item: item[0])
    )
    latest = catalog.waves[-1].label
    plain = replace(
        query,
        filters=filters,
        wave=None if query.wave == latest else query.wave,
        survey=None if query.survey == catalog.survey.name else query.survey,
    )
    return plain.canonical() + (" chart" if query.chart else "")


def same_reading(got: Query, expected: str, catalog: Catalog) -> bool:
    return reading_key(got, catalog) == reading_key(expected_query(expected, catalog), catalog)


def judge(store: Store, catalog: Catalog, turn: Turn, previous: str | None) -> Outcome:
    """Read one turn as the Slack edges would and compare it with its reading
    (``catalog``: the survey of the turn's workspace)."""
    action = action_of(turn.text)
    if is_action(turn.reading) or action is not None:
        got = action or "(a question, not an action)"
        return Outcome(turn, got, got == turn.reading)
    team = TEAMS[turn.survey]
    try:
        query, _ = interpret(store, team, turn.text, previous)
    except QueryError as error:
        said = str(error)
        right = turn.reading == NOT_UNDERSTOOD or (
            turn.reading == REFUSE and REFUSAL_MARK in said.casefold()
        )
        return Outcome(turn, f"not answered: {said}", right)
    except Exception as error:  # any other failure is a miss to show, not a stopped run
        return Outcome(turn, f"{type(error).__name__}: {error}", False)
    got = reading_key(query, catalog)
    right = is_query(turn.reading) and same_reading(query, turn.reading, catalog)
    return Outcome(turn, got, right)


def evaluate(store: Store, cases: list[Case]) -> list[Outcome]:
    """Judge every turn; a thread passes each turn the previous gap question expected."""
    catalogs = {survey: load_catalog(store, team) for survey, team in TEAMS.items()}
    outcomes = []
    for case in cases:
        previous: str | None = None
        for turn in case.turns:
            catalog = catalogs[turn.survey]
            outcomes.append(judge(store, catalog, turn, previous))
            if is_query(turn.reading) and turn.reading.split(" ", 1)[0] == "gap":
                previous = expected_query(turn.reading, catalog).canonical()
    return outcomes


def accuracy(outcomes: list[Outcome]) -> float:
    return sum(o.right for o in outcomes) / len(outcomes) if outcomes else 0.0


def summary(outcomes: list[Outcome]) -> str:
    """The share read right overall, per survey and per intent, one line each."""
    lines = [
        f"read right: {sum(o.right for o in outcomes)} of {len(outcomes)} "
        f"({accuracy(outcomes):.1%}); required {THRESHOLD:.0%}"
    ]
    for label, key in (("survey", "survey"), ("intent", "intent")):
        totals = Counter(getattr(o.turn, key) for o in outcomes)
        right = Counter(getattr(o.turn, key) for o in outcomes if o.right)
        for name, total in sorted(totals.items()):
            lines.append(f"  {label} {name:<15} {right[name]:>3} of {total:<3}")
    return "\n".join(lines)


def misses(outcomes: list[Outcome]) -> str:
    """Every miss as `[survey/intent] text` with what was expected and what was got."""
    blocks = [
        f"[{o.turn.survey}/{o.turn.intent}] {o.turn.text!r}\n"
        f"    expected: {o.turn.reading}\n    got:      {o.got}"
        for o in outcomes
        if not o.right
    ]
    return "\n".join(blocks)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    store = corpus_store()
    try:
        outcomes = evaluate(store, load_corpus())
    finally:
        store.close()
    print(summary(outcomes))
    if args.misses:
        print(misses(outcomes))


if __name__ == "__main__":
    main()
