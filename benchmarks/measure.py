"""Measuring one survey shape at one size: import, queries by every design, cold start, memory.

``measure`` generates four waves of the shape (the trend needs four), imports each with the
real ``empathy import`` in its own process, and then times each of the shape's queries
(``queries``) answered by ``insights.ask`` with the counts taken by each design:

* ``engine``: this engine, as production runs it;
* ``sql``: ``insights.store.counts.SqlCounts``, a plain SQLite GROUP BY per question;
* ``pandas``: ``benchmarks.baselines.PandasCounts``, the export loaded and grouped per question;
* ``duckdb``: ``benchmarks.duck.DuckDBCounts``, a GROUP BY over the export loaded in DuckDB;
* ``duckdb alone``: DuckDB computing the query's figures in one statement, without the
  engine (the floor the engine is compared with).

Every design but the last gives a whole answer; all of them must give the same one. Slow
designs run at least once and then only while their time budget lasts.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import synth
from benchmarks.baselines import ExportMap, PandasCounts, export_map, swapped_counts
from benchmarks.duck import DuckDBCounts
from benchmarks.slack import FakeSlack, burst, web_process
from insights import Store, UserError, ask
from insights.store.counts import CountSource, SqlCounts

TEAM = "local"
LATEST = 2026


def wave_labels(count: int) -> tuple[str, ...]:
    """The waves' labels, oldest first, ending with the latest (``2023`` … ``2026``)."""
    return tuple(str(LATEST - count + 1 + i) for i in range(count))


POSITIVE = ("Agree", "Strongly agree")
DESIGNS = ("engine", "sql", "pandas", "duckdb", "duckdb alone")
E2E_QUERY = "gap by role"


@dataclass(frozen=True)
class Query:
    """A question as typed, and what it reads: filters (segment, value), the breakdown's
    segment, and how many of the latest waves."""

    text: str
    filters: tuple[tuple[str, str], ...] = ()
    by: str | None = None
    waves: int = 1


def queries(shape: synth.Shape, waves: tuple[str, ...]) -> list[Query]:
    """The shape's questions: the whole wave, two filters and a breakdown by a third, the
    breakdown by the widest segment (when it has one of hundreds of values), a comparison
    with the previous wave and the trend over all of them."""
    found = [Query("gap")]
    two, by = (("role", "in-house"), ("seniority", "senior leader")), "region"
    if "department" in shape.segments:
        two, by = (("role", "in-house"), ("region", "europe")), "department"
    typed = " ".join(f"{segment}={value}" for segment, value in two)
    found.append(Query(f"gap {typed} by {by}", two, by))
    if "manager" in shape.segments:
        found.append(Query("gap by manager", by="manager"))
    found.append(Query(f"gap vs {waves[-2]}", waves=2))
    found.append(Query("gap trend", waves=len(waves)))
    return found


@dataclass(frozen=True)
class Options:
    runs: int = 50
    waves: int = 4  # the trend is over all of them
    engine_budget: float = 120.0  # seconds per query for this engine
    baseline_budget: float = 8.0  # seconds per query for each baseline
    warmup: int = 3  # untimed runs per query first: this engine's
    baseline_warmup: int = 1  # each baseline's (its first run pays for one-off work)
    e2e: bool = False  # the end-to-end burst (slow: the narrow shape only)
    bursts: int = 3
    concurrency: int = 50
    workers: int = 2
    keep: bool = False


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.seconds, 99) * 1000


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 50 runs is the slowest run)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class ColdStart:
    """A fresh process: its imports, opening the store, its first answer, and its RSS after
    answering about the latest two waves."""

    imports_seconds: float
    open_seconds: float
    first_answer_seconds: float
    rss_mb: float


