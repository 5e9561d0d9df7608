"""An optional language model that only *reads* a question the rules could not read.

When the rule-based interpreter (:mod:`insights.answers.query`) gives up on a question in plain
words, :func:`insights.answers.reply.ask` may hand it to a :class:`QuestionReader`, which asks an
OpenAI-compatible chat-completions endpoint (a hosted one, or a local server such as
Ollama, vLLM or llama.cpp) to rewrite it as ONE strict query (``gap by region``). The
reply is only a candidate: ``ask`` parses it with the strict grammar against the team's
catalogue and discards anything else, and every number of the answer still comes from the
engine.

Invariants:

* **What is sent is names, never figures.** A prompt is built by :func:`prompt_messages`
  from the person's question (Slack references to people and places removed), the
  thread's last strict query, and :class:`CatalogueNames`: theme names and their
  questions' texts, segment names and their values, wave labels, survey names. Nothing
  else of the catalogue goes in (not a wave's respondent count, nor how many chose a
  missing label), and no answer, count, percentage, gap or test result of the survey is
  ever read here: this module imports no engine, counts or store.
* **Any failure is "no reading".** A timeout, an HTTP error, a refused connection, a
  malformed response, an empty, multi-line or over-long reply, or ``NONE`` all make
  :meth:`ModelReader.__call__` return None, so the person gets the usual "not understood"
  reply. Nothing is raised to the caller.
* **A time budget bounds the wait.** The whole call (connecting, sending, the model's
  thinking and the reply) is given ``timeout_seconds`` of wall-clock time; past it the
  caller stops waiting and the request is abandoned (its own client timeout ends it).
* **The API key is never logged**: warnings name the kind of failure only.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Protocol

from insights.answers.catalog import Catalog
from insights.answers.query import tokenize

logger = logging.getLogger(__name__)

# The misses log's reason for a question the rules missed and the model read: admins see
# what the rules should learn next (``/empathy misses``).
MODEL_READ = "read by the language model"

DEFAULT_TIMEOUT_SECONDS = 4.0
# A strict query is a few words; a longer reply is not one, and reading it costs time.
MAX_REPLY_CHARS = 200
MAX_REPLY_TOKENS = 60
# What of a question and of the catalogue is sent: enough to read any real question,
# bounded so that a wide survey's catalogue does not make every prompt huge.
MAX_QUESTION_CHARS = 300
MAX_VALUES_PER_SEGMENT = 40
MAX_QUESTION_TEXT_CHARS = 160
# Simultaneous requests per reader; beyond them a question waits within its own budget.
MAX_PARALLEL_REQUESTS = 4
NO_READING = "NONE"

# Slack's references to people and places (<@U1|name>, <#C1>, <!here>): who, not what.
_SLACK_REFERENCE = re.compile(r"<[@#!][^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class ThemeNames:
    name: str
    questions: tuple[str, ...]  # the texts of its questions, as the codebook words them


@dataclass(frozen=True)
class SegmentNames:
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class CatalogueNames:
    """The only part of a survey a language model is shown: names and wording."""

    survey: str
    themes: tuple[ThemeNames, ...]
    segments: tuple[SegmentNames, ...]
    waves: tuple[str, ...]  # oldest first
    other_surveys: tuple[str, ...] = ()

    @classmethod
    def of(cls, catalog: Catalog) -> CatalogueNames:
        """The names of ``catalog``; its waves' sizes and missing-label counts stay out."""
        return cls(
            survey=catalog.survey.name,
            themes=tuple(
                ThemeNames(t.name, tuple(q.text for q in t.questions)) for t in catalog.themes
            ),
            segments=tuple(SegmentNames(s.name, s.values) for s in catalog.segments),
            waves=tuple(w.label for w in catalog.waves),
            other_surveys=tuple(s.name for s in catalog.other_surveys),
        )

    def all_names(self) -> list[str]:
        """Every name, for checking that a reply uses nothing else."""
        names = [self.survey, *self.waves, *self.other_surveys]
        for theme in self.themes:
            names.append(theme.name)
        for segment in self.segments:
            names += [segment.name, *segment.values]
        return names


class QuestionReader(Protocol):
    """Reads ``question`` (after a thread's ``previous`` strict query) as one candidate
    strict query, or None. It sees only ``names``; its reply is validated by the caller."""

    def __call__(
        self, question: str, previous: str | None, names: CatalogueNames
    ) -> str | None: ...


GRAMMAR = """\
You turn a question about an employee survey into ONE query of this grammar:

gap [THEME] [by SEGMENT [widest|narrowest] [top N]] [SEGMENT=VALUE[,VALUE]] \
[SEGMENT!=VALUE[,VALUE]] [wave LABEL] [vs LABEL] [trend]
count [SEGMENT=VALUE] [wave LABEL]

- gap: the distance between what people personally believe and what they say their
  organization believes; with THEME, one theme only.
- by SEGMENT: one result per value of the segment; widest/narrowest ranks them.
- SEGMENT=VALUE keeps a group; SEGMENT!=VALUE keeps everyone else.
- wave LABEL: one wave; vs LABEL: the change since that wave; trend: every wave.
- count: how many people a group has.
- Put a name of more than one word in double quotes: "business value".
- Use only the names listed below, spelled as listed.

Reply with the query alone, on one line, with no explanation. If the question is not
about this survey, asks about individual people or their answers, or asks you to do
anything else, reply NONE."""


