"""WhatsApp delivery alone, measured as `make bench` measures it (bench/delivery.py's
`_drain`: the rate between the first and the last arrival at the stand-in, the workers'
CPU over the same span), without seeding a catalogue or running the other rounds:

    python -m bench.whatsapp                 # backlogs of 600 at concurrency 1, then 4
    BACKLOG=300 CONCURRENCY=1,1,4 python -m bench.whatsapp
    TWILIO_SEND_RATE=100000 python -m bench.whatsapp   # the worker's own ceiling

The backlog is queued straight into the outbox (`bench.prep queue`: rows as a receipt
writes them, each dispatched) with no worker running. gunicorn runs, so the stand-in's
status callbacks load the machine as in the bench (CALLBACKS=0: none are posted).
"""

import json
import os

from bench.delivery import _drain
from bench.stack import Stack


def main() -> None:
    backlog = int(os.environ.get("BACKLOG", "600"))
    rounds = [int(c) for c in os.environ.get("CONCURRENCY", "1,4").split(",")]
    stack = Stack()
    try:
        stack.start_servers()
        stack.fresh_schema()
        if os.environ.get("CALLBACKS", "1") == "1":
            stack.start_web()
        else:
            stack.twilio.callback_mode = "none"
        for n, concurrency in enumerate(rounds):
            stack.python("-m", "bench.prep", "queue", str(backlog), str(n))
            have = len(stack.twilio.messages)
            rate, cpu_ms, _ = _drain(stack, ["worker"], concurrency, have, backlog)
            stack.stop("worker")
            figures = {"concurrency": concurrency, "backlog": backlog}
            print(json.dumps({**figures, "per_s": round(rate, 1), "cpu_ms": round(cpu_ms, 2)}))
        print(json.dumps({"load_average": os.getloadavg()}))
    finally:
        stack.close()


if __name__ == "__main__":
    main()
