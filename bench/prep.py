"""Small reads and writes the bench needs from the database, run as a subprocess with
the stack's environment (so it talks to the same PostgreSQL with the same settings).

    python -m bench.prep numbers 20000        registration numbers, one a line
    python -m bench.prep session USERNAME     a logged-in session key for that user
    python -m bench.prep tasks USERNAME N     ids of open, unclaimed tasks USERNAME may work
    python -m bench.prep service-codes        the JSON-only and the one-PDF bench services
    python -m bench.prep outbox               {"messages", "sent", "doubled"} of the run
    python -m bench.prep queue N TAG          N receipts queued and handed to the broker
"""

import json
import os
import sys

import django


def numbers(n: int) -> None:
    from workflow.models import ServiceRequest

    rows = ServiceRequest.objects.order_by("?").values_list("registration_number", flat=True)
    print("\n".join(rows[:n]))


def session(username: str) -> None:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user = get_user_model().objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend that signs users in (the first one only counts failed logins for axes).
    store[BACKEND_SESSION_KEY] = "accounts.backends.UserBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    print(store.session_key)


def tasks(username: str, n: int) -> None:
    from django.contrib.auth import get_user_model

    from workflow.selectors import tasks_for_user

    user = get_user_model().objects.get(username=username)
    queue = tasks_for_user(user, scope="queue").filter(step__order=1, step__produces_result=False)
    print("\n".join(str(pk) for pk in queue.values_list("pk", flat=True)[:n]))


def service_codes() -> None:
    from services_catalog.models import ServiceType

    plain = ServiceType.objects.filter(code="bench-json").values_list("code", flat=True).first()
    print(json.dumps({"json": plain, "pdf": "bench-pdf"}))


def outbox() -> None:
    from django.db.models import Count

    from notifications.models import Message

    # The run's own messages: those after the seeded outbox (bench/__main__.py sets it).
    mine = Message.objects.filter(pk__gt=int(os.environ.get("BENCH_SEEDED_MESSAGES_UP_TO", "0")))
    doubled = mine.values("event_id", "recipient").annotate(n=Count("id")).filter(n__gt=1).count()
    print(
        json.dumps(
            {
                "messages": mine.count(),
                "sent": mine.exclude(provider_sid=None).count(),
                "doubled": doubled,
            }
        )
    )


def queue(n: int, tag: str) -> None:
    """N outbox rows as a receipt writes them, each dispatched (bench/whatsapp.py)."""
    from notifications.models import Message, MessageKind
    from notifications.services import message_dispatch

    rows = Message.objects.bulk_create(
        Message(
            kind=MessageKind.SUBMITTED,
            recipient=f"+62815{tag[-3:]:0>3}{i:06d}",
            body=f"Permohonan KJB-2026-{i:05d} diterima. Lacak: https://alur.example/t/{i}",
            idempotency_key=f"bench:queue:{tag}:{i}",
        )
        for i in range(n)
    )
    for message in rows:
        message_dispatch(message_id=message.pk)
    print(len(rows))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    command, *args = sys.argv[1:]
    {
        "numbers": lambda: numbers(int(args[0])),
        "session": lambda: session(args[0]),
        "tasks": lambda: tasks(args[0], int(args[1])),
        "service-codes": service_codes,
        "outbox": outbox,
        "queue": lambda: queue(int(args[0]), args[1]),
    }[command]()
