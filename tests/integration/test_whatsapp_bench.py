"""Delivery measurements: throughput to the Twilio stand-in with one worker, and
transition-commit -> stand-in receipt latency. Figures are printed (pytest -s) and, with
ALUR_BENCH_OUT set, written there as JSON.

In `make test` it checks that a batch committed at once is delivered, each message exactly
once, with 100 messages and 10 latency samples (creating the requests was most of its
three minutes at 300); the README's figures come from
`ALUR_BENCH_MESSAGES=300 ALUR_BENCH_LATENCY_SAMPLES=30 pytest -s` on this file."""

import json
import os
import statistics
import time

import pytest
from django.db import transaction

from notifications.models import Message
from tests import factories
from tests.integration.whatsapp_stack import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

MESSAGES = int(os.environ.get("ALUR_BENCH_MESSAGES", "100"))
LATENCY_SAMPLES = int(os.environ.get("ALUR_BENCH_LATENCY_SAMPLES", "10"))


@pytest.fixture
def service(db):
    service = factories.ServiceTypeFactory(name="Legalisir Ijazah")
    factories.FormFieldFactory(service=service, code="nama", label="Nama")
    factories.StepFactory(service=service, order=1, name="Verifikasi berkas")
    return service


def submit(service, n):
    return factories.submit_request(
        service,
        data={"nama": f"Warga {n}"},
        applicant={"name": "A", "phone": f"0812345{n:05d}"},
    )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def test_delivery_throughput_and_latency(stack, service):
    stack.standin.callback_mode = "none"  # measure sending, not our webhook
    stack.start_worker(LOG_LEVEL="WARNING")

    # Latency: one transition at a time, commit -> the stand-in has the message.
    latencies = []
    for n in range(LATENCY_SAMPLES):
        committed = []
        with transaction.atomic():
            transaction.on_commit(lambda c=committed: c.append(time.time()))
            submit(service, n)
        received = stack.standin.wait_for_messages(n + 1, timeout=30)[n]
        latencies.append(received["received_at"] - committed[0])

    # Throughput: MESSAGES transitions committed at once, drained by one worker.
    before = len(stack.standin.messages)
    with transaction.atomic():
        for n in range(MESSAGES):
            submit(service, 1000 + n)
        committed = []
        transaction.on_commit(lambda: committed.append(time.time()))
    received = stack.standin.wait_for_messages(before + MESSAGES, timeout=300)[before:]
    first, last = received[0]["received_at"], received[-1]["received_at"]
    drain = last - committed[0]
    wait_until(
        lambda: not Message.objects.exclude(status="sent").exists(), timeout=60, what="all sent"
    )
    assert len(stack.standin.messages) == before + MESSAGES

    figures = {
        "messages": MESSAGES,
        "throughput_per_s": round(MESSAGES / drain, 1),
        "worker_rate_per_s": round((MESSAGES - 1) / (last - first), 1) if last > first else None,
        "latency_samples": LATENCY_SAMPLES,
        "latency_median_ms": round(statistics.median(latencies) * 1000, 1),
        "latency_p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
    }
    print(
        f"\nWhatsApp delivery, one worker (solo pool) to the Twilio stand-in: "
        f"{MESSAGES} messages in {drain:.2f}s from commit = {figures['throughput_per_s']} msg/s "
        f"(worker rate {figures['worker_rate_per_s']} msg/s); "
        f"commit -> stand-in latency over {LATENCY_SAMPLES} transitions: "
        f"median {figures['latency_median_ms']} ms, p95 {figures['latency_p95_ms']} ms"
    )
    if os.environ.get("ALUR_BENCH_OUT"):
        with open(os.environ["ALUR_BENCH_OUT"], "w") as out:
            json.dump(figures, out)