def prompt_messages(
    question: str, previous: str | None, names: CatalogueNames
) -> list[dict[str, str]]:
    """The chat messages sent for ``question``: the grammar and the catalogue's names as the
    system message, the question (and the thread's last query) as the user message.
    Built from names only (see the module's invariants)."""
    system = f"{GRAMMAR}\n\n{_described(names)}"
    asked = " ".join(_SLACK_REFERENCE.sub(" ", question).split())[:MAX_QUESTION_CHARS]
    user = f"Question: {asked}"
    if previous:
        user = f"The previous query in this conversation: {previous}\n{user}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _described(names: CatalogueNames) -> str:
    lines = [f"Survey: {names.survey}", "Themes (and the questions behind them):"]
    for theme in names.themes:
        texts = "; ".join(_clipped(t) for t in theme.questions if t and t != theme.name)
        lines.append(f"- {theme.name}" + (f" ({texts})" if texts else ""))
    lines.append("Segments and their values:")
    for segment in names.segments:
        shown = segment.values[:MAX_VALUES_PER_SEGMENT]
        more = ", …" if len(segment.values) > len(shown) else ""
        lines.append(f"- {segment.name}: {', '.join(shown)}{more}")
    lines.append(f"Waves, oldest first: {', '.join(names.waves)}")
    if names.other_surveys:
        lines.append(f"Other surveys: {', '.join(names.other_surveys)}")
    return "\n".join(lines)


def _clipped(text: str) -> str:
    text = " ".join(text.split())
    return (
        text if len(text) <= MAX_QUESTION_TEXT_CHARS else text[: MAX_QUESTION_TEXT_CHARS - 1] + "…"
    )


def candidate_of(reply: str | None) -> str | None:
    """The one line a reply offers as a query, or None: empty, NONE, several lines, too
    long or holding control characters. Code fences and backticks around it are removed;
    whether it is a valid query is for the strict parser to say."""
    if not reply:
        return None
    text = reply.strip().strip("`").strip()
    if text.casefold().startswith("text\n"):  # a fence's language tag
        text = text[5:].strip()
    if not text or "\n" in text or len(text) > MAX_REPLY_CHARS or _CONTROL.search(text):
        return None
    if text.upper().rstrip(".") == NO_READING:
        return None
    return text


# The strict grammar's own words; every other word of a reply must be part of a name.
_GRAMMAR_WORDS = frozenset(
    {"gap", "gaps", "count", "by", "vs", "versus", "wave", "survey", "trend", "widest",
     "narrowest", "top", "=", "!=", ","}
)  # fmt: skip


def uses_only_the_grammar(candidate: str, names: Sequence[str]) -> bool:
    """Whether every word of ``candidate`` is a word of the grammar, a number after
    ``top``, or (a word of) one of ``names``: a reply with anything else ("gap for all
    respondents please") is not a strict query, even where the parser would read past it."""
    known: set[str] = set()
    for name in names:
        known.add(_key(name))
        known.update(_key(word) for word in re.split(r"[^0-9A-Za-z]+", name) if word)
    tokens = tokenize(candidate)
    for i, token in enumerate(tokens):
        lowered = token.casefold()
        if lowered in _GRAMMAR_WORDS or _key(token) in known:
            continue
        if token.isdigit() and i > 0 and tokens[i - 1].casefold() == "top":
            continue
        return False
    return bool(tokens)


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


class ModelReader:
    """A :class:`QuestionReader` over an OpenAI-compatible chat-completions endpoint.

    ``base_url`` is the API's root (``https://api.openai.com/v1``,
    ``http://localhost:11434/v1`` for Ollama); ``api_key`` may be None for a local server
    that needs none. Built once per process; safe to call from several threads.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        from openai import OpenAI  # loaded only when a model is configured

        self.model = model
        self.timeout_seconds = timeout_seconds
        # No retries: a retry would not fit in the budget, and the rules' reply is waiting.
        # A placeholder key, because the client insists on one; local servers ignore it.
        self._client = OpenAI(
            base_url=base_url,
            api_key=api_key or "no-key",
            timeout=timeout_seconds,
            max_retries=0,
        )
        self._pool = ThreadPoolExecutor(MAX_PARALLEL_REQUESTS, thread_name_prefix="model-reader")

    def __call__(self, question: str, previous: str | None, names: CatalogueNames) -> str | None:
        started = time.monotonic()
        messages = prompt_messages(question, previous, names)
        future: Future[str | None] = self._pool.submit(self._complete, messages)
        try:
            reply = future.result(timeout=self.timeout_seconds)
        except FutureTimeout:
            future.cancel()
            logger.warning(
                "The language model did not answer within %.1f s; the question is not read",
                self.timeout_seconds,
            )
            return None
        except Exception as error:  # any failure of the call is "no reading"
            logger.warning("The language model could not be asked: %s", _kind(error))
            return None
        candidate = candidate_of(reply)
        logger.info(
            "The language model replied in %.2f s%s",
            time.monotonic() - started,
            "" if candidate else " with no query",
        )
        return candidate

    def _complete(self, messages: list[dict[str, str]]) -> str | None:
        response: Any = self._client.chat.completions.create(
            model=self.model,
            messages=messages,  # type: ignore[arg-type]
            temperature=0,
            max_tokens=MAX_REPLY_TOKENS,
        )
        choices = getattr(response, "choices", None)
        if not choices:
            return None
        content = choices[0].message.content
        return content if isinstance(content, str) else None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._client.close()


def _kind(error: BaseException) -> str:
    """What went wrong, without the request's details (its headers hold the API key)."""
    status = getattr(error, "status_code", None)
    return f"{type(error).__name__}" + (f" (HTTP {status})" if status else "")
