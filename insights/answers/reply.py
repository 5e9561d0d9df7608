"""``ask``: a query's text in, a rendered answer out — the one path every edge uses."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from insights.answers.benchmark import compare_with_study, overview_line
from insights.answers.catalog import Catalog, QuestionRef, list_surveys, load_catalog
from insights.answers.engine import Engine, Filters, merged_names
from insights.answers.findings import Finding, Help, Listing
from insights.answers.misses import FALLBACK, NOT_UNDERSTOOD, record_miss
from insights.answers.model_reading import (
    MODEL_READ,
    CatalogueNames,
    QuestionReader,
    uses_only_the_grammar,
)
from insights.answers.privacy import OTHER
from insights.answers.query import (
    Query,
    Reading,
    Vocabulary,
    action_of,
    is_follow_up,
    is_strict,
    named_survey,
    parse,
    read,
    tokenize,
)
from insights.answers.render import Message, render
from insights.blocks import context
from insights.errors import ActionNotQuestion, NotFoundError, QueryError, RefusedError, UserError
from insights.safe_text import escape_mrkdwn
from insights.store.columns import counts_for
from insights.store.database import Store

logger = logging.getLogger(__name__)

EXAMPLES: tuple[tuple[str, str], ...] = (
    ("how are we doing?", "the headline: every theme's gap in the latest wave"),
    ("does the company track empathy?", "one theme, named in your own words"),
    ("what about consultants?", "in a thread: change only what you name"),
    ("everyone but consultants", "leave a group out (also: excluding, without, non-)"),
    ("middle managers vs staff", "two groups side by side, with a test of the difference"),
    ("where is the disconnect widest?", "groups ranked by their gap (also: top 3 regions)"),
    ("has it improved since the pilot?", "change since a wave (also: over time)"),
    ("how many answered in Europe?", "how many people a group has"),
    ("gap by role chart", "the strict form; any answer as a chart too"),
    ("themes · segments · waves · surveys", "what there is to ask about"),
    ("subscribe weekly monday 09:00", "a weekly digest in this channel"),
    ("import", "admins: import a survey export (or send the file to the bot)"),
    ("forget wave LABEL", "admins: delete a wave's responses, after a confirmation"),
    ("audit", "admins: who imported, deleted and subscribed, and when"),
    ("misses", "admins: the questions I could not answer, most frequent first"),
    ("how do we compare with the study?", "your figures beside the published study's"),
    ("alert when gap changes", "admins: tell this channel when a new wave moves a gap"),
    ("pulse start", "admins: ask the empathy questions in Slack (then: pulse status)"),
)


@dataclass(frozen=True)
class Reply:
    """What an edge sends: ``text`` (Slack's fallback, mrkdwn-escaped; a terminal prints
    ``render.to_text(finding)``), Block Kit ``blocks``, and the canonical ``query`` to
    remember as a thread's context (None when the answer was help or a listing).

    ``finding`` is what was found, for a chart (``insights.answers.charts.chart_for``) when
    ``wants_chart`` says the person asked for one.
    """

    text: str
    blocks: list[dict[str, Any]]
    query: str | None
    finding: Finding | None = None
    wants_chart: bool = False
    next_steps: tuple[tuple[str, str], ...] = ()  # (label, query) to offer as buttons
    reading: str | None = None  # how a natural question was read, as a plain line
    # Read from plain words (by the rules or the language model) and answered with figures:
    # ``query`` is then the strict reading people may say is right or wrong (feedback).
    natural: bool = False


def help_finding() -> Help:
    return Help(
        examples=EXAMPLES,
        intro="The *empathy gap* is the distance between what CX people personally believe "
        "about customer empathy and what they say their organization believes. "
        "Every figure shows its base n and a 95% interval; small groups are hidden.",
    )


def ask(
    store: Store,
    team_id: str,
    text: str,
    *,
    min_group_size: int = 5,
    previous: str | None = None,
    reader: QuestionReader | None = None,
) -> Reply:
    """Answer ``text`` for ``team_id``; ``previous`` is a thread's last query (follow-ups).

    ``reader`` (None: no language model, and nothing calls out) is asked only for a
    question in plain words the rules could not read; its reply is answered only when it
    is one valid strict query (:func:`read_by_model`), and the answer says it was read so.

    Raises a ``UserError`` subclass with a message written for the person asking.
    """
    action = action_of(text)
    if action is not None:
        raise ActionNotQuestion(
            f"`{action}` is something I do, not a question about the survey.", action=action
        )
    try:
        reading, catalog = read_in_thread(store, team_id, text, previous)
    except RefusedError:
        raise  # understood, and refused: not a miss
    except QueryError as error:
        by_model = read_by_model(store, team_id, text, previous, reader, error)
        if by_model is None:
            record_miss(store, team_id, text, NOT_UNDERSTOOD)  # what to learn next
            raise
        reading, catalog = by_model
        record_miss(store, team_id, text, MODEL_READ)  # what the rules should learn
    else:
        by_model = None
    if reading.skipped:
        record_miss(store, team_id, text, FALLBACK)
    query = reading.query
    finding = answer_query(store, catalog, query, min_group_size=min_group_size)
    message = render(finding)
    remembered = query.canonical() if query.command in ("gap", "overview", "count") else None
    steps = next_steps(query, catalog) if catalog and remembered is not None else ()
    line = None
    if (reading.natural or reading.notes or by_model) and remembered is not None:
        how = "Read with the language model as" if by_model else "Read as"
        message, line = explained(message, remembered, reading.notes, how=how)
    natural = bool(reading.natural or by_model) and remembered is not None
    return Reply(
        message.text, message.blocks, remembered, finding, query.chart, steps, line, natural
    )


def explained(
    message: Message, strict: str, notes: Sequence[str], *, how: str = "Read as"
) -> tuple[Message, str]:
    """``message`` with, small at its end, how the question was read: its strict query (so
    people learn the grammar and can see a misreading), what was assumed, and ``how`` it
    was read (by the rules, or by the language model)."""
    said = "; ".join(notes)
    shown = escape_mrkdwn(strict.replace("`", "'"))
    line = f"{how} `{shown}`" + (f" · {escape_mrkdwn(said)}" if said else "")
    block = context(line)
    plain = f"{how}: {strict}" + (f" ({said})" if said else "")
    text = f"{message.text}\n\n{escape_mrkdwn(plain)}"
    return Message(text=text, blocks=[*message.blocks, block]), plain


def next_steps(query: Query, catalog: Catalog, limit: int = 4) -> tuple[tuple[str, str], ...]:
    """What people ask next about an answer: a breakdown by each other segment, and the
    trend across waves (when there is more than one). Each is a complete query."""
    base = replace(query, command="gap", by=None, versus=None, trend=False, chart=False)
    filtered = {segment for segment, _ in query.filters}
    steps = [
        (f"By {segment.name}", replace(base, by=segment.name).canonical())
        for segment in catalog.segments
        if segment.name != query.by and segment.name not in filtered
    ][:limit]
    if len(catalog.waves) > 1 and not query.trend:
        steps.append(("Trend", replace(base, trend=True).canonical()))
    return tuple(steps)


def interpret(
    store: Store, team_id: str, text: str, previous: str | None = None
) -> tuple[Query, Catalog | None]:
    """Parse ``text`` against this team's survey, folding in a thread's previous query.

    Help needs no survey, so it is answered (catalog None) even before any import.
    """
    reading, catalog = read_in_thread(store, team_id, text, previous)
    return reading.query, catalog


def read_in_thread(
    store: Store, team_id: str, text: str, previous: str | None = None
) -> tuple[Reading, Catalog | None]:
    """How ``text`` reads against this team's survey, after a thread's ``previous`` query.

    A follow-up ("and for Europe?", "now by region", "same for last wave") changes only
    what it names; a complete question starts afresh."""
    if _is_help(text):
        return Reading(Query("help")), None
    catalog = catalog_for(store, team_id, text, previous)
    vocab = Vocabulary.from_catalog(catalog)
    reading = read(text, vocab)
    query = reading.query
    if previous and query.command in ("gap", "overview", "count") and is_follow_up(text, reading):
        thread = parse(previous, vocab)
        query = thread.followed_by(query, rank=reading.rank, rest=reading.rest, adds=reading.adds)
        reading = replace(reading, query=query)
    elif reading.rest:
        raise QueryError(
            "“The rest” of whom? I need a group to leave out.",
            suggestion="Say who, e.g. `everyone but consultants`.",
        )
    return reading, catalog


def catalog_for(store: Store, team_id: str, text: str, previous: str | None = None) -> Catalog:
    """The survey ``text`` names, or else the one the thread's ``previous`` query named, or
    else the team's most recently imported one."""
    names = [s.name for s in list_surveys(store, team_id)]
    survey = named_survey(text, names) or (named_survey(previous, names) if previous else None)
    return load_catalog(store, team_id, survey)


