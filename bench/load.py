"""Drive the running stack with wrk (a separate process) and read its figures."""

import json
import os
import shutil
import subprocess
from pathlib import Path

WRK_DIR = Path(__file__).resolve().parent / "wrk"


def wrk_available() -> str:
    binary = shutil.which("wrk")
    if not binary:
        raise SystemExit("wrk not found. Install it: apt-get install -y wrk")
    return binary


def run_wrk(
    url: str,
    script: str,
    args: list[str],
    *,
    connections: int,
    seconds: int,
    headers: dict | None = None,
    cpu=None,
) -> dict:
    """Run wrk and return its figures: requests, per_s (answers below 400 only),
    p50/p95/p99 in ms, errors, and with `cpu` (a callable returning the server's CPU
    seconds so far) the server CPU milliseconds per answered request."""
    cpu_before = cpu() if cpu else None
    threads = min(2, connections)
    cmd = [
        wrk_available(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_DIR / script),
    ]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    cmd += [url, "--", *args]
    env = dict(os.environ, BENCH_WRK_DIR=str(WRK_DIR), BENCH_WRK_THREADS=str(threads))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    answered = raw["requests"] - errors
    cpu_ms = None
    if cpu:
        cpu_ms = (cpu() - cpu_before) * 1000 / answered if answered else None
    return {
        "requests": raw["requests"],
        "per_s": answered / seconds_run if seconds_run else 0.0,
        "cpu_ms": cpu_ms,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": errors,
        "non_2xx": raw["status"],
    }
