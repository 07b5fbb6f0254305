"""Throughput/latency harness: `make bench` (= `python -m bench`).

`bench/__main__.py` starts a throw-away PostgreSQL (`tests.servers.PostgresServer`),
migrates it, then imports every `bench/*.py` module that defines `run()` and calls it,
in name order. `run()` returns a list of rows made with `row()`; all rows are printed
as one table at the end.
"""

import statistics
import time


def row(measure: str, samples: list[float] | None = None, *, n=None, per_second=None, note=""):
    """A table row; `samples` are durations in seconds (median and p95 are derived)."""
    out = {"measure": measure, "n": n, "median_ms": None, "p95_ms": None, "per_s": per_second}
    if samples:
        ordered = sorted(samples)
        out["n"] = n or len(ordered)
        out["median_ms"] = statistics.median(ordered) * 1000
        out["p95_ms"] = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000
        if per_second is None:
            out["per_s"] = len(ordered) / sum(ordered)
    out["note"] = note
    return out


def timed(fn, times: int) -> list[float]:
    samples = []
    for i in range(times):
        start = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - start)
    return samples