MODEL_COMMANDS = ("gap", "overview", "count")


def read_by_model(
    store: Store,
    team_id: str,
    text: str,
    previous: str | None,
    reader: QuestionReader | None,
    error: QueryError,
) -> tuple[Reading, Catalog] | None:
    """How a language model reads ``text``, which the rules failed on with ``error``, or
    None. The model is not asked when there is no ``reader``, when the rules offered a
    closest reading (an edge shows it as a button), or when ``text`` was strict already
    (its error says exactly what to fix). Its reply counts only when it is one strict
    query of the grammar's and the catalogue's words, read without a note or a word read
    past, asking for figures (``gap`` or ``count``): the same parse as a typed query."""
    if reader is None or error.reading is not None or is_strict(tokenize(text)):
        return None
    try:
        names = CatalogueNames.of(catalog_for(store, team_id, text, previous))
        candidate = reader(text, previous, names)
    except Exception:  # a reader must never stop the usual reply
        logger.warning("The question reader failed", exc_info=True)
        return None
    reading = _strict_reading(store, team_id, candidate, names) if candidate else None
    if candidate is not None and reading is None:
        logger.info("The language model's reply is not a strict query here; not answered")
    return reading


def _strict_reading(
    store: Store, team_id: str, candidate: str, names: CatalogueNames
) -> tuple[Reading, Catalog] | None:
    """``candidate`` read as a typed strict query of figures, or None if it is not one."""
    tokens = tokenize(candidate)
    if action_of(candidate) is not None or not is_strict(tokens):
        return None
    if not uses_only_the_grammar(candidate, names.all_names()):
        return None
    try:
        reading, catalog = read_in_thread(store, team_id, candidate)
    except UserError:
        return None
    query = reading.query
    if reading.natural or reading.notes or reading.skipped or query.command not in MODEL_COMMANDS:
        return None
    return (reading, catalog) if catalog is not None else None


