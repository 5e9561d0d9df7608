"""Where the web process handles uploads: a few threads of their own, each waiting on a
child process (:mod:`bot.imports.child`) that does the reading and importing.

Answers are computed in the app's ANSWER_THREADS; an upload never takes one of them for
longer than its quick checks. At most MAX_CONCURRENT_IMPORTS uploads are handled at once
per web process; one more is refused at once, politely, rather than queued behind files
that may take minutes. A child that runs past IMPORT_TIMEOUT_SECONDS is killed; one that
runs out of IMPORT_MEMORY_MB fails its allocations and says so.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Any, TypeVar

from bot.settings import Settings
from bot.slack.downloads import UploadRefused
from insights import CodebookError, ImportFailed, UserError

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Numeric libraries start a thread per core for work a reader never gives them; one is plenty.
_ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
# A child needing this much more CPU time than wall-clock time allows is stopped by the kernel.
_CPU_MARGIN_SECONDS = 5


class ImportJobs:
    """At most ``workers`` uploads handled at once, each in a thread of this pool."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._free = threading.BoundedSemaphore(workers)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="import")

    def start(self, work: Callable[[], T], then: Callable[[T], None] | None = None) -> bool:
        """Run ``work`` in the pool, then ``then`` with its result once its slot is free
        again (so whoever ``then`` tells can send the next upload at once); ``False`` (and
        nothing run) when every slot is taken."""
        if not self._free.acquire(blocking=False):
            return False
        try:
            self._pool.submit(self._run, work, then)
        except RuntimeError:  # the pool is shutting down with the process
            self._free.release()
            return False
        return True

    def _run(self, work: Callable[[], T], then: Callable[[T], None] | None) -> None:
        try:
            result = work()
        except Exception:
            logger.exception("An upload's work failed outside its own error handling")
            return
        finally:
            self._free.release()
        if then is None:
            return
        try:
            then(result)
        except Exception:
            logger.exception("Delivering an upload's outcome failed")


# --- the child process ---------------------------------------------------------------


class Gone(Exception):
    """The pending import was no longer there when the child looked for it."""


def run_child(settings: Settings, task: str, args: dict[str, Any], file_name: str) -> Any:
    """What :mod:`bot.imports.child` returns for ``task``, run within the settings' limits.

    Raises what the library raised there (ImportFailed, CodebookError, UserError), Gone,
    UploadRefused when the child ran out of memory and Stopped when it ran out of time
    (saying so, about ``file_name``), or ChildFailed for a failure of ours. After Stopped
    or ChildFailed an import may have committed; after anything else it did not.
    """
    request = {
        "task": task,
        "args": args,
        "limits": asdict(settings.export_limits),
        "memory_mb": settings.import_memory_mb,
        "cpu_seconds": settings.import_timeout_seconds + _CPU_MARGIN_SECONDS,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.imports.child"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_env(),
        start_new_session=True,  # its own group, so stopping it stops all of it
    )
    try:
        out, err = process.communicate(
            json.dumps(request).encode(), timeout=settings.import_timeout_seconds
        )
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise out_of_time(settings, task, file_name) from None
    return _answer(settings, task, process.returncode, out, err, file_name)


def _child_env() -> dict[str, str]:
    """This process's environment without any Slack setting: the child reads untrusted
    files, and needs no token or secret to do it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    return env | _ONE_THREAD


def _answer(
    settings: Settings, task: str, code: int, out: bytes, err: bytes, file_name: str
) -> Any:
    if code == -signal.SIGXCPU:
        raise out_of_time(settings, task, file_name)
    try:
        answer = json.loads(out) if code == 0 else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or ("ok" not in answer and "error" not in answer):
        raise _failed(code, err)
    if "ok" in answer:
        return answer["ok"]
    raise _error(settings, task, answer["error"], err, file_name)


def _error(
    settings: Settings, task: str, error: dict[str, Any], err: bytes, file_name: str
) -> Exception:
    kind, message = error.get("type"), str(error.get("message") or "")
    problems = [str(p) for p in error.get("problems") or []]
    if kind == "CodebookError":
        return CodebookError(message, problems=problems)
    if kind == "ImportFailed":
        left_out = {str(k): int(v) for k, v in (error.get("left_out") or {}).items()}
        return ImportFailed(message, problems=problems, left_out=left_out)
    if kind == "UserError":
        return UserError(message, suggestion=error.get("suggestion"))
    if kind == "gone":
        return Gone()
    if kind == "memory":
        return out_of_memory(settings, task, file_name)
    return _failed(0, err)


class ChildFailed(RuntimeError):
    """A failure of ours in the child (a bug, or a crash): logged with the reference the
    person is shown, with the end of what the child wrote on stderr."""


def _failed(code: int, err: bytes) -> ChildFailed:
    tail = err.decode("utf-8", "replace")[-4000:]
    return ChildFailed(f"the upload child failed (exit {code}):\n{tail}")


class Stopped(UploadRefused):
    """The child was stopped from outside (its deadline) or crashed: whatever it was doing
    was cut short, so an import may or may not have committed."""


_SMALLER = (
    "Nothing was imported. Leave out the columns you do not need, or split the rows into "
    "several files, and upload it again."
)


def _doing(task: str, file_name: str) -> str:
    return f"{'Importing' if task == 'import' else 'Reading'} {file_name}"


def out_of_time(settings: Settings, task: str, file_name: str) -> Stopped:
    seconds = settings.import_timeout_seconds
    return Stopped(
        f"{_doing(task, file_name)} took longer than {seconds:,} second{'s' * (seconds != 1)},"
        f" the most one upload may take, so I stopped. {_SMALLER}"
    )


def out_of_memory(settings: Settings, task: str, file_name: str) -> UploadRefused:
    return UploadRefused(
        f"{_doing(task, file_name)} needed more than {settings.import_memory_mb:,} MB of "
        f"memory, the most one upload may use, so I stopped. {_SMALLER}"
    )
