"""WhatsApp delivery figures: throughput to the Twilio stand-in with one Celery worker,
and transition-commit -> stand-in receipt latency (median, p95).

The measurement is the integration test tests/integration/test_whatsapp_bench.py, run
with the suite's own throw-away PostgreSQL and Redis, a real worker subprocess and the
stand-in; this module runs it in a subprocess and returns its figures.

    python -m bench            # every bench module
    python -c "import bench.delivery as d; d.run()"
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(messages: int = 300, latency_samples: int = 30) -> list[dict]:
    """Rows for bench/__main__'s table (keys: measure, n, median_ms, p95_ms, per_s, note)."""
    with tempfile.TemporaryDirectory(prefix="alur-bench-") as tmp:
        out = Path(tmp) / "delivery.json"
        env = dict(
            os.environ,
            ALUR_BENCH_OUT=str(out),
            ALUR_BENCH_MESSAGES=str(messages),
            ALUR_BENCH_LATENCY_SAMPLES=str(latency_samples),
        )
        env.pop("REDIS_URL", None)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-s",
                "-p",
                "no:cacheprovider",
                "tests/integration/test_whatsapp_bench.py",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        figures = json.loads(out.read_text())
    return [
        {
            "measure": "whatsapp delivery, 1 worker -> stand-in",
            "n": figures["messages"],
            "median_ms": None,
            "p95_ms": None,
            "per_s": figures["throughput_per_s"],
            "note": "commit of all -> last receipt",
        },
        {
            "measure": "whatsapp commit -> stand-in receipt",
            "n": figures["latency_samples"],
            "median_ms": figures["latency_median_ms"],
            "p95_ms": figures["latency_p95_ms"],
            "per_s": None,
            "note": "one transition at a time",
        },
    ]


if __name__ == "__main__":
    for figures in run():
        print(figures)
