"""`make bench`: Alur measured over HTTP as it is deployed, beside the floor.

Starts the stack (bench/stack.py), seeds SCALE requests in bulk (bench/seed.py), drives
gunicorn with wrk from another process (bench/load.py) and prints one table; every
throughput is also given as a share of the floor (a bare Django view under the same
server and middleware, measured in the same run). The table is appended to
docs/PERFORMANCE.md with the date, commit and machine.

    make bench                  # 1,000,000 requests
    make bench SCALE=small      # 20,000 requests (SCALE=10k, 100k, 1m or a number too)
    make bench SEED_ONLY=1      # start, seed, print the seed's figures, stop (no load)
    BENCH_SECONDS=10            # seconds per wrk run (default 5)
    BENCH_DB_DIR=/var/tmp/alur  # keep the seeded database there; later runs of the same
                                # SCALE measure a fresh copy of it instead of seeding again
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

from bench.delivery import measure_delivery
from bench.kept import seed_or_reuse
from bench.load import run_wrk
from bench.report import Phases, commit, fact_row, machine, row, table, today, verdict
from bench.stack import ROOT, Stack

# SCALE -> (requests, open unclaimed tasks in the measured unit's queue).
SCALES = {
    "10k": (10_000, 1_000),
    "small": (20_000, 2_000),
    "100k": (100_000, 10_000),
    "full": (1_000_000, 10_000),
    "1m": (1_000_000, 10_000),
}
STAFF = "staf_kjb_ptsp"
HOT_NUMBERS = 50  # the numbers the hit rows ask, over and over
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _scale():
    name = os.environ.get("SCALE", "full")
    if name.isdigit():
        return name, (int(name), min(10_000, int(name) // 10))
    if name not in SCALES:
        raise SystemExit(f"SCALE is one of {', '.join(SCALES)} or a number of requests")
    return name, SCALES[name]


def _multipart(payload: dict, boundary: str) -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="payload"\r\n\r\n'.encode()
        + json.dumps(payload).encode()
        + b"\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="ktp"; filename="ktp.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + PDF
        + b"\r\n",
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def measure(stack: Stack, seconds: int, tmp: Path, phases: Phases) -> list[dict]:
    url = stack.url
    rows = []
    (tmp / "floor.txt").write_text("/bench/floor/\n")
    (tmp / "numbers.txt").write_text(stack.python("-m", "bench.prep", "numbers", "20000"))
    numbers = (tmp / "numbers.txt").read_text().split()
    (tmp / "track.txt").write_text("".join(f"/api/v1/track/{n}/\n" for n in numbers))
    (tmp / "page.txt").write_text("".join(f"/cek-status/{n}/\n" for n in numbers))
    # Hits: citizens re-check their own number (the WhatsApp link, a refresh), so a few
    # numbers asked over and over, their answers cached by a first pass.
    hot = numbers[:HOT_NUMBERS]
    (tmp / "track_hit.txt").write_text("".join(f"/api/v1/track/{n}/\n" for n in hot))
    (tmp / "page_hit.txt").write_text("".join(f"/cek-status/{n}/\n" for n in hot))
    (tmp / "services.txt").write_text("/api/v1/services/\n")
    (tmp / "queue.txt").write_text("/api/v1/tasks/?scope=queue\n")
    (tmp / "queue_page.txt").write_text("/staf/\n")

    def get(path_file, connections, headers=None):
        first = (tmp / path_file).read_text().split()[0]
        answer = requests.get(url + first, headers=headers, allow_redirects=False, timeout=30)
        if answer.status_code != 200:
            raise RuntimeError(
                f"GET {first} answered {answer.status_code} {answer.headers.get('Location')}"
            )
        return run_wrk(
            url,
            "paths.lua",
            [str(tmp / path_file)],
            connections=connections,
            seconds=seconds,
            headers=headers,
            cpu=stack.web_cpu_seconds,
        )

    # Scale-out first, so gunicorn starts twice, not three times: the track API with one
    # worker, then everything with two (the run's default).
    stack.start_web(workers=1)
    one_worker = get("track.txt", 50)
    stack.start_web()
    phases.done("scale-out")
    floor50 = get("floor.txt", 50)
    floor1 = get("floor.txt", 1)
    rows.append(row("floor (bare Django view), 50 conn", floor50, floor50))
    rows.append(row("floor (bare Django view), 1 conn", floor1, floor1))
    at50 = {}

    def target(figures):
        ok = figures["per_s"] >= 0.7 * floor50["per_s"] and figures["p99_ms"] < 50
        return f"{verdict(ok)} (>=70 %, p99<50)"

    for name, path_file, hit_file in (
        ("GET /api/v1/track/<n>/", "track.txt", "track_hit.txt"),
        ("GET /cek-status/<n>/", "page.txt", "page_hit.txt"),
        ("GET /api/v1/services/", "services.txt", None),
    ):
        many = get(path_file, 50)
        one = get(path_file, 1)
        miss = "misses: a different number each" if hit_file else ""
        rows.append(row(f"{name}, 50 conn", many, floor50, target(many), miss))
        rows.append(row(f"{name}, 1 conn", one, floor1, note=miss))
        at50[path_file] = many
        if hit_file:
            for path in (tmp / hit_file).read_text().split():  # the first pass caches them
                requests.get(url + path, timeout=30).raise_for_status()
            hit = get(hit_file, 50)
            note = f"hits: {len(hot)} numbers, cached"
            rows.append(row(f"{name} hit, 50 conn", hit, floor50, target(hit), note))
    track = "GET /api/v1/track/<n>/, 50 conn"
    rows.append(row(f"{track}, 1 web worker", one_worker, floor50, note="measured first"))
    rows.append(row(f"{track}, 2 web workers", at50["track.txt"], floor50, note=f"= {track}"))
    phases.done("public lookups")

    token = requests.post(
        f"{url}/api/v1/auth/token/",
        json={"username": STAFF, "password": os.environ.get("DEMO_PASSWORD", "alur-demo-2026")},
        timeout=10,
    ).json()["token"]
    session = stack.python("-m", "bench.prep", "session", STAFF).strip()
    auth = {"Authorization": f"Token {token}"}
    cookie = {"Cookie": f"sessionid={session}"}
    queue_count = requests.get(f"{url}/api/v1/tasks/?scope=queue", headers=auth, timeout=30).json()[
        "count"
    ]
    for name, path_file, headers in (
        ("GET /api/v1/tasks/?scope=queue", "queue.txt", auth),
        ("GET /staf/ (queue page)", "queue_page.txt", cookie),
    ):
        one = get(path_file, 1, headers)
        twenty = get(path_file, 20, headers)
        rows.append(
            row(
                f"{name}, 1 conn",
                one,
                floor1,
                f"{verdict(one['p50_ms'] <= 15)} (p50<=15)",
                f"queue {queue_count}",
            )
        )
        rows.append(
            row(f"{name}, 20 conn", twenty, floor50, f"{verdict(twenty['p95_ms'] < 150)} (p95<150)")
        )

    phases.done("staff queue")

    # Writes: submissions (JSON, and multipart with one PDF), then staff approvals.
    applicant = {"name": "Siti Aminah", "phone": "0812-3456-7890", "nik": "3273015508900001"}
    body = {"service": "bench-json", "applicant": applicant, "data": {"keperluan": "Umrah"}}
    (tmp / "submit.json").write_text(json.dumps(body))
    boundary = "alurbenchboundary7d1f"
    (tmp / "submit.multipart").write_bytes(_multipart({**body, "service": "bench-pdf"}, boundary))

    def check_post(path, data, content_type, headers=None, expect=201):
        answer = requests.post(
            url + path,
            data=data,
            headers={"Content-Type": content_type, **(headers or {})},
            timeout=30,
        )
        if answer.status_code != expect:
            raise RuntimeError(f"POST {path} answered {answer.status_code}: {answer.text[:500]}")

    check_post("/api/v1/requests/", (tmp / "submit.json").read_bytes(), "application/json")
    check_post(
        "/api/v1/requests/",
        (tmp / "submit.multipart").read_bytes(),
        f"multipart/form-data; boundary={boundary}",
    )
    sub_json = run_wrk(
        f"{url}/api/v1/requests/",
        "post.lua",
        [str(tmp / "submit.json"), "application/json"],
        connections=10,
        seconds=seconds,
        cpu=stack.web_cpu_seconds,
    )
    rows.append(
        row(
            "POST /api/v1/requests/ (JSON), 10 conn",
            sub_json,
            floor50,
            f"{verdict(sub_json['per_s'] >= 150)} (>=150/s)",
        )
    )
    sub_pdf = run_wrk(
        f"{url}/api/v1/requests/",
        "post.lua",
        [str(tmp / "submit.multipart"), f"multipart/form-data; boundary={boundary}"],
        connections=10,
        seconds=seconds,
        cpu=stack.web_cpu_seconds,
    )
    rows.append(
        row(
            "POST /api/v1/requests/ (multipart, 1 PDF), 10 conn",
            sub_pdf,
            floor50,
            f"{verdict(sub_pdf['per_s'] >= 150)} (>=150/s)",
        )
    )
    task_ids = stack.python("-m", "bench.prep", "tasks", STAFF, "200000").split()
    (tmp / "complete.txt").write_text("".join(f"/api/v1/tasks/{t}/complete/\n" for t in task_ids))
    (tmp / "approve.json").write_text(json.dumps({"decision": "approve", "note": ""}))
    check_post(
        f"/api/v1/tasks/{task_ids.pop()}/complete/",
        (tmp / "approve.json").read_bytes(),
        "application/json",
        auth,
        expect=200,
    )
    done = run_wrk(
        url,
        "post.lua",
        [str(tmp / "complete.txt"), "application/json", "ids", str(tmp / "approve.json")],
        connections=10,
        seconds=min(seconds, max(1, len(task_ids) // 400)),
        headers=auth,
        cpu=stack.web_cpu_seconds,
    )
    rows.append(
        row(
            "POST /api/v1/tasks/<id>/complete/ (approve), 10 conn",
            done,
            floor50,
            f"{verdict(done['per_s'] >= 200)} (>=200/s)",
            f"{len(task_ids)} tasks available",
        )
    )
    phases.done("writes")
    try:
        rows.extend(measure_delivery(stack, url, json.loads((tmp / "submit.json").read_text())))
    except (TimeoutError, AssertionError, RuntimeError) as exc:  # keep the rows measured so far
        rows.append(fact_row("WhatsApp delivery", note=f"FAILED: {exc}"))
    phases.done("WhatsApp")
    rss = stack.web_worker_rss_mb()
    rows.append(
        fact_row(
            "gunicorn worker RSS after the run (MB)",
            f"{verdict(max(rss or [0]) < 200)} (<200 MB)",
            ", ".join(f"{r:.0f}" for r in rss),
        )
    )
    return rows


def _face_table() -> str:
    """Face verification (attendance) is CPU work inside the request: timed in-process."""
    out = subprocess.run(
        [sys.executable, "-c", "import json, bench.face as f; print(json.dumps(f.run()))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings"),
    )
    rows = json.loads(out.stdout.strip().splitlines()[-1])
    lines = ["| face verification | n | median ms | p95 ms | note |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append("| {measure} | {n} | {median_ms:.0f} | {p95_ms:.0f} | {note} |".format(**r))
    return "\n".join(lines)


def _seed_report(scale_name, seeded, load_before, load_after) -> None:
    """SEED_ONLY: the seed's figures, printed and appended to docs/PERFORMANCE.md."""
    phases = ", ".join(f"{name} {at:.0f} s" for name, at in seeded["phases"].items())
    line = (
        f"- {today()} · commit {commit()} · SCALE={scale_name} seed "
        f"only: {seeded['requests']:,} requests, {seeded['documents']:,} documents, "
        f"{seeded['tasks']:,} tasks, "
        f"{seeded['events']:,} history rows, {seeded['messages']:,} outbox rows, "
        f"{seeded['flow_rows']:,} viewflow rows = {seeded['rows']:,} rows in "
        f"{seeded['seconds']:.0f} s ({seeded['rows_per_s']:,} rows/s, database CPU "
        f"{seeded.get('db_cpu_s', '?')} s; phases, cumulative: "
        f"{phases}) · load average {load_before[0]:.1f} before, {load_after[0]:.1f} after · "
        f"{machine()}"
    )
    print(line)
    docs = ROOT / "docs" / "PERFORMANCE.md"
    with docs.open("a") as out:
        out.write(f"\n{line}\n")


