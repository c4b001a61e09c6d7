"""Whose CPU time a measurement shared the machine with (psutil).

    cpu = CpuLoad()                 # starts sampling this process tree every 0.5 s
    a = cpu.snapshot(); ...; b = cpu.snapshot()
    cpu.others(a, b)                # CPUs other processes kept busy meanwhile (0.8 = most of one)
    cpu.ours(a, b)                  # CPU-seconds this process tree used meanwhile

Busy time is machine-wide (every CPU: user, nice, system, irq, softirq, steal; not idle or
iowait) minus this process tree's (this Python, Playwright's driver, Chromium and its helpers,
the PyTorch subprocess: user + system of all their threads). On a shared 2-CPU machine other
processes are the main source of noise, so run.py records `others` per phase.

A process of the tree that ends takes its CPU time with it: Chromium's renderer, GPU and zygote
processes are re-parented to init when the browser closes, and init reaps them. So the tree is
sampled in the background, a process seen once in it stays ours (by pid and start time: pids are
reused) after it has been re-parented, and each one's last seen CPU time is kept after it has
gone (without this, closing a browser made its CPU time look like other processes' load).
"""
from __future__ import annotations

import os
import threading
import time

import psutil


class CpuLoad:
    def __init__(self, interval: float = 0.5):
        self._seen: dict[tuple[int, float], float] = {}  # (pid, start time) -> CPU-s last seen
        self._lock = threading.Lock()
        self._sample()
        threading.Thread(target=self._sample_every, args=(interval,), daemon=True).start()

    def _sample_every(self, interval: float) -> None:
        while True:
            time.sleep(interval)
            self._sample()

    def _sample(self) -> None:
        """Record the CPU time of every process that is, or was once seen, in this tree."""
        procs = {p.pid: p.info for p in psutil.process_iter(["ppid", "create_time", "cpu_times"])
                 if p.info["cpu_times"] is not None}
        with self._lock:
            known, verdict = set(self._seen), {os.getpid(): True}

            def ours(pid: int) -> bool:  # this process, a process seen in the tree, or a child
                chain = []
                while pid not in verdict:
                    if pid not in procs:
                        verdict[pid] = False
                        break
                    if (pid, procs[pid]["create_time"]) in known:
                        verdict[pid] = True
                        break
                    chain.append(pid)
                    verdict[pid] = False  # (a loop in the ppids ends here)
                    pid = procs[pid]["ppid"]
                for p in chain:
                    verdict[p] = verdict[pid]
                return verdict[pid]

            for pid, info in procs.items():
                if ours(pid):
                    t = info["cpu_times"]
                    self._seen[(pid, info["create_time"])] = t.user + t.system

    def snapshot(self) -> tuple[float, float, float]:
        """(monotonic s, machine-wide busy CPU-s, this tree's CPU-s)."""
        self._sample()
        t = psutil.cpu_times()
        busy = t.user + t.nice + t.system + t.irq + t.softirq + t.steal  # (guest is in user)
        with self._lock:
            return time.monotonic(), busy, sum(self._seen.values())

    @staticmethod
    def ours(a, b) -> float:
        """CPU-seconds this process tree used between two snapshots."""
        return b[2] - a[2]

    @staticmethod
    def others(a, b) -> float | None:
        """CPUs (e.g. 0.8 = most of one CPU) used by other processes between two snapshots."""
        if b[0] - a[0] < 0.5:
            return None
        return max(0.0, ((b[1] - a[1]) - (b[2] - a[2])) / (b[0] - a[0]))

    def wait_quiet(self, max_s: float, threshold: float = 0.3) -> float:
        """Wait (up to max_s) until other processes use < threshold CPUs over 2 s; the wait."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < max_s:
            a = self.snapshot()
            time.sleep(2.0)
            if self.others(a, self.snapshot()) < threshold:
                break
        return time.monotonic() - t0
