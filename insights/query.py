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
from dataclasses import dataclass, field, replace
from typing import Literal

from insights.catalog import Catalog
from insights.errors import QueryError
from insights.findings import Except

Command = Literal["gap", "themes", "segments", "surveys", "waves", "help", "overview", "count"]
Rank = Literal["widest", "narrowest"]
# Commands that are not questions about the data: each edge routes them to what acts
# (subscriptions, imports, deletions, the audit log, the misses log), wherever they are typed.
ACTIONS = frozenset(
    {"subscribe", "unsubscribe", "subscriptions", "import", "forget", "audit", "misses"}
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
    would you your
    """.split()  # noqa: SIM905 - a word list reads better as text
)
HELP_HINT = "Type `help` for what I understand."


def action_of(text: str) -> str | None:
    """The action a text asks for (``subscribe``, ``forget``, …), or None for a question.

    Only the first word decides, so that a question that merely mentions a word ("who can
    import?") is still a question; every edge routes by this one function."""
    tokens = tokenize(text)
    first = tokens[0].casefold() if tokens else ""
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
        if self.trend:
            parts.append("trend")
        return " ".join(parts)

    def with_filter(self, segment: str, values: tuple[str, ...]) -> Query:
        kept = tuple((s, v) for s, v in self.filters if s != segment)
        return replace(self, filters=(*kept, (segment, values)))

    def followed_by(self, new: Query) -> Query:
        """A follow-up in a thread: the new query's parts replace the previous one's."""
        if new.command not in ("gap", "overview"):
            return new
        merged = replace(self, command="gap", filters=() if new.clear_filters else self.filters)
        for segment, values in new.filters:
            merged = merged.with_filter(segment, values)
        # A breakdown, a comparison and a trend are different views: the newest one asked wins.
        view_changed = bool(new.by or new.versus or new.trend)
        return replace(
            merged,
            theme=new.theme or merged.theme,
            by=new.by or (None if view_changed else merged.by),
            survey=new.survey or merged.survey,
            wave=new.wave or merged.wave,
            versus=new.versus or (None if view_changed else merged.versus),
            trend=new.trend or (merged.trend and not view_changed),
            rank=new.rank or (merged.rank if not new.by or new.by == merged.by else None),
            top=new.top or (merged.top if not new.by or new.by == merged.by else None),
            chart=new.chart,
        )


def _q(text: str) -> str:
    return text if re.fullmatch(r"[\w\-.&'/]+", text) else f'"{text}"'


_TOKEN = re.compile(r'"[^"]*"|\'[^\']*\'|!=|≠|=|:|,|[^\s=:,"?!≠;()]+')


def tokenize(text: str) -> list[str]:
    text = text.strip()
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
    waves: dict[str, str]
    surveys: dict[str, str]

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> Vocabulary:
        surveys = [catalog.survey, *catalog.other_surveys]
        return cls(
            themes={norm(t.name): t.name for t in catalog.themes},
            segments={norm(s.name): s.name for s in catalog.segments},
            values={s.name: {norm(v): v for v in s.values} for s in catalog.segments},
            waves={norm(w.label): w.label for w in catalog.waves},
            surveys={norm(s.name): s.name for s in surveys},
        )

    def lookup(self, table: dict[str, str], words: list[str]) -> str | None:
        key = norm(" ".join(words))
        if not key:
            return None
        return table.get(key) or table.get(_singular(key))

    def value_owner(self, words: list[str]) -> list[tuple[str, str]]:
        found = []
        for segment, values in self.values.items():
            value = self.lookup(values, words)
            if value is not None:
                found.append((segment, value))
        return found

    def everything(self) -> dict[str, str]:
        names = {**self.themes, **self.segments, **self.waves, **self.surveys}
        for values in self.values.values():
            names.update(values)
        names.update({k: k for k in COMMANDS})
        return names


MAX_SPAN = 4
# Every segment, value and keyword of a real question fits many times over; a longer text
# is not a question, and parsing it would only hold a thread that answers questions.
MAX_TOKENS = 400


class _Parser:
    def __init__(self, tokens: list[str], vocab: Vocabulary, strict: bool) -> None:
        self.tokens = tokens
        self.vocab = vocab
        self.strict = strict
        self.pos = 0
        self.query = Query()
        self.unknown: list[str] = []
        self.recognised = False

    def run(self) -> Query:
        while self.pos < len(self.tokens):
            self.step()
        if self.unknown:
            self.fail_unknown()
        if self.query.trend and (self.query.by or self.query.versus):
            raise QueryError(
                "A trend follows one group across waves, so it can't be combined with "
                f"{'a breakdown' if self.query.by else 'a comparison'}.",
                suggestion="Filter instead, e.g. `gap role=in-house trend`.",
            )
        return self.query

    def word(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.tokens[i].casefold() if i < len(self.tokens) else ""

    def take_name(self, table: dict[str, str]) -> str | None:
        """Longest run of tokens (up to MAX_SPAN) that names something in ``table``."""
        for span in range(min(MAX_SPAN, len(self.tokens) - self.pos), 0, -1):
            words = self.tokens[self.pos : self.pos + span]
            if any(w in ("=", ":", ",", "!=", "≠") for w in words):
                continue
            found = self.vocab.lookup(table, words)
            if found is not None:
                self.pos += span
                return found
        return None

    def take_values(self, segment: str) -> tuple[str, ...]:
        values = []
        while True:
            value = self.take_name(self.vocab.values[segment])
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

    def question_command(self) -> Command:
        """What a filter or name makes of the command: a count stays a count."""
        return "count" if self.query.command == "count" else "gap"

    def set(self, **changes: object) -> None:
        self.query = replace(self.query, **changes)  # type: ignore[arg-type]
        self.recognised = True

    def step(self) -> None:
        word = self.word()
        if self.pos == 0 and word in COMMANDS and COMMANDS[word] != "overview":
            self.pos += 1
            self.set(command=COMMANDS[word])
            return
        for handler in (self.keyword_clause, self.filter_clause, self.name_clause):
            if handler():
                return
        if word in COMMANDS:
            if COMMANDS[word] == "gap" or self.query.command in ("gap", "overview"):
                self.set(command=COMMANDS[word] if COMMANDS[word] != "overview" else "gap")
            self.pos += 1
            return
        if word in FILLER or word in ",:=":
            self.pos += 1
            return
        self.unknown.append(self.tokens[self.pos])
        self.pos += 1

    def keyword_clause(self) -> bool:
        word = self.word()
        if word in BREAKDOWN_WORDS:
            self.pos += 1
            segment = self.take_name(self.vocab.segments)
            if segment is None:
                if word in ("by", "per"):
                    self.fail_expected("a segment", list(self.vocab.segments.values()))
                return True
            self.set(by=segment, command="gap")
            return True
        if word in VERSUS_WORDS:
            self.pos += 1
            while self.word() in ("to", "with", "wave", "the"):
                self.pos += 1
            wave = self.take_name(self.vocab.waves)
            if wave is None:
                if word in ("vs", "versus", "since"):
                    self.fail_expected("a wave", list(self.vocab.waves.values()))
                return True
            self.set(versus=wave, command="gap")
            return True
        if word in WAVE_WORDS and self.word(1):
            self.pos += 1
            wave = self.take_name(self.vocab.waves)
            if wave is not None:
                self.set(wave=wave)
                return True
            if word == "wave" and self.query.command != "waves":
                self.fail_expected("a wave", list(self.vocab.waves.values()))
            self.pos -= 1
            return False
        if word in SURVEY_WORDS and self.word(1):
            self.pos += 1
            survey = self.take_name(self.vocab.surveys)
            if survey is None:
                self.fail_expected("a survey", list(self.vocab.surveys.values()))
            self.set(survey=survey)
            return True
        if word in TREND_WORDS or (word == "over" and self.word(1) == "time"):
            self.pos += 2 if word == "over" else 1
            self.set(trend=True, command="gap")
            return True
        if word in CHART_WORDS:
            self.pos += 1
            self.set(chart=True)
            return True
        if word in RANKS:
            self.pos += 1
            self.set(rank=RANKS[word], command="gap")
            return True
        if word == "top" and self.word(1).isdigit():
            self.pos += 2
            self.set(top=max(1, min(int(self.word(-1)), 99)), command="gap")
            if self.query.rank is None:
                self.set(rank="widest")
            return True
        if word in CLEAR_WORDS:
            self.pos += 1
            self.query = replace(self.query, filters=(), clear_filters=True)
            self.recognised = True
            return True
        return False

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

    def name_clause(self) -> bool:
        """A bare theme, value, segment (a breakdown) or wave label."""
        theme = self.take_name(self.vocab.themes)
        if theme is not None:
            self.set(theme=theme, command=self.question_command())
            return True
        for span in range(min(MAX_SPAN, len(self.tokens) - self.pos), 0, -1):
            words = self.tokens[self.pos : self.pos + span]
            owners = self.vocab.value_owner(words)
            if len(owners) > 1:
                choices = " or ".join(f"`{seg}={value}`" for seg, value in owners)
                raise QueryError(
                    f"{' '.join(words)!r} is a value of more than one segment.",
                    suggestion=f"Say which: {choices}.",
                )
            if owners:
                segment, value = owners[0]
                self.pos += span
                previous = dict(self.query.filters).get(segment, ())
                merged = (*previous, value) if value not in previous else previous
                self.set(command=self.question_command())
                self.query = self.query.with_filter(segment, merged)
                return True
        breakdown = self.take_name(self.vocab.segments)
        if breakdown is not None:
            self.set(by=breakdown, command="gap")
            return True
        wave = self.take_name(self.vocab.waves)
        if wave is not None:
            self.set(wave=wave)
            return True
        return self.typo_clause()

    def typo_clause(self) -> bool:
        """A near miss of a name resolves to it ('consultnats' → 'consultant')."""
        word = self.tokens[self.pos]
        if len(norm(word)) < 4 or word.casefold() in FILLER:
            return False
        names = self.vocab.everything()
        close = difflib.get_close_matches(norm(word), list(names), n=1, cutoff=0.84)
        # Only rewrite the word into a name this clause can place: rewriting into a command
        # or survey name would misquote the word in the error, and a name that is already
        # exact would recurse forever ('gap empathy-in-action').
        if not close or close[0] in COMMANDS or close[0] in self.vocab.surveys:
            return False
        if close[0] == norm(word):
            return False
        self.tokens[self.pos] = names[close[0]]
        return self.name_clause()

    def fail_expected(self, what: str, known: list[str]) -> None:
        got = self.word() or "nothing"
        raise QueryError(
            f"I expected {what} after {self.tokens[self.pos - 1]!r} but found {got!r}.",
            suggestion=(_did_you_mean(got, known) + f" Known: {', '.join(known)}.").strip(),
        )

    def fail_unknown(self) -> None:
        names = list(self.vocab.everything().values())
        if not self.strict:
            close = [w for w in self.unknown if _did_you_mean(w, names)]
            if not close and self.recognised:
                return
            if not close:
                said = " ".join(self.tokens)
                said = said if len(said) <= 60 else said[:59] + "…"
                raise QueryError(
                    f"I couldn't find a theme, segment or wave in “{said}”.",
                    suggestion="Try `gap`, `gap by role` or `help`.",
                )
            self.unknown = close
        word = self.unknown[0]
        survey = self.vocab.surveys.get(norm(word))
        if survey is not None:
            raise QueryError(
                f"{word!r} is a survey.", suggestion=f"Ask with `gap survey {_q(survey)}`."
            )
        hint = _did_you_mean(word, names)
        raise QueryError(f"I don't know {word!r}.", suggestion=f"{hint} {HELP_HINT}".strip())


def _did_you_mean(word: str, known: list[str]) -> str:
    by_key = {norm(k): k for k in known}
    close = difflib.get_close_matches(norm(word), list(by_key), n=2, cutoff=0.6)
    if not close:
        return ""
    return "Did you mean " + " or ".join(f"`{by_key[c]}`" for c in close) + "?"


def is_strict(tokens: list[str]) -> bool:
    return bool(tokens) and tokens[0].casefold() in COMMANDS


def parse(text: str, vocab: Vocabulary) -> Query:
    """Parse a slash-command text, a mention or a CLI query into a ``Query``."""
    tokens = tokenize(text)
    if not tokens:
        return Query("overview")
    if len(tokens) > MAX_TOKENS:
        raise QueryError(
            f"That question has {len(tokens):,} words and signs; I read at most {MAX_TOKENS}.",
            suggestion="Ask a shorter question, e.g. `gap role=in-house by region`.",
        )
    return _Parser(tokens, vocab, strict=is_strict(tokens)).run()


def named_survey(text: str) -> str | None:
    """The survey a query names, read before the survey's vocabulary is known."""
    tokens = tokenize(text)
    for i, token in enumerate(tokens[:-1]):
        if token.casefold() == "survey":
            return tokens[i + 1]
    return None
