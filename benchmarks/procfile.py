"""The Procfile's web process, started as a platform starts it (its own command line, in a
process group of its own), for the benchmark's end-to-end run and the end-to-end tests
(``tests/e2e/harness.py``): both talk to the real process as Slack does.

Standard library only, so the tests can import it without the benchmark's dependencies.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def procfile_command(process: str = "web") -> str:
    """The command line the Procfile gives ``process``."""
    for line in (REPO / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise LookupError(f"The Procfile has no {process}: line.")


def app_env(*, api_url: str, database: Path, bot_token: str, log_level: str) -> dict[str, str]:
    """This process's environment without any Slack setting, database or port of its own,
    plus the app's: ``api_url`` as Slack's Web API, ``database``, ``bot_token``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SLACK_") and key not in ("DATABASE_PATH", "PORT")
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        DATABASE_PATH=str(database),
        SLACK_BOT_TOKEN=bot_token,
        SLACK_API_URL=api_url,
        DEFAULT_TEAM_ID="local",
        LOG_LEVEL=log_level,
    )
    return env


def start_web(
    directory: Path, env: dict[str, str], log: Path
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start the Procfile's web command in ``directory`` (no .env there: settings come from
    ``env``), on a free port, appending its output to ``log``; its URL and process. Raises
    RuntimeError, with the log, if it does not answer /healthz within a minute."""
    port = free_port()
    with log.open("ab") as sink:  # appended: a restarted process keeps the earlier log
        process = subprocess.Popen(
            ["bash", "-c", procfile_command("web")],
            cwd=directory,
            env={**env, "PORT": str(port)},
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
    except RuntimeError:
        stop(process)
        raise
    return url, process


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The web process exited:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"/healthz never answered:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """SIGTERM to the whole group (the shell, the server's supervisor and its workers), as a
    platform stops it; SIGKILL if it has not exited within ``timeout`` seconds."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
