"""What `geopol serve` runs beside the web server on the embedded default: the task worker
(restarted when it dies) and the every-minute `geopol alerts send-due`, all in the serve
command's process group and stopped with it.

Knows processes, not Django: `geopol.cli` hands it the command lines.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# A helper that dies is started again after this long (a crash loop costs one start a second).
RESTART_DELAY = 1.0
# What the children get between SIGTERM and SIGKILL when serve stops (granian's own kill
# timeout for its workers is 5 s, so it finishes within this).
STOP_SECONDS = 10.0
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when serve dies, even by SIGKILL, so no worker outlives
    the command that started it. Elsewhere nothing (Ctrl-C still reaches the group)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start(argv: Sequence[str], quiet: bool = False) -> subprocess.Popen:
    # Same process group as serve (no new session): Ctrl-C in the terminal reaches every child.
    out = subprocess.DEVNULL if quiet else None
    return subprocess.Popen(list(argv), stdout=out, preexec_fn=_die_with_parent)


@dataclass
class Supervisor:
    """Runs `server` until it exits or serve is told to stop; keeps `helpers` running beside it
    and runs `timer` every `interval` seconds (at start, then on each boundary), one at a time."""

    server: Sequence[str]
    helpers: Sequence[Sequence[str]] = ()
    timer: Sequence[str] = ()
    interval: float = 60.0
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)
    stopping: threading.Event = field(default_factory=threading.Event)

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        server = start(self.server)
        helpers = [start(argv) for argv in self.helpers]
        timer: subprocess.Popen | None = None
        next_tick = time.monotonic()
        try:
            while not self.stopping.is_set() and server.poll() is None:
                for i, proc in enumerate(helpers):
                    if proc.poll() is not None:
                        name = " ".join(self.helpers[i][-2:])
                        self.log(f"geopol serve: {name} exited ({proc.returncode}); restarting")
                        time.sleep(RESTART_DELAY)
                        helpers[i] = start(self.helpers[i])
                if timer is not None and timer.poll() is not None:
                    timer = None  # reaped: no zombie until the next minute
                if self.timer and time.monotonic() >= next_tick:
                    if timer is None:  # one run at a time: a slow run skips a minute
                        timer = start(self.timer, quiet=True)  # its report, once a minute
                    late = time.monotonic() - next_tick
                    next_tick += self.interval * (1 + late // self.interval)
                self.stopping.wait(0.2)
        finally:
            running = [p for p in (server, *helpers, timer) if p is not None]
            self._stop(running)
        return server.returncode if server.returncode is not None else 0

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stopping.set()

    def _stop(self, procs: list[subprocess.Popen]) -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for proc in procs:
            try:
                proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log(f"geopol serve: pid {proc.pid} ignored SIGTERM; killing it")
                proc.kill()
                proc.wait()