@dataclass
class Result:
    shape: str
    respondents: int
    segments: int
    questions: int
    queries: list[Query] = field(default_factory=list)
    import_seconds: float = 0.0  # the latest wave's
    import_rss_mb: float = 0.0  # the peak over every wave's import
    duckdb_load_seconds: float = 0.0  # the latest wave's
    timings: dict[str, dict[str, Timing]] = field(default_factory=dict)  # design → query
    replies: dict[str, str] = field(default_factory=dict)  # query → this engine's answer
    agree: dict[str, bool] = field(default_factory=dict)  # query → every design agreed
    cold: ColdStart | None = None
    acks: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def measure(
    name: str, respondents: int, options: Options, workdir: Path, say: Callable[[str], None]
) -> Result:
    """Every figure of one shape at one size (see the module's docstring)."""
    shape = synth.SHAPES[name]
    labels = wave_labels(options.waves)
    result = Result(name, respondents, len(shape.segments), shape.questions)
    result.queries = queries(shape, labels)
    directory = workdir / f"{name}-{respondents}"
    tag = f"[{name} {respondents:,}]"
    say(f"{tag} generating {len(labels)} waves")
    codebook, exports = synth.write_survey(directory, respondents, len(labels), shape)
    database = directory / "empathy.db"
    for label, export in zip(labels, exports, strict=True):
        seconds, rss = run_import(database, codebook, export, label, directory / "import.log")
        say(f"{tag} empathy import {export.name} (wave {label}): {seconds:.1f} s, {rss:,.0f} MB")
        result.import_seconds = seconds
        result.import_rss_mb = max(result.import_rss_mb, rss)
    say(f"{tag} cold start in a fresh process")
    result.cold = cold_start(database, ["gap", f"gap vs {labels[-2]}"])
    say(f"{tag} first answer {result.cold.first_answer_seconds * 1000:,.0f} ms")
    store = Store.open(database)
    try:
        say(f"{tag} this engine, {options.runs} runs per query")
        result.replies = time_designs(store, result, "engine", None, options, options.warmup)
        if options.e2e:
            say(f"{tag} end to end: {options.bursts} bursts of {options.concurrency} requests")
            e2e(database, directory, options, result)
        mapping = export_map(store, dict(zip(labels, exports, strict=True)), POSITIVE)
        say(f"{tag} baselines (budget {options.baseline_budget:g} s per query each)")
        time_baselines(store, result, mapping, options)
    finally:
        store.close()
    if not options.keep:
        shutil.rmtree(directory, ignore_errors=True)
    return result


def time_baselines(store: Store, result: Result, mapping: ExportMap, options: Options) -> None:
    """Plain SQLite, pandas and DuckDB (as a count source and alone), each checked against
    this engine's answers (``result.replies``)."""
    warmup = options.baseline_warmup
    for design, factory in (("sql", SqlCounts), ("pandas", lambda _: PandasCounts(mapping))):
        compare(result, time_designs(store, result, design, factory, options, warmup))
    duck = DuckDBCounts(mapping, POSITIVE)
    try:
        ids = list(mapping.waves)  # oldest first
        result.duckdb_load_seconds = duck.load_seconds[ids[-1]]
        compare(result, time_designs(store, result, "duckdb", lambda _: duck, options, warmup))
        result.timings["duckdb alone"] = {
            q.text: time_calls(
                _figuring(duck, ids[-q.waves :], q), options.runs, options.baseline_budget, warmup
            )
            for q in result.queries
        }
    finally:
        duck.close()


def _figuring(duck: DuckDBCounts, wave_ids: list[int], query: Query) -> Callable[[], object]:
    return lambda: duck.figures(wave_ids, dict(query.filters), query.by)


def compare(result: Result, answers: dict[str, str]) -> None:
    """Notes, per query, whether ``answers`` are this engine's, word for word."""
    for text, answer in answers.items():
        result.agree[text] = result.agree.get(text, True) and answer == result.replies[text]


def time_calls(call: Callable[[], object], runs: int, budget: float, warmup: int = 0) -> Timing:
    """``call`` timed ``runs`` times after ``warmup`` untimed runs, or fewer while ``budget``
    seconds (warm-up included) last. It is timed at least once: when the budget runs out
    during the warm-up, the last warm-up run is the timing (a slow baseline at a million
    respondents is not run twice just to be warm)."""
    begun = time.perf_counter()
    for _ in range(warmup):
        started = time.perf_counter()
        call()
        if time.perf_counter() - begun > budget:
            return Timing([time.perf_counter() - started])
    timing = Timing()
    while len(timing.seconds) < runs:
        started = time.perf_counter()
        call()
        timing.seconds.append(time.perf_counter() - started)
        if time.perf_counter() - begun > budget:
            break
    return timing


