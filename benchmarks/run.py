"""``python -m benchmarks`` (or ``make benchmark``): how Empathy Gap scales with a survey's
shape and size, beside plain SQLite, pandas and DuckDB.

For each shape (``benchmarks.synth.SHAPES``) and size N it generates four waves of N
respondents as CSV exports, imports them with the real ``empathy import``, and measures
(``benchmarks.measure``): the import (time and peak RSS; DuckDB's own load of the same CSV
beside it), each of the shape's questions answered by every design (median and p99), a
fresh process's first answer (cold start) and its memory after answering about two waves,
and, for the narrow shape, bursts of signed slash commands against the Procfile's web
process. It prints one markdown table (``benchmarks.report``) and can draw a chart
(``benchmarks.chart``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import chart, report, synth
from benchmarks.measure import Options, Result, measure

E2E_SHAPE = "narrow"
CHART = Path("benchmarks/results/latency.png")


def say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--shapes", default=",".join(synth.SHAPES), help="survey shapes")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="respondents per wave")
    parser.add_argument("--runs", type=int, default=50, help="runs per query (at least 50)")
    parser.add_argument("--concurrency", type=int, default=50, help="requests per burst")
    parser.add_argument("--bursts", type=int, default=3, help="measured bursts (narrow shape)")
    parser.add_argument("--workers", type=int, default=2, help="web processes (WEB_CONCURRENCY)")
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end bursts")
    parser.add_argument(
        "--engine-budget", type=float, default=120.0, help="seconds per query for this engine"
    )
    parser.add_argument(
        "--baseline-budget", type=float, default=8.0, help="seconds per query for each baseline"
    )
    parser.add_argument("--workdir", type=Path, help="where to write (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--chart", type=Path, help=f"write the chart here (default with --output: {CHART})"
    )
    args = parser.parse_args(argv)
    unknown = set(shapes(args)) - set(synth.SHAPES)
    if unknown:
        parser.error(f"unknown shapes {sorted(unknown)}; choose from {', '.join(synth.SHAPES)}")
    return args


def shapes(args: argparse.Namespace) -> list[str]:
    return [name.strip() for name in args.shapes.split(",") if name.strip()]


def sizes(args: argparse.Namespace) -> list[int]:
    return [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]


def options(args: argparse.Namespace, shape: str) -> Options:
    return Options(
        runs=args.runs,
        engine_budget=args.engine_budget,
        baseline_budget=args.baseline_budget,
        e2e=shape == E2E_SHAPE and not args.no_e2e,
        bursts=args.bursts,
        concurrency=args.concurrency,
        workers=args.workers,
        keep=args.keep,
    )


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="empathy-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    begun = time.perf_counter()
    results: list[Result] = []
    try:
        for shape in shapes(args):
            say(synth.SHAPES[shape].describe())
            for size in sizes(args):
                results.append(measure(shape, size, options(args, shape), workdir, say))
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    minutes = (time.perf_counter() - begun) / 60
    described = "; ".join(synth.SHAPES[shape].describe() for shape in shapes(args))
    text = (
        f"Empathy Gap benchmark — {report.machine()}; {Options().waves} waves of N respondents"
        f" ({described}); {args.runs} runs per query; {minutes:.1f} min in all.\n\n"
        f"{report.table(results, args.runs)}\n"
    )
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    path = args.chart or (CHART if args.output else None)
    if path:
        chart.draw(results, path)
        say(f"chart written to {path}")