def main() -> int:
    # A SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C: the servers started are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    scale_name, (total, queue) = _scale()
    seconds = int(os.environ.get("BENCH_SECONDS", "5"))
    keep = os.environ.get("BENCH_DB_DIR")
    stack = Stack(
        web_workers=int(os.environ.get("BENCH_WEB_WORKERS", "2")),
        keep=Path(keep).resolve() if keep else None,
    )
    phases = Phases()

    def seed():
        stack.fresh_schema()
        stack.manage("seed_demo", debug=True)
        args = ("-m", "bench.seed", str(total), str(queue))
        return json.loads(stack.python(*args, debug=True))

    try:
        stack.start_servers()
        phases.done("servers and static files")
        load_before = os.getloadavg()
        seeded, reused = seed_or_reuse(stack, scale_name, seed)
        phases.done("seed reused" if reused else "seed")
        print(f"{'reused' if reused else 'seeded'} {seeded} in {phases}", flush=True)
        # The run's outbox figures leave the seeded (already delivered) messages out.
        os.environ["BENCH_SEEDED_MESSAGES_UP_TO"] = str(seeded["last_message_id"])
        if os.environ.get("SEED_ONLY", "") not in ("", "0"):
            if not reused:
                _seed_report(scale_name, seeded, load_before, os.getloadavg())
            return 0
        with tempfile.TemporaryDirectory(prefix="alur-bench-") as tmp:
            rows = measure(stack, seconds, Path(tmp), phases)
    finally:
        stack.close()
    face = _face_table()
    phases.done("face verification")
    header = (
        f"### {today()} · commit {commit()} · SCALE={scale_name} "
        f"({seeded['requests']:,} requests, {seeded['events']:,} history rows, "
        f"{seeded['tasks']:,} tasks, {seeded['messages']:,} outbox rows; "
        f"{seeded['open_in_queue_unit']:,} open in the measured unit) · {machine()} · "
        f"{seconds} s per run, gunicorn {stack.web_workers} sync workers · "
        f"load average {load_before[0]:.1f} at the start"
    )
    footer = f"Whole bench: {phases}."
    report = f"{table(rows)}\n\n{face}\n\n{footer}"
    print(f"\n{header}\n\n{report}")
    docs = ROOT / "docs" / "PERFORMANCE.md"
    docs.parent.mkdir(exist_ok=True)
    if not docs.exists():
        docs.write_text("# Alur: performance\n\nFigures appended by `make bench`.\n")
    with docs.open("a") as out:
        out.write(f"\n{header}\n\n{report}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
