"""``python -m bot.imports.child``: the heavy steps of a Slack upload, in a process of their own.

An uploaded file is whatever its sender made it, so reading it, suggesting its codebook
and importing it happen here, never in the web process: this process caps its own
address space and CPU time before it reads anything (``resource``), the web process
kills it past a wall-clock deadline (:mod:`bot.imports.jobs`), and the export readers
refuse files past their structural limits. Whatever happens here, the web process goes on
answering questions.

The request is one JSON object on stdin: ``task`` (``read``, ``check`` or ``import``), the
reader's ``limits``, ``memory_mb`` and ``cpu_seconds``, and the task's ``args``. The
answer is one JSON object on stdout: ``{"ok": …}`` or ``{"error": {"type": …}}``, where
the type is an error class of :mod:`insights.errors`, ``gone`` (the pending import is no
longer there), ``memory`` (the address space ran out) or ``internal`` (a bug: the
traceback is on stderr, which the web process logs). Only an import writes, and only in
the import's own transaction: a process stopped half-way writes nothing.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path, PurePosixPath
from typing import Any

from insights import CodebookError, EmpathyError, ImportFailed, Store
from insights.ingest import (
    Codebook,
    Export,
    ImportSummary,
    Limits,
    Suggestion,
    delete_pending,
    get_pending,
    import_export,
    missing_columns,
    open_export,
    parse_codebook,
    suggest_codebook,
)

Result = dict[str, Any]
MB = 1024 * 1024


class Gone(Exception):
    """The pending import was imported, cancelled or expired before this process got to it."""


# --- the work ------------------------------------------------------------------------


@contextmanager
def opened(content: bytes, file_name: str, limits: Limits) -> Iterator[Export]:
    """``content`` read as a survey export named ``file_name`` (its extension kept, never a
    path), from a temporary file that goes with the export."""
    with tempfile.TemporaryDirectory(prefix="empathy-upload-") as directory:
        path = Path(directory) / safe_name(file_name)
        path.write_bytes(content)
        yield open_export(path, limits=limits)


def safe_name(name: str) -> str:
    """A file name for ``name`` with its extension (the reader goes by it) but no path."""
    kept = "".join(ch if ch.isalnum() or ch in "._ -" else "_" for ch in PurePosixPath(name).name)
    return kept.strip(" .")[-120:] or "upload"


def count_rows(export: Export) -> tuple[int, str]:
    """The responses kept, and '12 responses' or '12 responses, 3 left out (2 survey
    preview, 1 unfinished)'."""
    kept = sum(len(chunk) for chunk in export.chunks())
    text = f"{kept} response{'s' if kept != 1 else ''}"
    left_out = sum(export.excluded.values())
    if left_out:
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(export.excluded.items()))
        text += f", {left_out} left out ({reasons})"
    return kept, text


def codebook_lines(codebook: Codebook) -> list[str]:
    """One line per mapped column of a codebook someone wrote, as the mapping shows it."""
    lines = []
    if codebook.survey.respondent_id:
        lines.append(f"{codebook.survey.respondent_id} → respondent id")
    lines += [f"{s.column} → segment {s.name or s.column}" for s in codebook.segments]
    for q in codebook.questions:
        side = q.perspective or "single perspective"
        lines.append(f"{q.column} → {q.theme} ({side}, scale {q.scale})")
    return lines


def read(args: Result, limits: Limits) -> Result:
    """An uploaded export (``path``, named as the reader needs): how many rows it holds,
    and its suggested codebook or why there is none (a file with responses is still kept,
    for a codebook the admin uploads)."""
    export = open_export(Path(args["path"]), limits=limits)
    kept, counts = count_rows(export)
    try:
        suggested = suggest_codebook(export, survey=args["survey"])
    except CodebookError as error:
        if not kept:
            raise  # no responses at all: no codebook can help
        unmapped = {"reason": error.message, "problems": error.problems}
        return {"counts": counts, "unmapped": unmapped}
    return {"counts": counts, "suggestion": _suggestion(suggested)}


def _suggestion(suggested: Suggestion) -> Result:
    return {
        "toml": suggested.to_toml(),
        "lines": suggested.mapping_lines(),
        "notes": list(suggested.notes),
    }


def check(args: Result, limits: Limits) -> Result:
    """A codebook someone uploaded, checked against the export it is meant for."""
    name = args["codebook_name"]
    codebook = parse_codebook(args["codebook"], yaml_format=args["format"] == "yaml", name=name)
    export = open_export(Path(args["path"]), limits=limits)
    id_column = codebook.survey.respondent_id or export.layout.respondent_id
    problems = missing_columns(export.layout, codebook, id_column)
    if problems:
        raise ImportFailed(f"{name} does not fit {args['file_name']}", problems=problems)
    _, counts = count_rows(export)
    return {"counts": counts, "survey": codebook.survey.name, "lines": codebook_lines(codebook)}


def import_pending(args: Result, limits: Limits) -> Result:
    """Import a pending upload, all or nothing: the wave, forgetting the upload and the
    audit entry are one transaction."""
    store = Store.open(args["database"])
    try:
        team_id, pending_id = args["team_id"], args["pending_id"]
        pending = get_pending(store, team_id, pending_id)
        if pending is None:
            raise Gone
        codebook = parse_codebook(
            pending.codebook, yaml_format=pending.codebook_format == "yaml", name="the codebook"
        )

        def forget_upload(summary: ImportSummary) -> None:
            delete_pending(store, team_id, pending_id)

        with opened(pending.content, pending.file_name, limits) as export:
            summary = import_export(
                store,
                export,
                codebook,
                team_id=team_id,
                survey=args["survey"],
                wave=args["wave"],
                actor=args["user_id"],
                source=pending.file_name,  # as uploaded, not the temporary file's safe name
                also=forget_upload,
                min_group_size=args.get("min_group_size"),
            )
    finally:
        store.close()
    return {"summary": asdict(summary), "text": summary.describe()}


TASKS: dict[str, Callable[[Result, Limits], Result]] = {
    "read": read,
    "check": check,
    "import": import_pending,
}


# --- the process ---------------------------------------------------------------------


def confine(memory_mb: int, cpu_seconds: int) -> None:
    """Cap this process before it reads anything: its address space (allocations past it
    fail with MemoryError), its CPU time (past it the kernel stops it: a backstop for the
    web process's deadline, should that process be gone), and core files (none)."""
    memory = memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(request: Result) -> Result:
    """The answer to one request: what its task returned, or the error it raised."""
    try:
        confine(int(request["memory_mb"]), int(request["cpu_seconds"]))
        task = TASKS[request["task"]]
        return {"ok": task(request["args"], Limits(**request["limits"]))}
    except MemoryError:
        return {"error": {"type": "memory"}}
    except Gone:
        return {"error": {"type": "gone"}}
    except EmpathyError as error:
        return {"error": described(error)}
    except Exception:
        traceback.print_exc()
        return {"error": {"type": "internal"}}


def described(error: EmpathyError) -> Result:
    """An error of the library as the web process rebuilds it: a refused file or codebook
    with its problems (and the rows left out, when that is why), else a message for the
    person (a busy store and kin)."""
    found: Result = {"type": "UserError", "message": error.message, "suggestion": error.suggestion}
    if isinstance(error, ImportFailed):
        kind = "CodebookError" if isinstance(error, CodebookError) else "ImportFailed"
        found |= {"type": kind, "problems": error.problems, "left_out": error.left_out}
    return found


def main() -> int:
    answer = run(json.loads(sys.stdin.buffer.read()))
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
