"""The bench's table: one row per measure, every throughput beside the floor's."""

import datetime
import os
import platform
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADERS = (
    "measure",
    "per_s",
    "floor",
    "cpu_ms",
    "cpu_x",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "errors",
    "target",
    "note",
)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def row(measure, figures, floor=None, target="", note=""):
    """A wrk run's figures; with `floor`, as a share of the floor's throughput and CPU."""
    ratio = f"{100 * figures['per_s'] / floor['per_s']:.0f} %" if floor else ""
    cpu = figures.get("cpu_ms")
    return {
        "measure": measure,
        "per_s": f"{figures['per_s']:,.0f}",
        "floor": ratio,
        "cpu_ms": f"{cpu:.2f}" if cpu is not None else "",
        "cpu_x": f"{cpu / floor['cpu_ms']:.1f}x" if floor and cpu and floor.get("cpu_ms") else "",
        "p50_ms": f"{figures['p50_ms']:.1f}",
        "p95_ms": f"{figures['p95_ms']:.1f}",
        "p99_ms": f"{figures['p99_ms']:.1f}",
        "errors": str(figures.get("errors", 0)),
        "target": target,
        "note": note,
    }


def fact_row(measure, target="", note="", **columns):
    """A row that is not a wrk run (delivery, outbox, memory): only the columns given."""
    given = {"measure": measure, "target": target, "note": note, **columns}
    return dict.fromkeys(HEADERS, "") | given


def table(rows) -> str:
    widths = [max(len(h), *(len(r[h]) for r in rows)) for h in HEADERS]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        cells = (r[h].ljust(w) for h, w in zip(HEADERS, widths, strict=True))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


class Phases:
    """Wall seconds per part of the run, so a slow bench says where its time went."""

    def __init__(self):
        self.started = self._last = time.perf_counter()
        self.parts: dict[str, float] = {}

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.parts[name] = self.parts.get(name, 0.0) + now - self._last
        self._last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started

    def __str__(self) -> str:
        parts = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in self.parts.items())
        return f"{self.total:.0f} s ({parts})"


def machine() -> str:
    cores = os.cpu_count()
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{cores} cores, {mem:.0f} GiB, {platform.platform()}"


def commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def today() -> str:
    return datetime.date.today().isoformat()
