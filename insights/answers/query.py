"""One query language for the slash command, mentions and the CLI.

Grammar (case-insensitive; filler words are ignored)::

    gap [THEME] [by SEGMENT] [SEGMENT=VALUE …] [survey NAME] [wave LABEL] [vs LABEL]
        [trend] [chart]
    themes | segments | surveys | waves | help

``trend`` follows the gap across every wave up to the one asked about; ``chart`` (also
graph, plot, picture) asks for the answer as an image as well as text.

A bare value ("consultants") is a filter on the segment it belongs to; a bare segment name
("region") is a breakdown. Names resolve forgivingly: case, spaces, hyphens and plurals do
not matter ("In house", "inhouse" and "in-house" are the same), and close typos resolve.

Text that starts with a command word is *strict*: an unknown word is an error with a
"did you mean". Anything else is *natural* ("what's the gap for in-house senior
leaders?"): words we do not know are skipped, unless they look like a typo of a name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from insights.answers import phrases
from insights.answers.catalog import Catalog
from insights.answers.findings import Except
from insights.answers.wording import ThemeMatcher
from insights.errors import NotFoundError, QueryError, RefusedError

Command = Literal["gap", "themes", "segments", "surveys", "waves", "help", "overview", "count"]
Rank = Literal["widest", "narrowest"]
# Commands that are not questions about the data: each edge routes them to what acts
# (subscriptions, gap alerts, imports, deletions, the audit log, the misses log, pulses),
# wherever they are typed.
ACTIONS = frozenset(
    {"subscribe", "unsubscribe", "subscriptions", "import", "forget", "audit", "misses"}
    | {"alert", "alerts", "pulse"}
)
COMMANDS: dict[str, Command] = {
    "gap": "gap", "gaps": "gap", "overview": "overview", "summary": "overview",
    "theme": "themes", "themes": "themes", "topics": "themes", "questions": "themes",
    "segment": "segments", "segments": "segments",
    "surveys": "surveys", "waves": "waves",
    "help": "help", "usage": "help", "commands": "help", "count": "count",
}  # fmt: skip
BREAKDOWN_WORDS = {"by", "per", "across", "each", "every"}
VERSUS_WORDS = {"vs", "versus", "against", "since", "compared", "compare"}
# Words naming the published study a team compares itself with (``vs benchmark``).
BENCHMARK_WORDS = {"benchmark", "benchmarks", "study", "industry", "published", "research"}
WAVE_WORDS = {"wave", "in"}
SURVEY_WORDS = {"survey"}
CLEAR_WORDS = {"overall", "everyone", "everybody", "total"}
TREND_WORDS = {"trend", "trends", "history", "trajectory", "overtime"}
RANKS: dict[str, Rank] = {"widest": "widest", "narrowest": "narrowest"}
CHART_WORDS = {"chart", "charts", "graph", "graphs", "plot", "picture", "visual", "image"}
# Words that carry no meaning for a query ("what's the gap for …"); they are skipped.
FILLER = frozenset(
    """
    a about all also among amongst an and answer any are at be between big breakdown broken by
    can could current dear do does down empathy folks for from give has have hey hi how how's
    hows i in is it its just large latest let list look me much now of on only our people
    please respondent respondents s see shall show split team tell thank thanks that the their
    them there these those to us want was we what what's whats where which who whole wide with
    would you your pls plz thx ok okay so got quick days like get tell seems it's that's right
    currently guys band bands kind sort little bit quickly lately right now rn
    """.split()  # noqa: SIM905 - a word list reads better as text
)
HELP_HINT = "Type `help` for what I understand."


def action_of(text: str) -> str | None:
    """The action a text asks for (``subscribe``, ``forget``, …), or None for a question.

    Only the first word decides, so that a question that merely mentions a word ("who can
    import?") is still a question; every edge routes by this one function."""
    words = [t.casefold() for t in tokenize(text)]
    while words and words[0] in phrases.POLITE and words[0] not in ACTIONS:
        words.pop(0)
    first = words[0] if words else ""
    return first if first in ACTIONS else None


def norm(text: str) -> str:
    """Fold case and drop everything but letters and digits: 'In-House' → 'inhouse'."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _singular(key: str) -> str:
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("s", "")):
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            return key[: -len(suffix)] + keep
    return key


@dataclass(frozen=True)
class Query:
    """A parsed query; ``canonical()`` prints it back in the strict grammar."""

    command: Command = "overview"
    theme: str | None = None
    by: str | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    survey: str | None = None
    wave: str | None = None
    versus: str | None = None
    trend: bool = False
    rank: Rank | None = None  # a breakdown's groups in order of their gap
    top: int | None = None  # only the first ``top`` groups of a ranking
    benchmark: bool = False  # beside the published study's figures
    clear_filters: bool = field(default=False, compare=False)
    chart: bool = field(default=False, compare=False)  # how to show it, not what to answer

    def canonical(self) -> str:
        if self.command not in ("gap", "overview", "count"):
            return self.command if not self.survey else f"{self.command} survey {_q(self.survey)}"
        parts: list[str] = ["count" if self.command == "count" else "gap"]
        if self.theme:
            parts.append(_q(self.theme))
        if self.by:
            parts += ["by", _q(self.by)]
        if self.rank:
            parts.append(self.rank)
        if self.top:
            parts += ["top", str(self.top)]
        # Quote each value on its own: '"Senior leader",Staff' parses back as two values.
        parts += [
            f"{_q(seg)}{'!=' if isinstance(vals, Except) else '='}{','.join(_q(v) for v in vals)}"
            for seg, vals in self.filters
        ]
        if self.survey:
            parts += ["survey", _q(self.survey)]
        if self.wave:
            parts += ["wave", _q(self.wave)]
        if self.versus:
            parts += ["vs", _q(self.versus)]
        if self.benchmark:
            parts += ["vs", "benchmark"]
        if self.trend:
            parts.append("trend")
        return " ".join(parts)

    def with_filter(self, segment: str, values: tuple[str, ...]) -> Query:
        kept = tuple((s, v) for s, v in self.filters if s != segment)
        return replace(self, filters=(*kept, (segment, values)))

    def followed_by(
        self, new: Query, *, rank: Rank | None = None, rest: bool = False, adds: bool = False
    ) -> Query:
        """A follow-up in a thread: the new query's parts replace the previous one's.

        ``rank``: a ranking asked without a segment ("most aligned instead?") ranks the
        thread's breakdown; ``rest``: "and the rest?" is everyone but the thread's one
        group; ``adds``: "plus Sales" adds a value to its segment's filter."""
        if new.command not in ("gap", "overview"):
            return new
        base = self.filters
        if rest:
            base = _the_rest(self.filters)
        if new.by and new.by != self.by:  # a breakdown by a segment replaces its filter
            base = tuple((seg, values) for seg, values in base if seg != new.by)
        merged = replace(self, command="gap", filters=() if new.clear_filters else base)
        for segment, values in new.filters:
            current = dict(merged.filters).get(segment, ())
            if adds and not isinstance(values, Except) and not isinstance(current, Except):
                values = tuple(dict.fromkeys((*current, *values)))
            merged = merged.with_filter(segment, values)
        if rank and not new.rank and (self.by or self.rank or new.by):
            new = replace(new, rank=rank)
        # A breakdown, a comparison and a trend are different views: the newest one asked wins.
        view_changed = bool(new.by or new.versus or new.trend or new.benchmark)
        # A ranking orders one wave's groups: a change or a trend ends it, as a new segment does.
        keeps_rank = not (new.versus or new.trend) and (not new.by or new.by == merged.by)
        return replace(
            merged,
            theme=new.theme or merged.theme,
            by=new.by or (None if view_changed else merged.by),
            survey=new.survey or merged.survey,
            wave=new.wave or merged.wave,
            versus=new.versus or (None if view_changed else merged.versus),
            trend=new.trend or (merged.trend and not view_changed),
            benchmark=new.benchmark or (merged.benchmark and not view_changed),
            rank=new.rank or (merged.rank if keeps_rank else None),
            top=new.top or (merged.top if keeps_rank else None),
            chart=new.chart,
        )


def _the_rest(
    filters: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Everyone but a thread's one group: its filter turned around."""
    if len(filters) != 1:
        raise QueryError(
            "“The rest” needs one group to leave out, and this thread names "
            + ("none." if not filters else "several."),
            suggestion="Say who, e.g. `everyone but consultants`.",
        )
    segment, values = filters[0]
    return ((segment, tuple(values) if isinstance(values, Except) else Except(values)),)


def _q(text: str) -> str:
    return text if re.fullmatch(r"[\w\-.&'/]+", text) else f'"{text}"'


# A quote opens only where a word does not continue: "what's" and "managers'" are words.
_TOKEN = re.compile(r'"[^"]*"|(?<!\w)\'[^\']*\'(?!\w)|!=|≠|=|:|,|[^\s=:,"?!≠;()]+')
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def tokenize(text: str) -> list[str]:
    text = text.strip().translate(_QUOTES)
    for prefix in ("/empathy", "@empathy"):
        if text.casefold().startswith(prefix):
            text = text[len(prefix) :]
    text = re.sub(r"<@[A-Z0-9]+(\|[^>]*)?>", " ", text)  # Slack user mentions
    tokens = [t.strip("\"'") if t[:1] in "\"'" else t.rstrip(".") for t in _TOKEN.findall(text)]
    return [t for t in tokens if t]


@dataclass(frozen=True)
class Vocabulary:
    """Every name a query can use, keyed by its normalised form."""

    themes: dict[str, str]
    segments: dict[str, str]
    values: dict[str, dict[str, str]]  # segment -> norm(value) -> value
    waves: dict[str, str]  # oldest first
    surveys: dict[str, str]
    matcher: ThemeMatcher | None = None  # themes by their questions' wording
    wave_parts: dict[str, str] = field(default_factory=dict)  # "pilot" → "2021-pilot"
    shared_parts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "q1" → 2 waves
    # A word of one value only, for natural text: "senior" → (seniority, Senior leader).
    value_parts: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> Vocabulary:
        surveys = [catalog.survey, *catalog.other_surveys]
        labels = [w.label for w in catalog.waves]
        segments = {norm(s.name): s.name for s in catalog.segments}
        for segment in catalog.segments:  # everyday names: "level" for seniority
            for synonym in phrases.SEGMENT_SYNONYMS.get(norm(segment.name), ()):
                segments.setdefault(norm(synonym), segment.name)
        values = {s.name: {norm(v): v for v in s.values} for s in catalog.segments}
        themes = {norm(t.name): t.name for t in catalog.themes}
        return cls(
            themes=themes,
            segments=segments,
            values=values,
            waves={norm(label): label for label in labels},
            surveys={norm(s.name): s.name for s in surveys},
            matcher=ThemeMatcher([(t.name, [q.text for q in t.questions]) for t in catalog.themes]),
            wave_parts=_wave_parts(labels),
            shared_parts=_shared_parts(labels),
            value_parts=_value_parts(values, {*themes.values(), *segments, *labels}),
        )

    @property
    def segment_names(self) -> list[str]:
        """Each segment once, by its own name (the lookup table also holds everyday names)."""
        return list(dict.fromkeys(self.segments.values()))

    @property
    def wave_labels(self) -> list[str]:
        return list(self.waves.values())

    def lookup(self, table: dict[str, str], words: list[str]) -> str | None:
        key = norm(" ".join(words))
        if not key:
            return None
        found = table.get(key) or table.get(_singular(key))
        if found is None and len(words) > 2 and any(w.casefold() == "and" for w in words[1:-1]):
            # "middle east and africa" is "Middle East & Africa"
            found = self.lookup(table, [w for w in words if w.casefold() != "and"])
        return found

    def value_owner(self, words: list[str]) -> list[tuple[str, str]]:
        found = []
        for segment, values in self.values.items():
            value = self.lookup(values, words)
            if value is not None:
                found.append((segment, value))
        return found

    def everything(self) -> dict[str, str]:
        """Every name, keyed by its normalised form (built once: typo checks ask often)."""
        return self._everything

    @cached_property
    def _everything(self) -> dict[str, str]:
        names = {**self.themes, **self.segments, **self.waves, **self.surveys}
        for values in self.values.values():
            names.update(values)
        names.update({k: k for k in COMMANDS})
        return names


MAX_SPAN = 4
# Every segment, value and keyword of a real question fits many times over; a longer text
# is not a question, and parsing it would only hold a thread that answers questions.
MAX_TOKENS = 400
# A typo is looked for only in words of a name's length.
MAX_TYPO = 80


def _value_parts(values: dict[str, dict[str, str]], names: set[str]) -> dict[str, tuple[str, str]]:
    """Each word of a multi-word value that names that value only, and no theme, segment
    or wave word: "senior" for "Senior leader", "york" for "New York" (not "middle" when
    there are "Middle manager" and "Middle East & Africa", nor "customer" of a theme's)."""
    taken = {norm(word) for name in names for word in re.split(r"[^0-9A-Za-z]+", name)}
    owners: dict[str, set[tuple[str, str]]] = {}
    for segment, table in values.items():
        for value in table.values():
            words = [w for w in re.split(r"[^0-9A-Za-z]+", value) if w]
            if len(words) < 2:
                continue
            for word in words:
                key = _singular(norm(word))
                if len(key) >= 4 and word.casefold() not in FILLER:
                    owners.setdefault(key, set()).add((segment, value))
    whole = {key for table in values.values() for key in table}
    return {
        key: next(iter(found))
        for key, found in owners.items()
        if len(found) == 1 and key not in taken and key not in whole and not key.isdigit()
    }


def _part_owners(labels: list[str]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for label in labels:
        for part in re.split(r"[^0-9A-Za-z]+", label):
            key = norm(part)
            if len(key) >= 2 and part.casefold() not in FILLER and key != norm(label):
                owners.setdefault(key, [])
                if label not in owners[key]:
                    owners[key].append(label)
    return owners


def _wave_parts(labels: list[str]) -> dict[str, str]:
    """Each word of a wave label that names one wave only: "pilot" and "2021" for
    "2021-pilot" (but not "q1" when there are "Q1 2025" and "Q1 2026")."""
    return {part: found[0] for part, found in _part_owners(labels).items() if len(found) == 1}


def _shared_parts(labels: list[str]) -> dict[str, tuple[str, ...]]:
    """Words of wave labels that several waves share ("q1", "2025"): never guessed."""
    return {part: tuple(found) for part, found in _part_owners(labels).items() if len(found) > 1}


@dataclass(frozen=True)
class Reading:
    """How a text was read: the ``query``, what was assumed on the way (``notes``: a typo
    read as a name, a wave named by its place), and whether the text was natural language
    (so the answer shows its strict reading) or already strict."""

    query: Query
    notes: tuple[str, ...] = ()
    natural: bool = False
    skipped: tuple[str, ...] = ()  # words read past without meaning (a fallback, logged)
    rank: Rank | None = None  # a ranking asked for without a segment: a thread's follow-up
    rest: bool = False  # "and the rest?"
    adds: bool = False  # "plus Sales": adds a value rather than replacing one
    compares: bool = False  # named groups side by side: a question of its own


class _Parser:
    """Reads tokens left to right; each clause consumes the words it understands.

    Words that change the meaning (a negation, a comparison, a time word) are never
    skipped: each is understood, or the parser says what it could not place. Unknown words
    are an error in strict text; in natural text they are skipped once something is
    recognised, unless they look like a typo of a name (then the name is used, and said).
    """

    def __init__(self, tokens: list[str], vocab: Vocabulary, strict: bool) -> None:
        self.tokens = tokens
        self.vocab = vocab
        self.strict = strict
        self.pos = 0
        self.query = Query()
        self.unknown: list[str] = []
        self.recognised = False
        self.notes: list[str] = []
        self.used: set[int] = set()  # words a theme's wording took
        self.puzzles: list[str] = []  # meaning words that could not be placed
        self.compare = False
        self.change = False
        self.count = False
        self.rank_asked: Rank | None = None
        self.comparative = False  # "bigger for A or B?" compares when two groups are named
        self.overview_seen = False
        self.rest = False  # "and the rest?", "everyone else"
        self.read_past = False  # strict text with words that name nothing, read past
        self.combined = False  # "A and B as one group"
        self.listing: Command | None = None
        self.helped = False
        self.bare: dict[str, list[str]] = {}  # values named without `=`, per segment

    # -- driving -------------------------------------------------------------------------------

    def run(self) -> Reading:
        lowered = [t.casefold() for t in self.tokens]
        _refuse_individuals(lowered, self.vocab.everything())
        self.match_theme_wording(lowered)
        while self.pos < len(self.tokens):
            if self.pos in self.used:
                self.pos += 1
                continue
            self.step()
        self.finish()
        if self.unknown:
            self.fail_unknown()
        if self.query.rank and (self.query.trend or self.query.versus):
            raise QueryError(
                "I rank groups by their gap in one wave, not by how it changed.",
                suggestion="Ask the ranking, then follow up with `over time` for one group.",
                reading=replace(self.query, rank=None, top=None).canonical(),
            )
        q = self.query
        if q.benchmark and (q.by or q.versus or q.trend or q.rank):
            raise QueryError(
                "I set one group's figures beside the study's, not a breakdown, a change or"
                " a trend.",
                suggestion="Filter instead, e.g. `gap vs benchmark role=in-house`.",
            )
        if self.query.trend and (self.query.by or self.query.versus):
            raise QueryError(
                "A trend follows one group across waves, so it can't be combined with "
                f"{'a breakdown' if self.query.by else 'a comparison'}.",
                suggestion="Filter instead, e.g. `gap role=in-house trend`.",
            )
        notes = tuple(dict.fromkeys(self.notes))
        lowered = [t.casefold() for t in self.tokens]
        return Reading(
            self.query,
            notes,
            not self.strict or self.read_past,
            tuple(self.unknown),
            rank=self.rank_asked,
            rest=self.rest,
            compares=self.compare and bool(self.query.by),
            adds=bool(lowered) and lowered[0] in ("plus", "add", "include", "also"),
        )

    def step(self) -> None:
        word = self.word()
        if self.pos == 0 and word in COMMANDS and COMMANDS[word] != "overview":
            self.pos += 1
            self.set(command=COMMANDS[word])
            return
        for handler in (
            self.keyword_clause,
            self.negation_clause,
            self.filter_clause,
            self.time_clause,
            self.rank_clause,
            self.intent_clause,
            self.name_clause,
        ):
            if handler():
                return
        if word in COMMANDS:
            if COMMANDS[word] == "gap" or self.query.command in ("gap", "overview"):
                self.set(command=COMMANDS[word] if COMMANDS[word] != "overview" else "gap")
            self.pos += 1
            return
        if word in FILLER or word in (",", ":", "=") or word in phrases.JOINERS:
            self.pos += 1
            return
        if self.typo_clause():
            return
        self.unknown.append(self.tokens[self.pos])
        self.pos += 1

    def finish(self) -> None:
        """Turn what the words asked for (compare, rank, count, change) into the query."""
        if self.comparative and not self.compare and self.several_named():
            self.compare, self.rank_asked = True, None
        if self.compare and self.rest and sum(len(v) for v in self.bare.values()) == 1:
            self.rest = False  # "Product vs everyone else": Product against the rest
        if self.compare and not (self.query.versus or self.query.benchmark):
            self.finish_comparison()
        if self.query.top and not self.query.rank and not self.rank_asked:
            self.rank_asked = "widest"
        if self.change and not (self.query.versus or self.query.trend):
            self.set(versus=self.wave_before(self.query.wave), command="gap")
        if self.rank_asked and not self.query.rank:
            self.finish_ranking(self.rank_asked)
        if self.count and self.counts_people():
            self.query = replace(self.query, command="count")
        if self.listing and not self.has_content():
            self.query = replace(self.query, command=self.listing)
        elif self.helped and not self.has_content():
            self.query = replace(self.query, command="help")
        if self.puzzles and not self.strict:
            self.fail_puzzles()
        if not self.strict:
            self.refuse_off_topic()

    def refuse_off_topic(self) -> None:
        """A question about something else that happens to name a group ("is the London
        office open tomorrow?", "who's on call for support?") is not answered."""
        lowered = [t.casefold() for t in self.tokens]
        start = _opening(lowered)
        first = lowered[start] if start < len(lowered) else ""
        about_figures = bool(
            self.query.theme
            or self.rank_asked
            or self.query.rank
            or self.compare
            or self.change
            or self.count
            or self.listing
            or self.helped
            or self.overview_seen
            or self.combined
            or self.query.trend
            or self.query.versus
            or self.query.benchmark
            or self.query.wave
            or set(lowered) & (phrases.TOPIC_WORDS | set(COMMANDS))
        )
        who = first in ("who", "who's", "whos")
        if about_figures or (len(self.unknown) < 2 and not who):
            return
        said = " ".join(self.tokens)
        said = said if len(said) <= 60 else said[:59] + "…"
        raise QueryError(
            f"I don't think “{said}” is about the survey, so I haven't answered it: I answer "
            "questions about how groups answered.",
            suggestion=f"{HELP_HINT}",
        )

    def several_named(self) -> bool:
        """Two or more groups of one segment named bare ("consultants or in-house")."""
        return any(len(values) >= 2 for values in self.bare.values())

    def counts_people(self) -> bool:
        """'How many answered (in Europe)?' is a count; 'how many think X' is X's share."""
        q = self.query
        return q.command in ("gap", "overview") and not (
            q.theme or q.by or q.versus or q.trend or q.benchmark
        )

    def has_content(self) -> bool:
        q = self.query
        return bool(
            q.theme or q.by or q.filters or q.versus or q.trend or q.rank or q.wave or q.benchmark
        )

    # -- reading tokens ------------------------------------------------------------------------

    def word(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.tokens[i].casefold() if 0 <= i < len(self.tokens) else ""

    def take_name(self, table: dict[str, str]) -> str | None:
        """Longest run of tokens (up to MAX_SPAN) that names something in ``table``."""
        for span in range(min(MAX_SPAN, len(self.tokens) - self.pos), 0, -1):
            words = self.tokens[self.pos : self.pos + span]
            if any(w in ("=", ":", ",", "!=", "≠") for w in words):
                continue
            if any(i in self.used for i in range(self.pos, self.pos + span)):
                continue
            found = self.vocab.lookup(table, words)
            if found is not None:
                self.pos += span
                return found
        return None

    def take_corrected(self, table: dict[str, str], what: str) -> str | None:
        """The name the current word is a clear typo of, used and said."""
        word = self.tokens[self.pos] if self.pos < len(self.tokens) else ""
        found = _closest(word, table)
        if found is None:
            return None
        self.pos += 1
        self.notes.append(f"read “{word}” as the {what} “{found}”")
        return found

    def skip(self, words: frozenset[str] | set[str]) -> None:
        while self.pos < len(self.tokens) and self.word() in words:
            self.pos += 1

    def take_wave(self) -> str | None:
        """A wave by its label, a unique part of it ("pilot"), or its place ("the first")."""
        found = self.take_name(self.vocab.waves) or self.take_name(self.vocab.wave_parts)
        return found or self.take_relative_wave()

    def take_relative_wave(self) -> str | None:
        """'the latest wave', 'last time', 'the previous round', 'the first survey'."""
        start = self.pos
        the = self.word(-1) == "the"
        word = self.word()
        if word == "most" and self.word(1) == "recent":
            self.pos += 1
            word = "recent"
        labels = self.vocab.wave_labels
        if word in phrases.FIRST:
            found = labels[0]
        elif word == "last" and (the or self.word(1) in ("wave", "one")):
            found = labels[-1] if the else self.wave_before(None)
        elif word == "last" and self.word(1) in phrases.WAVE_NOUNS:
            found = self.wave_before(None)  # "last time", "last quarter": the one before now
        elif word in phrases.PREVIOUS and (word != "before" or the or self.word(-1) == "one"):
            found = self.wave_before(None)
        elif word in phrases.LATEST and (
            word in ("latest", "newest", "recent") or self.word(1) in phrases.WAVE_NOUNS
        ):
            found = labels[-1]
        else:
            self.pos = start
            return None
        self.pos += 1
        if self.word() in phrases.WAVE_NOUNS:
            self.pos += 1
        self.notes.append(f"read “{' '.join(self.tokens[start : self.pos])}” as wave {found}")
        return found

    def wave_before(self, label: str | None) -> str:
        labels = self.vocab.wave_labels
        index = labels.index(label) if label in labels else len(labels) - 1
        if index == 0:
            raise QueryError(
                f"There is no wave before {labels[index]}, so nothing to compare it with.",
                suggestion="`waves` lists the waves."
                if len(labels) > 1
                else "Import another wave to see change.",
            )
        return labels[index - 1]

    def take_values(self, segment: str) -> tuple[str, ...]:
        values = []
        while True:
            value = self.take_name(self.vocab.values[segment]) or self.take_corrected(
                self.vocab.values[segment], f"{segment} value"
            )
            if value is None:
                known = list(self.vocab.values[segment].values())
                got = self.word() or "nothing"
                raise QueryError(
                    f"Segment {segment!r} has no value {got!r}.",
                    suggestion=f"{_did_you_mean(got, known)} Values: {', '.join(known)}.".strip(),
                )
            if value not in values:  # `role=a,a,a` asks about a once
                values.append(value)
            if self.word() != ",":
                return tuple(values)
            self.pos += 1

    def take_bare_values(self) -> list[tuple[str, str]]:
        """Values named one after another: "Europe and North America", "staff, managers",
        "the London and Berlin offices" (a segment's name after its values is theirs)."""
        found: list[tuple[str, str]] = []
        while self.pos < len(self.tokens):
            start = self.pos
            self.skip({"the", "a", "an"})
            owned = self.take_value()
            if owned is None:
                self.pos = start
                break
            found.append(owned)
            if self.word() in phrases.JOINERS:
                self.pos += 1
                continue
            break
        if found and self.pos > 0 and self.word(-1) in phrases.JOINERS:
            self.pos -= 1  # the joiner after the last value belongs to what follows
        if found and self.vocab.lookup(self.vocab.segments, [self.word()]) == found[-1][0]:
            self.pos += 1  # "london office", "1-3 years tenure"
        return found

    def take_value(self) -> tuple[str, str] | None:
        """One bare value (and the segment it belongs to): its name, longest first; in
        natural text also a word only it has ("seniors"), or a clear typo of it (said)."""
        for span in range(min(MAX_SPAN, len(self.tokens) - self.pos), 0, -1):
            if any(i in self.used for i in range(self.pos, self.pos + span)):
                continue
            words = self.tokens[self.pos : self.pos + span]
            owners = self.vocab.value_owner(words)
            if len(owners) > 1:
                choices = " or ".join(f"`{seg}={value}`" for seg, value in owners)
                raise QueryError(
                    f"{' '.join(words)!r} is a value of more than one segment.",
                    suggestion=f"Say which: {choices}.",
                )
            if owners:
                self.pos += span
                return owners[0]
        if self.pos in self.used:
            return None
        part = self.vocab.value_parts.get(_singular(norm(self.word())))
        if part is not None and self.word() not in FILLER and not self.strict:
            self.pos += 1
            return part
        return self.take_value_typo()

    def take_value_typo(self) -> tuple[str, str] | None:
        """A clear typo of a value ("eurpoe", "latin amercia"), used and said."""
        everything = self.vocab.everything()
        for span in range(min(3, len(self.tokens) - self.pos), 0, -1):
            words = self.tokens[self.pos : self.pos + span]
            if any(i in self.used for i in range(self.pos, self.pos + span)):
                continue
            lowered = [w.casefold() for w in words]
            if any(w in FILLER or self.is_meaning_word(w) or w in "=,:" for w in lowered):
                continue
            said = " ".join(words)
            found = _closest(said, everything)
            for segment, table in self.vocab.values.items():
                if found is not None and found in table.values():
                    self.pos += span
                    self.notes.append(f"read “{said}” as “{found}”")
                    return segment, found
        return None

    def set(self, **changes: object) -> None:
        self.query = replace(self.query, **changes)  # type: ignore[arg-type]
        self.recognised = True

    def question_command(self) -> Command:
        """What a filter or name makes of the command: a count stays a count."""
        return "count" if self.query.command == "count" else "gap"

    def add_values(self, values: list[tuple[str, str]], *, exclude: bool = False) -> None:
        """Bare values join their segment's filter (OR); excluded ones an exclusion."""
        self.set(command=self.question_command())
        for segment, value in values:
            current = dict(self.query.filters).get(segment, ())
            if exclude != isinstance(current, Except):
                current = ()
            merged = (*current, value) if value not in current else tuple(current)
            self.query = self.query.with_filter(segment, Except(merged) if exclude else merged)
            if not exclude:
                self.bare.setdefault(segment, [])
                if value not in self.bare[segment]:
                    self.bare[segment].append(value)

    # -- clauses -------------------------------------------------------------------------------

    def match_theme_wording(self, lowered: list[str]) -> None:
        """A theme named by its questions' words ("does the company track empathy")."""
        if self.vocab.matcher is None:
            return
        if any(self.vocab.lookup(self.vocab.themes, [t]) for t in self.tokens):
            return  # a theme named outright: its name decides
        reserved = {i for i, w in enumerate(lowered) if self.is_meaning_word(w)}
        places = phrases.FIRST | phrases.LATEST | phrases.PREVIOUS | {"last"}
        reserved |= {  # "since the first wave" is a wave, not the theme "customer first"
            i
            for i, w in enumerate(lowered)
            if w in places
            and (
                (i + 1 < len(lowered) and lowered[i + 1] in phrases.WAVE_NOUNS)
                or (i > 0 and lowered[i - 1] in ("the", "since", "in", "vs"))
            )
        }
        # Values after `=` are a filter's, and a name after `survey` or `wave` is that name,
        # whatever they say.
        after = ("=", ":", "!=", ",", "survey", "wave")
        reserved |= {i for i in range(1, len(lowered)) if lowered[i - 1] in after}
        names = self.name_positions()
        match = self.vocab.matcher.match(self.tokens, reserved=reserved | names[0], names=names[1])
        if match is None:
            return
        self.query = replace(self.query, theme=match.theme)
        self.recognised = True
        self.used = set(match.used)
        words = " ".join(self.tokens[i] for i in sorted(match.used))
        if norm(words) != norm(match.theme):
            self.notes.append(f"read “{words}” as the theme “{match.theme}”")

    def name_positions(self) -> tuple[frozenset[int], frozenset[int]]:
        """(positions of wave and segment names, positions of segment values)."""
        waves: set[int] = set()
        values: set[int] = set()
        for start in range(len(self.tokens)):
            for span in range(min(MAX_SPAN, len(self.tokens) - start), 0, -1):
                words = self.tokens[start : start + span]
                if self.vocab.value_owner(words):
                    values.update(range(start, start + span))
                    break
                if self.vocab.lookup(self.vocab.waves, words) or self.vocab.lookup(
                    self.vocab.segments, words
                ):
                    waves.update(range(start, start + span))
                    break
                if not self.strict and self.names_a_value_loosely(words):
                    values.update(range(start, start + span))
                    break
        return frozenset(waves), frozenset(values)

    def names_a_value_loosely(self, words: list[str]) -> bool:
        """A word only one value has ("senior folks"), or a clear typo of a value."""
        lowered = [w.casefold() for w in words]
        if any(w in FILLER or self.is_meaning_word(w) for w in lowered):
            return False
        if len(words) == 1 and _singular(norm(words[0])) in self.vocab.value_parts:
            return True
        found = _closest(" ".join(words), self.vocab.everything())
        return found is not None and any(found in t.values() for t in self.vocab.values.values())

    @staticmethod
    def is_meaning_word(word: str) -> bool:
        return (
            word in phrases.NEGATIONS
            or word in phrases.COMPARISONS
            or word in phrases.CHANGES
            or word in phrases.TRENDS
            or word in phrases.WIDEST
            or word in phrases.NARROWEST
            or word in BREAKDOWN_WORDS
        )

    def keyword_clause(self) -> bool:
        word = self.word()
        if word in BREAKDOWN_WORDS:
            return self.breakdown_clause(word)
        if word in VERSUS_WORDS or word in phrases.COMPARISONS:
            return self.comparison_clause(word)
        if word in ("benchmark", "benchmarks"):
            return self.benchmark_clause()
        if word in WAVE_WORDS and self.word(1):
            self.pos += 1
            wave = self.take_name(self.vocab.waves) or self.take_name(self.vocab.wave_parts)
            if wave is not None:
                self.set(wave=wave)
                return True
            if word == "wave" and self.query.command != "waves":
                wave = self.take_corrected(self.vocab.waves, "wave")
                if wave is not None:
                    self.set(wave=wave)
                    return True
                if self.strict:
                    self.fail_expected("a wave", list(self.vocab.waves.values()))
            self.pos -= 1
            return False
        if word in SURVEY_WORDS and self.word(1) and self.query.command != "surveys":
            self.pos += 1
            survey = self.take_name(self.vocab.surveys)
            if survey is None:
                if self.strict or self.word() not in FILLER:
                    known = ", ".join(self.vocab.surveys.values())
                    raise NotFoundError(
                        f"There is no survey {self.tokens[self.pos]!r}.",
                        suggestion=f"Surveys: {known}.",
                    )
                return True
            self.set(survey=survey)
            return True
        if word in TREND_WORDS or (word, self.word(1)) in phrases.TREND_PAIRS:
            if word == "over" and self.word(1) == "the":
                ahead = [self.word(i) for i in range(2, 5)]
                if not {"waves", "years", "rounds", "quarters", "surveys", "pulses"} & set(ahead):
                    return False
            self.pos += 1 if word in TREND_WORDS else 2
            self.skip({"waves", "years", "time", "the", "rounds", "quarters", "surveys", "pulses"})
            self.skip(set(phrases.NUMBERS) | {"last", "past", "all", "waves", "rounds"})
            self.set(trend=True, command="gap")
            return True
        if word in CHART_WORDS and not (word == "picture" and self.word(-1) == "big"):
            self.pos += 1
            self.set(chart=True)
            return True
        if word in RANKS:
            self.pos += 1
            if self.strict:
                self.set(rank=RANKS[word], command="gap")
                return True
            return self.asked_rank(RANKS[word])
        if self.rest_clause():
            return True
        if word == "whole" and self.word(1) in phrases.WHOLE:
            self.pos += 2
            self.query = replace(self.query, filters=(), clear_filters=True)
            self.recognised = True
            return True
        if word in ("top", "bottom") and (
            re.fullmatch(r"\d{1,3}", self.word(1)) or self.word(1) in phrases.NUMBERS
        ):
            number = phrases.NUMBERS.get(self.word(1)) or int(self.word(1))
            self.pos += 2
            rank: Rank = "widest" if word == "top" else "narrowest"
            self.set(top=max(1, min(number, 99)), command="gap")
            if self.strict:
                self.set(rank=self.query.rank or rank)
            elif word == "bottom":
                self.asked_rank(rank)
            return True
        if word in CLEAR_WORDS and self.word(1) != "but":
            self.pos += 1
            self.query = replace(self.query, filters=(), clear_filters=True)
            self.recognised = True
            return True
        return False

    def rest_clause(self) -> bool:
        """'and the rest?', 'everyone else', 'the others': everyone but the thread's group."""
        word, after = self.word(), self.word(1)
        if word in ("the", "everyone", "everybody") and after in ("rest", "others", "else"):
            self.pos += 2
        elif word in ("rest", "others") and self.word(-1) != "the":
            self.pos += 1
        else:
            return False
        self.rest = self.recognised = True
        return True

    def breakdown_clause(self, word: str) -> bool:
        """by SEGMENT; 'broken down by', 'split by', 'per region', 'for each department'."""
        self.pos += 1
        if word in ("each", "every") and self.word() in phrases.WAVE_NOUNS:
            self.pos -= 1
            return False
        segment = self.take_name(self.vocab.segments) or self.take_corrected(
            self.vocab.segments, "segment"
        )
        if segment is None:
            if word in ("by", "per") and self.strict:
                self.fail_expected("a segment", self.vocab.segment_names)
            if word in ("by", "per") and not self.word():
                self.listing = "segments"  # "what can I filter by?"
            return True
        self.set(by=segment, command="gap")
        return True

    def comparison_clause(self, word: str) -> bool:
        """vs / compared to / since: a wave (a change), or a group (a comparison)."""
        start = self.pos
        self.pos += 1
        if word == "than" and self.word() not in phrases.WAVE_NOUNS and self.word() != "the":
            self.pos = start
            return False
        self.skip(phrases.AFTER_COMPARISON - {"wave", "survey"})
        if self.benchmark_clause():
            return True
        if self.word() in ("wave", "survey", "round") and self.word(1):
            self.pos += 1
        wave = self.take_wave()
        if wave is not None:
            self.compare_waves(wave, word)
            return True
        if word in ("since", "than"):
            self.pos = start + 1
            if word == "since" and not self.strict:
                self.change = True
                self.recognised = True
                return True
            if word == "than":
                return True
            self.fail_expected("a wave", list(self.vocab.waves.values()))
        values = self.take_bare_values()
        if values:
            self.compare = True
            self.add_values(values)
            return True
        if self.strict and word in ("vs", "versus"):
            self.fail_expected("a wave or a group", list(self.vocab.waves.values()))
        self.pos = start + 1
        self.compare = True
        self.recognised = True
        return True

    def benchmark_clause(self) -> bool:
        """'vs benchmark', 'compared to the industry', 'against the published study'; a wave
        or theme of that name is the wave or theme, not the study."""
        words: list[str] = []
        while self.word() in BENCHMARK_WORDS or (words and self.word() in ("the", "study's")):
            words.append(self.word())
            self.pos += 1
        if not words:
            return False
        if norm(" ".join(words)) in {norm(w) for w in self.vocab.wave_labels}:
            self.pos -= len(words)
            return False
        self.set(benchmark=True, command="gap")
        return True

    def compare_waves(self, wave: str, word: str) -> None:
        """'vs 2021' is a change since 2021; 'compare this wave with Q3' names both."""
        mark = self.pos
        self.skip({"with", "to", "and", "vs", "versus", "against", "the"})
        other = self.take_wave() if self.pos > mark and word != "since" else None
        if other is None:
            self.pos = mark
            self.set(versus=wave, command="gap")
            return
        labels = self.vocab.wave_labels
        later, earlier = sorted((wave, other), key=labels.index, reverse=True)
        self.set(wave=later, versus=earlier, command="gap")  # change since the earlier

    def negation_clause(self) -> bool:
        """'everyone but X', 'not counting X', 'excluding X and Y', 'non-X', 'other than X'."""
        word = self.word()
        start = self.pos
        if word.startswith("non") and word not in FILLER:
            rest = word.removeprefix("non").lstrip("-")
            owners = self.vocab.value_owner([rest]) if rest else []
            if len(owners) == 1 and not self.vocab.value_owner([word]):
                self.pos += 1
                self.add_values(owners, exclude=True)
                if self.vocab.lookup(self.vocab.segments, [self.word()]) == owners[0][0]:
                    self.pos += 1  # "non-London offices"
                return True
        pair = (word, self.word(1))
        if pair in phrases.NEGATION_PAIRS:
            self.pos += 2
        elif word in phrases.NEGATIONS or (word == "but" and self.word(-1) in phrases.EVERYBODY):
            self.pos += 1
        elif word in phrases.EXCLUDING_VERBS:
            self.pos += 1
            self.skip(phrases.AFTER_NEGATION | {"out", "off", "away"})
            values = self.take_bare_values()
            if not values:
                self.pos = start
                return False
            self.add_values(values, exclude=True)
            return True
        else:
            return False
        self.skip(phrases.AFTER_NEGATION)
        values = self.take_bare_values()
        if values:
            self.add_values(values, exclude=True)
            return True
        self.pos = start + 1
        if word == "but":
            return True
        self.puzzles.append(word if pair not in phrases.NEGATION_PAIRS else " ".join(pair))
        return True

    def filter_clause(self) -> bool:
        """SEGMENT=VALUE[,VALUE] (also SEGMENT:VALUE); SEGMENT!=VALUE[,VALUE] excludes."""
        start = self.pos
        segment = self.take_name(self.vocab.segments)
        if segment is None:
            return False
        if self.word() in ("=", ":", "!=", "≠"):
            excluded = self.word() in ("!=", "≠")
            self.pos += 1
            self.set(command=self.question_command())
            values = self.take_values(segment)
            self.query = self.query.with_filter(segment, Except(values) if excluded else values)
            return True
        self.pos = start
        return False

    def time_clause(self) -> bool:
        """A wave by its place ('the first wave'), a change ('has it improved'), a trend."""
        word = self.word()
        wave = self.take_relative_wave()
        if wave is not None:
            self.set(wave=wave)
            return True
        grows = word in phrases.GROWING and (
            not self.word(1) or self.word(1) in ("or", "since", "over", "from")
        )
        if word in phrases.CHANGES or grows:
            self.pos += 1
            if word == "change" and self.word() in ("over", "across"):
                return True  # "change over time" is the trend that follows
            self.change = True
            self.recognised = True
            return True
        return False

    def rank_clause(self) -> bool:
        """widest / narrowest / most aligned / least aligned / biggest disconnect / rank."""
        word, after = self.word(), self.word(1)
        if word in ("most", "least", "more", "less") and after == "in":
            after = self.word(2)  # "most in line with", "least in sync"
            if after in phrases.ALIGNED:
                self.pos += 1
        if word in ("most", "least", "more", "less") and (
            after in phrases.ALIGNED or after in phrases.DISCONNECTED
        ):
            aligned = after in phrases.ALIGNED
            widest = (word in ("most", "more")) != aligned
            self.comparative = self.comparative or word in ("more", "less")
            self.pos += 2
            return self.asked_rank("widest" if widest else "narrowest")
        if word in ("best", "worst") and after in phrases.ALIGNED:
            self.pos += 2
            return self.asked_rank("narrowest" if word == "best" else "widest")
        if word in phrases.WIDEST or word in phrases.NARROWEST or word in phrases.RANKINGS:
            if word == "least" and after not in ("gap", "gaps", "disconnect", ""):
                return False  # "at least", "least likely": not a ranking
            self.pos += 1
            if self.word() == "apart":  # "furthest apart"
                self.pos += 1
            self.comparative = self.comparative or word in phrases.COMPARATIVES
            return self.asked_rank("narrowest" if word in phrases.NARROWEST else "widest")
        return False

    def asked_rank(self, rank: Rank) -> bool:
        """The first ranking word decides: "from widest to narrowest" is widest first."""
        if self.rank_asked is None:
            self.rank_asked = rank
        self.recognised = True
        return True

    def intent_clause(self) -> bool:
        """How many / overview words / listings / help."""
        word, pair = self.word(), (self.word(), self.word(1))
        if pair in phrases.COUNT_PAIRS:
            self.pos += 2
            self.count = True
            self.recognised = True
            return True
        if word in phrases.COUNTS and self.query.command != "themes":
            self.pos += 1
            self.count = word not in ("respondents", "responses") or self.count
            return True
        for phrase in phrases.HELP_PHRASES:
            if tuple(self.word(i) for i in range(len(phrase))) == phrase:
                self.pos += len(phrase)
                self.helped = True
                self.recognised = True
                return True
        if word in phrases.HELP:
            self.pos += 1
            self.helped = True
            self.recognised = True
            return True
        if word in phrases.LISTINGS and not (word == "questions" and self.count):
            self.pos += 1
            self.listing = phrases.LISTINGS[word]  # type: ignore[assignment]
            self.recognised = True
            return True
        if word in phrases.OVERVIEW:
            self.pos += 1
            self.recognised = self.overview_seen = True
            return True
        if word in phrases.COMBINE and self.bare:  # "… as one group", "lumped together"
            self.pos += 1
            self.combined = True
            return True
        if word in phrases.LISTING_CUES and self.query.by and not self.query.filters:
            self.pos += 1  # "which departments are in the data": the segment's values
            self.listing = "segments"
            return True
        return False

    def name_clause(self) -> bool:
        """A bare theme, value, segment (a breakdown) or wave label."""
        theme = self.take_name(self.vocab.themes)
        if theme is not None:
            self.set(theme=theme, command=self.question_command())
            return True
        values = self.take_bare_values()
        if values:
            self.add_values(values)
            return True
        breakdown = self.take_name(self.vocab.segments)
        if breakdown is not None:
            self.set(by=breakdown, command="gap")
            return True
        if self.top_groups():
            return True
        wave = self.take_name(self.vocab.waves) or self.take_name(self.vocab.wave_parts)
        if wave is not None:
            self.set(wave=wave)
            return True
        shared = self.vocab.shared_parts.get(norm(self.word()))
        if shared and not self.vocab.everything().get(norm(self.word())):
            raise QueryError(
                f"“{self.tokens[self.pos]}” could be wave {' or '.join(shared)}.",
                suggestion=f"Say which, e.g. `wave {_q(shared[-1])}`.",
            )
        return False

    def top_groups(self) -> bool:
        """'the three regions …', 'which 2 departments …': a ranking's first N groups."""
        word = self.word()
        number = phrases.NUMBERS.get(word) or (int(word) if re.fullmatch(r"\d{1,2}", word) else 0)
        if not 1 <= number <= 20:
            return False
        start = self.pos
        self.pos += 1
        segment = self.take_name(self.vocab.segments)
        if segment is None:
            self.pos = start
            return False
        self.set(by=segment, top=number, command="gap")
        return True

    def typo_clause(self) -> bool:
        """A clear near miss of a theme, segment or wave name ('senority' → 'seniority')."""
        word = self.tokens[self.pos]
        if len(norm(word)) < 4 or word.casefold() in FILLER or self.is_meaning_word(word):
            return False
        found, span = None, 0
        for span in range(min(3, len(self.tokens) - self.pos), 0, -1):
            words = self.tokens[self.pos : self.pos + span]
            if any(self.is_meaning_word(w.casefold()) or w in ("=", ",") for w in words):
                continue
            found = _closest(" ".join(words), self.vocab.everything())
            if found is not None:
                word = " ".join(words)
                break
        if found is None:
            return False
        for table, what in (
            (self.vocab.themes, "theme"),
            (self.vocab.segments, "segment"),
            (self.vocab.waves, "wave"),
        ):
            if found in table.values():
                self.pos += span
                self.notes.append(f"read “{word}” as the {what} “{found}”")
                if what == "theme":
                    self.set(theme=found, command=self.question_command())
                elif what == "segment":
                    self.set(by=found, command="gap")
                else:
                    self.set(wave=found)
                return True
        return False

    # -- finishing -----------------------------------------------------------------------------

    def finish_comparison(self) -> None:
        """'A vs B' / 'compare A and B': a breakdown limited to the groups named."""
        several = [seg for seg, values in self.bare.items() if len(values) >= 2]
        if len(several) == 1:
            self.set(by=several[0], command="gap")
            return
        named = [seg for seg, values in self.bare.items() if values]
        if len(named) >= 2:
            pairs = " and ".join(f"“{self.bare[seg][0]}” ({seg})" for seg in named[:2])
            raise QueryError(
                f"I can compare groups of one segment, but {pairs} belong to different ones.",
                suggestion=f"Try `gap by {_q(named[0])} {_q(named[1])}="
                f"{_q(self.bare[named[1]][0])}`.",
            )
        if len(named) == 1:  # "how does Europe compare?": with the other groups
            segment = named[0]
            self.query = replace(
                self.query,
                by=segment,
                command="gap",
                filters=tuple((s, v) for s, v in self.query.filters if s != segment),
            )
            self.notes.append(f"compared {self.bare[segment][0]} with the other {segment} groups")
            return
        if self.change or self.query.by or self.query.theme:
            return
        if not self.strict:
            self.puzzles.append("compare")

    def finish_ranking(self, rank: Rank) -> None:
        """A ranking of one segment's groups; without a segment, every segment's, or (for
        "our biggest gap") the overview, whose first sentence names the widest theme."""
        if self.query.by:
            self.set(rank=rank)
            return
        lowered = {t.casefold().removesuffix("'s") for t in self.tokens}
        if lowered & phrases.GROUP_WORDS or self.query.filters:
            self.set(rank=rank, command="gap")
        else:
            self.recognised = True

    def fail_puzzles(self) -> None:
        word = self.puzzles[0]
        reading = self.query.canonical()
        raise QueryError(
            f"I didn't understand what “{word}” refers to here, so I haven't answered: "
            "reading past it could answer for the wrong group.",
            suggestion=f"The closest I can read is `{reading}`. {HELP_HINT}",
            reading=reading,
        )

    def fail_expected(self, what: str, known: list[str]) -> None:
        got = self.word() or "nothing"
        previous = self.tokens[self.pos - 1] if self.pos else ""
        raise QueryError(
            f"I expected {what} after {previous!r} but found {got!r}.",
            suggestion=(
                _did_you_mean(got, known)
                + (f" Known: {', '.join(known)}." if known else " This survey has none.")
            ).strip(),
        )

    def fail_unknown(self) -> None:
        names = list(self.vocab.everything().values())
        if (
            self.strict
            and self.has_content()
            and not any(_did_you_mean(word, names) for word in self.unknown)
        ):
            # "gap for remote workers not in Engineering": the words that name nothing are
            # read past, and the answer says which (its strict reading is shown).
            self.notes.append("read past " + ", ".join(f"“{w}”" for w in self.unknown))
            self.read_past = True
            return
        if not self.strict:
            if self.recognised:
                return
            said = " ".join(self.tokens)
            said = said if len(said) <= 60 else said[:59] + "…"
            raise QueryError(
                f"I couldn't find a theme, group or wave in “{said}”.",
                suggestion="Try `gap`, `gap by role` or `help`."
                if "role" in self.vocab.segments
                else "Try `gap`, `segments` or `help`.",
            )
        word = self.unknown[0]
        survey = self.vocab.surveys.get(norm(word))
        if survey is not None:
            raise QueryError(
                f"{word!r} is a survey.", suggestion=f"Ask with `gap survey {_q(survey)}`."
            )
        hint = _did_you_mean(word, names)
        raise QueryError(f"I don't know {word!r}.", suggestion=f"{hint} {HELP_HINT}".strip())


SHARE_WORDS = frozenset(
    {"percentage", "percent", "%", "share", "proportion", "fraction", "many", "number",
     "those", "people", "folks", "ones", "rate"}
)  # fmt: skip
LEADING = frozenset(
    {"hey", "hi", "so", "ok", "okay", "and", "but", "can", "could", "you", "tell", "me",
     "please", "pls", "just", "quick", "q", "question"}
)  # fmt: skip
# "R0001", "CF26A-0001": letters, then a number of three digits or more at the end.
# "which engineers disagreed": a past answer of theirs (not "which region thinks").
_PAST_VERBS = frozenset(
    v for v in phrases.INDIVIDUAL_VERBS if v.endswith(("ed", "id", "ote", "ose", "ut", "ave"))
)


def _opening(lowered: list[str]) -> int:
    """Where a question starts once greetings and politeness are skipped ("hey, can you
    tell me who…" starts at "who")."""
    return next((i for i, w in enumerate(lowered) if w not in LEADING), len(lowered))


_RESPONDENT_ID = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*[-_]?\d{3,}")


def _about_individuals(lowered: list[str], names: dict[str, str]) -> bool:
    """Whether a question asks about individuals: who answered what, lists of people,
    raw or exported answers, one respondent (by the word, or by an id)."""
    words = set(lowered)
    padded = [*lowered, "", "", ""]
    near = list(zip(padded, padded[1:], padded[2:], padded[3:], strict=False))[: len(lowered)]
    start = _opening(lowered)
    first = lowered[start] if start < len(lowered) else ""
    rest = set(lowered[start + 1 :])
    verbs = phrases.INDIVIDUAL_VERBS
    persons = {"people", "respondents", "individuals", "persons", "employees", "names"}
    past = _PAST_VERBS
    who = (first in ("who", "whom") and bool(rest & verbs)) or (
        first == "which" and bool(rest & past)
    )
    who_are = first == "who" and bool(rest & persons)
    who_within = any(  # "show me who answered", not "the share who answered"
        w == "who" and i > 0 and lowered[i - 1] not in SHARE_WORDS and {a, b, c} & verbs
        for i, (w, a, b, c) in enumerate(near)
    )
    listed = any(
        w in phrases.LISTING_VERBS
        and {a, b, c} & (phrases.PERSON_NOUNS - {"people", "who", "name", "id"})
        for w, a, b, c in near
    )
    exported = any(
        w in phrases.EXPORT_VERBS
        and {a, b, c} & ({"everyone", "everybody", "every", "all"} | phrases.RAW_NOUNS)
        for w, a, b, c in near
    )
    raw = any(w in phrases.RAW_WORDS and {a, b} & phrases.RAW_NOUNS for w, a, b, _ in near)
    which_people = any(w in ("which", "what") and a in persons for w, a, _, _ in near)
    files = bool(words & phrases.FILE_WORDS) and bool(
        words & (phrases.RAW_NOUNS | phrases.EXPORT_VERBS | {"every", "all"})
    )
    one = "respondent" in words or any(
        len(w) <= 40 and _RESPONDENT_ID.fullmatch(w) and norm(w) not in names for w in lowered
    )
    return (
        who or who_are or who_within or listed or exported or raw or which_people or files
        or one or bool({"names", "emails"} & words)
    )  # fmt: skip


def _refuse_individuals(lowered: list[str], names: dict[str, str]) -> None:
    """Questions about individuals are refused whatever else they ask."""
    if _about_individuals(lowered, names):
        raise RefusedError(
            "I can't show individual respondents or their answers: answers are anonymous, and "
            "every figure I show covers a group large enough that nobody's answer can be "
            "picked out.",
            suggestion="Ask about a group instead, e.g. `gap by region`.",
        )


def _similarity(key: str, name: str) -> float:
    """difflib's ratio, skipped (0) where its cheap upper bounds already rule a typo out."""
    matcher = difflib.SequenceMatcher(None, key, name)
    if matcher.real_quick_ratio() < 0.72 or matcher.quick_ratio() < 0.72:
        return 0.0
    return matcher.ratio()


def _closest(word: str, table: dict[str, str]) -> str | None:
    """The name ``word`` is clearly a typo of: close, and closer than any other name."""
    key = norm(word)
    if not 4 <= len(key) <= MAX_TYPO or key in table:
        return None  # (comparing a very long word with every name would take long)
    scored = sorted(((_similarity(key, k), k) for k in table), reverse=True)
    if not scored or scored[0][0] < 0.8:
        return None
    if (
        len(scored) > 1
        and scored[1][0] > scored[0][0] - 0.08
        and table[scored[1][1]] != table[scored[0][1]]
    ):
        return None
    return table[scored[0][1]]


def _did_you_mean(word: str, known: list[str]) -> str:
    by_key = {norm(k): k for k in known}
    close = difflib.get_close_matches(norm(word), list(by_key), n=2, cutoff=0.6)
    if not close:
        return ""
    return "Did you mean " + " or ".join(f"`{by_key[c]}`" for c in close) + "?"


STRICT_STARTS = frozenset({"gap", "gaps", "themes", "segments", "surveys", "waves", "count"})


def is_strict(tokens: list[str]) -> bool:
    """Text that starts with a word of the grammar ("gap by role") is read strictly."""
    return bool(tokens) and tokens[0].casefold() in STRICT_STARTS


def parse(text: str, vocab: Vocabulary) -> Query:
    """Parse a slash-command text, a mention or a CLI query into a ``Query``."""
    return read(text, vocab).query


def read(text: str, vocab: Vocabulary) -> Reading:
    """Read a slash-command text, a mention or a CLI query: the query and how it was read."""
    tokens = tokenize(text)
    if not tokens:
        return Reading(Query("overview"))
    if len(tokens) > MAX_TOKENS:
        raise QueryError(
            f"That question has {len(tokens):,} words and signs; I read at most {MAX_TOKENS}.",
            suggestion="Ask a shorter question, e.g. `gap role=in-house by region`.",
        )
    return _Parser(tokens, vocab, strict=is_strict(tokens)).run()


def named_survey(text: str, known: Sequence[str] | None = None) -> str | None:
    """The survey a query names (``survey NAME``), read before its vocabulary is known.

    With ``known`` names, only one of them counts: "the last survey in Europe" names none.
    """
    tokens = tokenize(text)
    keys = {norm(name): name for name in known} if known is not None else None
    for i, token in enumerate(tokens[:-1]):
        if token.casefold() != "survey":
            continue
        if keys is None:
            return tokens[i + 1]
        for span in range(min(MAX_SPAN, len(tokens) - i - 1), 0, -1):
            found = keys.get(norm(" ".join(tokens[i + 1 : i + 1 + span])))
            if found is not None:
                return found
    return None


# Words that point back at the thread's last answer.
ANAPHORA = frozenset({"that", "it", "this", "those", "them", "same", "instead", "too", "again"})
FOLLOW_UP_STARTS = frozenset(
    {"and", "also", "now", "same", "then", "ok", "okay", "but", "plus", "only", "just", "vs",
     "versus", "as", "split", "break", "again", "instead", "for", "in", "fine", "right",
     "alright", "cool", "great", "thanks", "so"}
)  # fmt: skip


def is_follow_up(text: str, reading: Reading | None = None) -> bool:
    """Whether ``text``, in a thread, changes the thread's last question rather than asking
    a new one. It does when it starts like a follow-up ("and for X?", "what about X?",
    "now by Y", "same for last wave"), points back ("has *that* improved", "the trend
    *instead*"), names no theme and no group of its own ("which level is most aligned"),
    or is a few words only ("europe?"). It does not when it starts with the grammar
    ("gap …"), restates who it is about ("everyone but X") or compares groups it names
    ("middle managers vs staff")."""
    tokens = [t.casefold() for t in tokenize(text)]
    if not tokens or tokens[0] in STRICT_STARTS:
        return False
    first, second = tokens[0], tokens[1] if len(tokens) > 1 else ""
    if first in phrases.EVERYBODY and (second in phrases.NEGATIONS or second == "but"):
        return False
    if first in ("what", "how") and second in ("about", "if"):
        return True
    if first in FOLLOW_UP_STARTS or set(tokens) & ANAPHORA:
        return True
    if reading is not None and reading.compares:
        return False
    if reading is not None and not (reading.query.theme or reading.query.filters):
        return True
    return len(tokens) <= 3