def _is_help(text: str) -> bool:
    return text.strip().casefold() in {"help", "?", "usage", "commands"}


def answer_query(
    store: Store, catalog: Catalog | None, query: Query, *, min_group_size: int
) -> Finding:
    if query.command == "help" or catalog is None:
        return help_finding()
    if query.command == "surveys":
        return _surveys(store, catalog)
    if query.command == "themes":
        return _themes(catalog)
    if query.command == "segments":
        return _segments(Engine(counts_for(store), catalog, min_group_size), catalog)
    if query.command == "waves":
        return _waves(catalog)
    engine = Engine(counts_for(store), catalog, min_group_size)
    wave = catalog.wave(query.wave)
    filters: Filters = tuple((catalog.segment(s), values) for s, values in query.filters)
    if query.benchmark:
        return compare_with_study(engine, catalog, query.wave, filters, query.theme)
    if query.trend:
        return engine.trend(filters, query.theme, until=wave)
    if query.versus:
        return engine.change(wave, catalog.wave(query.versus), filters, query.theme)
    if query.by:
        segment = catalog.segment(query.by)
        return engine.breakdown(wave, segment, filters, query.theme, rank=query.rank, top=query.top)
    if query.rank:
        return engine.widest(wave, filters, query.theme, query.rank)
    report = engine.gap(wave, filters, query.theme)
    if query.command == "count":
        return replace(report, count=True)
    if not (query.theme or query.filters):
        report = replace(report, study=overview_line(catalog))
    if query.command == "overview":
        return replace(report, overview=True)
    return report


def _surveys(store: Store, catalog: Catalog) -> Listing:
    surveys = list_surveys(store, _team_of(store, catalog))
    items = tuple(
        (
            s.name,
            f"{s.title} (updated {s.updated_at[:10]})"
            + (" — answering by default" if s.id == catalog.survey.id else ""),
        )
        for s in surveys
    )
    return Listing("Surveys", items, footer="Pick one with `gap survey NAME`.")


def _team_of(store: Store, catalog: Catalog) -> str:
    row = store.db.execute("SELECT team_id FROM surveys WHERE id = ?", [catalog.survey.id])
    found = row.fetchone()
    if found is None:
        raise NotFoundError("That survey no longer exists.")
    return str(found[0])


def _themes(catalog: Catalog) -> Listing:
    items = []
    for theme in catalog.themes:
        if theme.paired:
            items.append((theme.name, "personal vs organization"))
        else:
            question = theme.single
            items.append((theme.name, _single_described(question) if question else ""))
    return Listing("Themes", tuple(items), catalog.survey.name, "Ask with `gap THEME`.")


def _single_described(question: QuestionRef) -> str:
    """'organization question: “…”', quoting its text only when it is more than the column."""
    return f"{question.kind}: “{question.text}”" if question.text != question.key else question.kind


def _segments(engine: Engine, catalog: Catalog) -> Listing:
    """Each segment's values, and which of them the latest wave reports together."""
    latest = catalog.waves[-1]
    merges = engine.view(latest).merges
    items = []
    for segment in catalog.segments:
        text = ", ".join(segment.values) or "no values yet"
        merge = merges.get(segment.id)
        if merge is not None and merge.merged:
            names = merged_names(merge)
            why = f"so that no group has fewer than {engine.min_group_size} respondents"
            if merge.below > engine.min_group_size:
                why = (
                    f"values with fewer than {merge.below} respondents, so that the wave's"
                    " combinations of values stay few enough to check for privacy"
                )
            text += f" (in wave {latest.label}, {names} are reported together as “{OTHER}”, {why})"
        items.append((segment.name, text))
    return Listing(
        "Segments",
        tuple(items),
        catalog.survey.name,
        "Break down with `gap by SEGMENT`; filter with `SEGMENT=VALUE`.",
    )


def _waves(catalog: Catalog) -> Listing:
    latest = catalog.waves[-1].id
    items = tuple(
        (
            w.label,
            f"{w.respondents} respondents, imported {w.imported_at[:10]}"
            + (" — latest" if w.id == latest else ""),
        )
        for w in catalog.waves
    )
    return Listing("Waves", items, catalog.survey.name, "Compare with `gap vs LABEL`.")
