"""What Slack's assistant surface shows around an answer: the prompts a new thread suggests,
and the status while a question is being answered.

Both are built from the workspace's own catalogue (theme, segment and wave names, and how
many answered each wave), never from a figure of the answers: a suggestion or a status
says what can be asked and how much will be counted, not what was found.
"""

from __future__ import annotations

from dataclasses import dataclass

from insights.answers.catalog import Catalog, WaveRef, load_catalog
from insights.answers.query import Query
from insights.answers.reply import interpret
from insights.errors import NoSurveyError, UserError
from insights.store.database import Store

MAX_PROMPTS = 4  # Slack shows at most four suggested prompts
TITLE_LIMIT = 80  # a title is one line of the thread list, not the whole question

# Every prompt's message is read by the interpreter as the question its title promises
# (tests/test_assistant_prompts.py asks each one).
HELP_PROMPT_TITLE = "What can I ask?"
IMPORT_PROMPT_TITLE = "How do I import a survey?"
IMPORT_PROMPT_MESSAGE = "import"


@dataclass(frozen=True)
class Prompt:
    """A suggested prompt: ``title`` is shown; ``message`` is sent as the person's question."""

    title: str
    message: str


def suggested_prompts(catalog: Catalog | None) -> tuple[Prompt, ...]:
    """At most :data:`MAX_PROMPTS` questions worth asking of ``catalog`` (its latest
    survey): a gap on its first themes, a breakdown by its first segment, a trend when it
    has two waves or more, and what can be asked; with no survey (None), how to import.

    Pure: built from names only, in the catalogue's own order, so the same catalogue
    always suggests the same prompts."""
    ask_help = _same(HELP_PROMPT_TITLE)
    if catalog is None:  # plain words need a catalogue to be read against; "help" does not
        help_without_survey = Prompt(HELP_PROMPT_TITLE, "help")
        return (Prompt(IMPORT_PROMPT_TITLE, IMPORT_PROMPT_MESSAGE), help_without_survey)
    tail: list[Prompt] = []
    if catalog.segments:
        segment = catalog.segments[0].name
        tail.append(_same(f"What's the gap by {segment}?"))
    if len(catalog.waves) > 1:
        tail.append(_same("How has the gap changed over time?"))
    tail.append(ask_help)
    room = MAX_PROMPTS - len(tail)
    themes = [_same(f"What's the gap on {theme.name}?") for theme in catalog.themes[:room]]
    return (*themes, *tail)


def _same(question: str) -> Prompt:
    return Prompt(question, question)


def prompts_for(store: Store, team_id: str) -> tuple[Prompt, ...]:
    """The suggested prompts of ``team_id``'s most recently imported survey (how to import,
    when it has none)."""
    try:
        catalog: Catalog | None = load_catalog(store, team_id)
    except NoSurveyError:
        catalog = None
    return suggested_prompts(catalog)


def respondents_to_count(
    store: Store, team_id: str, text: str, previous: str | None = None
) -> int | None:
    """How many responses answering ``text`` (after a thread's ``previous`` query) counts:
    the respondents of the wave it is read as (the latest by default), of both waves for a
    comparison, of every wave for a trend. None when it is not read as a question about a
    survey (help, a listing, not understood): nothing will be counted, or not yet known.

    A count of the catalogue (how many answered), never a figure of the answers."""
    try:
        query, catalog = interpret(store, team_id, text, previous)
        if catalog is None or query.command not in ("gap", "overview", "count"):
            return None
        return sum(wave.respondents for wave in _waves_counted(query, catalog))
    except UserError:
        return None


def _waves_counted(query: Query, catalog: Catalog) -> tuple[WaveRef, ...]:
    """The waves answering ``query`` reads; raises NotFoundError for a wave not there."""
    if query.trend:
        return catalog.waves
    wave = catalog.wave(query.wave)
    if query.versus is None:
        return (wave,)
    return (wave, catalog.wave(query.versus))


def thread_title(question: str, limit: int = TITLE_LIMIT) -> str:
    """An assistant thread's title from its first question: on one line (whitespace and
    line breaks folded), cut at a word to at most ``limit`` characters (an ellipsis says
    it was cut)."""
    line = " ".join(question.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] or line[: limit - 1]
    return f"{cut.rstrip(' ,;:')}…"


def working_status(respondents: int | None) -> str:
    """The status shown while an answer is computed ("Counting 197 responses…")."""
    if respondents is None:
        return "Reading your question…"
    noun = "response" if respondents == 1 else "responses"
    return f"Counting {respondents:,} {noun}…"