def time_designs(
    store: Store,
    result: Result,
    design: str,
    factory: Callable[[Store], CountSource] | None,
    options: Options,
    warmup: int,
) -> dict[str, str]:
    """Times every query of ``result`` answered by ``insights.ask`` with ``factory``'s
    counts (None: the engine's own); returns each query's (last) answer text."""
    answers: dict[str, str] = {}
    timings = result.timings.setdefault(design, {})
    budget = options.engine_budget if factory is None else options.baseline_budget
    with swapped_counts(factory):
        for query in result.queries:
            replies: list[str] = []
            call = _asking(store, query.text, replies)
            timings[query.text] = time_calls(call, options.runs, budget, warmup)
            answers[query.text] = replies[-1]
    return answers


def _asking(store: Store, text: str, replies: list[str]) -> Callable[[], None]:
    def call() -> None:
        replies.append(answer_text(store, text))

    return call


def answer_text(store: Store, text: str) -> str:
    """What the person asking would read: the answer, or why it is refused (a privacy
    rule hides a small group, for instance), which every design must agree on too."""
    try:
        return ask(store, TEAM, text).text
    except UserError as refused:
        return f"refused: {refused}"


def run_import(
    database: Path, codebook: Path, export: Path, wave: str, log: Path
) -> tuple[float, float]:
    """``empathy import`` in its own process: wall seconds and peak RSS (MB)."""
    empathy = Path(sys.executable).parent / "empathy"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(DATABASE_PATH=str(database), DEFAULT_TEAM_ID=TEAM)
    command = [str(empathy), "import", str(export), "--codebook", str(codebook)]
    command += ["--survey", synth.SURVEY, "--wave", wave, "--team", TEAM]
    peak = log.with_suffix(".peak")
    with log.open("ab") as sink:
        started = time.perf_counter()
        process = subprocess.run(
            [sys.executable, "-c", _OWN_PEAK, str(peak), *command],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            check=False,
        )
        seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"empathy import failed:\n{log.read_text(errors='replace')}")
    return seconds, int(peak.read_text()) / 1024  # Linux reports kilobytes


# Linux carries a parent's peak RSS over to a child it starts, so this process (holding a
# million generated rows) would inflate the import's figure. A small process in between
# starts the import and writes down the import's own peak (argv: peak file, command...).
_OWN_PEAK = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def cold_start(database: Path, texts: list[str]) -> ColdStart:
    """A fresh Python process opens the store and answers ``texts`` in turn; its own clocks
    time the imports, the opening, and the first answer alone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    command = [sys.executable, "-c", _COLD_START, str(database), TEAM, *texts]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"cold start failed:\n{done.stderr}")
    return ColdStart(**json.loads(done.stdout.strip().splitlines()[-1]))


# argv: database, team, texts... Prints one JSON line. VmRSS is the resident memory now
# (not the peak), which is what a worker keeps while it goes on answering.
_COLD_START = """
import json, sys, time
begun = time.perf_counter()
from pathlib import Path
from insights import Store, UserError, ask
imported = time.perf_counter()
store = Store.open(Path(sys.argv[1]))
opened = time.perf_counter()
for text in sys.argv[3:]:
    try:
        ask(store, sys.argv[2], text)
    except UserError:  # refused (a small group hidden): the work was done all the same
        pass
    if text == sys.argv[3]:
        answered = time.perf_counter()
status = open("/proc/self/status").read().split("VmRSS:")[1].split()[0]
print(json.dumps({
    "imports_seconds": imported - begun,
    "open_seconds": opened - imported,
    "first_answer_seconds": answered - opened,
    "rss_mb": int(status) / 1024,
}))
"""


def e2e(database: Path, directory: Path, options: Options, result: Result) -> None:
    fake = FakeSlack()
    try:
        with web_process(database, fake, directory, options.workers) as (url, _log):
            burst(url, fake, E2E_QUERY, options.concurrency, "warmup")  # threads, stores
            for i in range(options.bursts):
                measured = burst(url, fake, E2E_QUERY, options.concurrency, f"b{i}")
                result.acks += measured.acks
                result.answers += measured.answers
                result.errors += measured.errors
    finally:
        fake.close()
