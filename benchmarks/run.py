"""``python -m benchmarks`` (or ``make benchmark``): how Empathy Gap scales, with baselines.

For each size N it generates a synthetic survey (two waves of N respondents each, 12
questions, 3 segment columns) as CSV exports, imports both with the real ``empathy import``,
then measures and prints one table:

* import: respondents per second and the import process's peak memory (RSS);
* query latency, median and p99, of four queries answered by ``insights.ask`` (the code the
  slash command runs) with the per-wave aggregates, and beside them the same queries with
  the counts taken by a plain SQLite GROUP BY scan and by a naive pandas load-then-group;
* end to end: bursts of concurrent signed ``/empathy gap by role`` requests against the
  Procfile's web process, with a fake Slack on loopback: ack latency and time until the
  answer reached its response_url.

Baselines are slow at a million respondents, so they run at least once and then only while
their time budget (``--baseline-budget``) lasts; the table says how many runs each got.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from benchmarks import synth
from benchmarks.baselines import PandasCounts, export_map, swapped_counts
from benchmarks.slack import FakeSlack, burst, web_process
from insights import Store, ask
from insights.counts import CountSource, SqlCounts

TEAM = "local"
WAVES = ("2025", "2026")  # oldest first; queries ask about the latest


def queries(previous: str) -> list[tuple[str, str]]:
    return [
        ("gap", "gap"),
        ("gap by role", "gap by role"),
        ("gap role=X seniority=Y by region", "gap role=in-house seniority=senior leader by region"),
        ("gap vs PREVIOUS_WAVE", f"gap vs {previous}"),
    ]


# Targets at 1M respondents on 2 cores (issue 7).
QUERY_MEDIAN_MS, QUERY_P99_MS = 25.0, 100.0
ACK_P99_MS, ANSWER_P99_MS = 300.0, 1000.0
IMPORT_SECONDS, IMPORT_RSS_MB = 30.0, 1536.0


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


@dataclass
class SizeResult:
    respondents: int
    import_seconds: list[float] = field(default_factory=list)
    import_rss_mb: list[float] = field(default_factory=list)
    queries: dict[str, dict[str, Timing]] = field(default_factory=dict)
    agree: dict[str, bool] = field(default_factory=dict)
    acks: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


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


def time_queries(
    store: Store,
    texts: list[tuple[str, str]],
    factory: Callable[[Store], CountSource] | None,
    runs: int,
    budget: float | None,
    warmup: int,
) -> tuple[dict[str, Timing], dict[str, str]]:
    """Each query ``runs`` times (after ``warmup``), or while ``budget`` seconds last (>= 1)."""
    timings, answers = {}, {}
    with swapped_counts(factory):
        for name, text in texts:
            for _ in range(warmup):
                ask(store, TEAM, text)
            timing = Timing()
            begun = time.perf_counter()
            while len(timing.seconds) < runs:
                started = time.perf_counter()
                reply = ask(store, TEAM, text)
                timing.seconds.append(time.perf_counter() - started)
                if budget is not None and time.perf_counter() - begun > budget:
                    break
            timings[name], answers[name] = timing, reply.text
    return timings, answers


def measure_size(respondents: int, args: argparse.Namespace, workdir: Path) -> SizeResult:
    result = SizeResult(respondents)
    directory = workdir / f"n{respondents}"
    say(f"[{respondents:,}] generating two waves of {respondents:,} respondents")
    codebook, exports = synth.write_survey(directory, respondents, waves=len(WAVES))
    database = directory / "empathy.db"
    for label, export in zip(WAVES, exports, strict=True):
        say(f"[{respondents:,}] empathy import {export.name} (wave {label})")
        seconds, rss = run_import(database, codebook, export, label, directory / "import.log")
        result.import_seconds.append(seconds)
        result.import_rss_mb.append(rss)

    texts = queries(WAVES[-2])
    store = Store.open(database)
    say(f"[{respondents:,}] queries through insights.ask, {args.runs} runs each")
    fast, reference = time_queries(store, texts, None, args.runs, None, warmup=3)
    result.queries["fast"] = fast

    say(f"[{respondents:,}] end to end: {args.bursts} bursts of {args.concurrency} requests")
    e2e(database, directory, args, result)

    exports_by_label = dict(zip(WAVES, exports, strict=True))
    mapping = export_map(store, exports_by_label, ["Agree", "Strongly agree"])
    baselines: dict[str, Callable[[Store], CountSource]] = {
        "sql": SqlCounts,
        "pandas": lambda _store: PandasCounts(mapping),
    }
    for name, factory in baselines.items():
        say(f"[{respondents:,}] baseline {name} (budget {args.baseline_budget:g} s per query)")
        timings, answers = time_queries(
            store, texts, factory, args.runs, args.baseline_budget, warmup=0
        )
        result.queries[name] = timings
        for query, text in answers.items():
            result.agree[query] = result.agree.get(query, True) and text == reference[query]
    store.close()
    if not args.keep:
        shutil.rmtree(directory, ignore_errors=True)
    return result


def e2e(database: Path, directory: Path, args: argparse.Namespace, result: SizeResult) -> None:
    fake = FakeSlack()
    try:
        with web_process(database, fake, directory, args.workers) as (url, _log):
            burst(url, fake, "gap by role", args.concurrency, "warmup")  # threads, stores
            for i in range(args.bursts):
                measured = burst(url, fake, "gap by role", args.concurrency, f"b{i}")
                result.acks += measured.acks
                result.answers += measured.answers
                result.errors += measured.errors
    finally:
        fake.close()


# -- the table ------------------------------------------------------------------------------


def ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def check(ok: bool) -> str:
    return "✓" if ok else "✗"


def table(results: list[SizeResult], concurrency: int, bursts: int) -> str:
    head = (
        "| respondents | measure | this design (aggregates) | plain SQLite GROUP BY | "
        "naive pandas load-then-group | target at 1M |"
    )
    lines = [head, "|---:|---|---:|---:|---:|---|"]
    for r in results:
        n = f"{r.respondents:,}"

        def target(text: str, ok: bool, size: int = r.respondents) -> str:
            return f"{text} {check(ok)}" if size >= 1_000_000 else text

        seconds, rss = r.import_seconds[-1], max(r.import_rss_mb)
        lines.append(
            f"| {n} | import (`empathy import`, latest wave), peak RSS |"
            f" {r.respondents / seconds:,.0f} respondents/s ({seconds:.1f} s), {rss:,.0f} MB | | |"
            f" {target('≤ 30 s', seconds <= IMPORT_SECONDS)},"
            f" {target('≤ 1.5 GB', rss <= IMPORT_RSS_MB)} |"
        )
        for name in r.queries["fast"]:
            fast = r.queries["fast"][name]
            cells = [f"{ms(fast.median_ms)} / {ms(fast.p99_ms)} ms"]
            for baseline in ("sql", "pandas"):
                other = r.queries[baseline][name]
                ratio = other.median_ms / fast.median_ms
                runs_text = f"{len(other.seconds)} run{'s' if len(other.seconds) > 1 else ''}"
                cells.append(
                    f"{ms(other.median_ms)} / {ms(other.p99_ms)} ms (×{ratio:,.0f}, {runs_text})"
                )
            ok = fast.median_ms <= QUERY_MEDIAN_MS and fast.p99_ms <= QUERY_P99_MS
            same = "" if r.agree.get(name, True) else " ⚠ answers differ"
            lines.append(
                f"| {n} | `{name}` median / p99 | {cells[0]} | {cells[1]} | {cells[2]}{same} |"
                f" {target('≤ 25 / ≤ 100 ms', ok)} |"
            )
        burst = f"{concurrency} concurrent `/empathy gap by role` (×{bursts})"
        failures = f", {len(r.errors)} errors" if r.errors else ""
        for what, seconds_list, limit in (
            ("ack", r.acks, ACK_P99_MS),
            ("answer at response_url", r.answers, ANSWER_P99_MS),
        ):
            timing = Timing(seconds_list)
            lines.append(
                f"| {n} | {burst}: {what} p50 / p99 | {ms(timing.median_ms)} /"
                f" {ms(timing.p99_ms)} ms{failures} | | |"
                f" {target(f'p99 ≤ {limit:,.0f} ms', timing.p99_ms <= limit and not r.errors)} |"
            )
    return "\n".join(lines)


def machine() -> str:
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores (load average {load} at the end), Python"
        f" {platform.python_version()}, SQLite {sqlite3.sqlite_version}, pandas {pd.__version__}"
    )


def say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="10000,100000,1000000", help="respondents per wave")
    parser.add_argument("--runs", type=int, default=50, help="runs per query (at least 50)")
    parser.add_argument("--concurrency", type=int, default=50, help="requests per burst")
    parser.add_argument("--bursts", type=int, default=3, help="measured bursts per size")
    parser.add_argument("--workers", type=int, default=2, help="web processes (WEB_CONCURRENCY)")
    parser.add_argument(
        "--baseline-budget", type=float, default=8.0, help="seconds per baseline query"
    )
    parser.add_argument("--workdir", type=Path, help="where to write (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="empathy-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    begun = time.perf_counter()
    try:
        results = [measure_size(size, args, workdir) for size in sizes]
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    minutes = (time.perf_counter() - begun) / 60
    text = (
        f"Empathy Gap benchmark — {machine()}; two waves of N respondents, 12 questions,"
        f" 3 segments; {args.runs} runs per query; {minutes:.1f} min in all.\n\n"
        f"{table(results, args.concurrency, args.bursts)}\n"
    )
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
