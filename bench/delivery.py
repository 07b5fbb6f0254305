"""WhatsApp in the bench: delivery rate with one and two workers, commit -> stand-in."""

import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.report import fact_row, verdict

BACKLOG = 300  # messages per round: the rate is read between the first and last arrival
LATENCY_SAMPLES = 40


def _submit_many(url: str, body: dict, phones: list[str]) -> None:
    """Queue one receipt per phone, from four clients at once (the backlog is made faster
    than a worker drains it, and is not what is measured)."""

    def submit(chunk):
        with requests.Session() as http:
            for phone in chunk:
                data = {**body, "applicant": {**body["applicant"], "phone": phone}}
                answer = http.post(f"{url}/api/v1/requests/", json=data, timeout=30)
                assert answer.status_code == 201, answer.text

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(submit, [phones[i::4] for i in range(4)]))


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def _drain(stack, names: list[str], concurrency: int, have: int, count: int):
    """Start the workers on a backlog of `count` messages; (rate, CPU ms each, count).
    Both are read from the first arrival on, so the workers' start-up is in neither."""
    for name in names:
        stack.start_worker(name, concurrency=concurrency)
    stack.twilio.wait_for_messages(have + 1, timeout=120)
    cpu_before = stack.worker_cpu_seconds()
    stack.twilio.wait_for_messages(have + count, timeout=600)
    cpu = stack.worker_cpu_seconds() - cpu_before
    arrived = [m["received_at"] for m in stack.twilio.messages[have:]]
    rate = (len(arrived) - 1) / max(arrived[-1] - arrived[0], 1e-6)
    return rate, 1000 * cpu / max(len(arrived) - 1, 1), count


def measure_delivery(stack, url: str, body: dict) -> list[dict]:
    # The write runs queued messages of every kind (receipts, step notices) with no
    # worker running: one worker at the Procfile's default (4 processes) drains them,
    # timed. Then fresh backlogs of receipts for one worker at concurrency 1 and two
    # workers at concurrency 1 (scale-out: a second worker machine). The rate is taken
    # between the first and the last arrival at the stand-in, and so is the workers' CPU
    # per message, so start-up is counted in neither.
    rounds = {}
    queued = json.loads(stack.python("-m", "bench.prep", "outbox"))["messages"]
    have = len(stack.twilio.messages)
    rounds[(1, 4)] = _drain(stack, ["worker"], 4, have, queued - have)
    for workers in (1, 2):
        stack.stop("worker")
        stack.stop("worker2")
        _submit_many(url, body, [f"+628130{workers}{i:05d}" for i in range(BACKLOG)])
        names = ["worker", "worker2"][:workers]
        rounds[(workers, 1)] = _drain(stack, names, 1, len(stack.twilio.messages), BACKLOG)
    rows = []
    for workers, concurrency in ((1, 1), (1, 4), (2, 1)):
        rate, cpu_ms, count = rounds[(workers, concurrency)]
        what = "from the write runs" if concurrency == 4 else "of receipts"
        rows.append(
            fact_row(
                f"WhatsApp delivery, {workers} worker(s) at concurrency {concurrency} "
                f"(backlog of {count} {what})",
                f"{verdict(rate >= 80)} (>=80/s)",
                per_s=f"{rate:,.0f}",
                cpu_ms=f"{cpu_ms:.2f}",
            )
        )
    # Commit -> receipt, one submission at a time, once the stand-in's status callbacks
    # for the backlogs above (four per message, into the same two web workers) are done:
    # this times a message, not the queue behind a burst of 2,400 callbacks. The commit
    # happens between the POST's start and its 201, so the two give an upper and a lower
    # bound; the target is judged on the upper one.
    stack.twilio.wait_callbacks_done(timeout=300)
    upper, lower = [], []
    with requests.Session() as http:
        for i in range(LATENCY_SAMPLES):
            phone = f"+6281400{i:06d}"
            data = {**body, "applicant": {**body["applicant"], "phone": phone}}
            sent = time.time()
            assert http.post(f"{url}/api/v1/requests/", json=data, timeout=30).status_code == 201
            answered = time.time()
            received = stack.twilio.wait_for_messages(1, timeout=30, to=phone)[0]["received_at"]
            upper.append((received - sent) * 1000)
            lower.append(max(0.0, received - answered) * 1000)
    p95 = _p95(upper)
    rows.append(
        fact_row(
            "WhatsApp submit -> stand-in receipt (from the POST's start)",
            f"{verdict(p95 < 1000)} (p95<1 s)",
            f"from the 201: p50 {statistics.median(lower):.1f} ms, p95 {_p95(lower):.1f} ms",
            p50_ms=f"{statistics.median(upper):.1f}",
            p95_ms=f"{p95:.1f}",
        )
    )
    outbox = json.loads(stack.python("-m", "bench.prep", "outbox"))
    rows.append(
        fact_row(
            "outbox after the run",
            f"{verdict(outbox['doubled'] == 0)} (0 doubled)",
            "{messages} messages, {sent} sent, {doubled} doubled".format(**outbox),
        )
    )
    return rows
