"""Run every bench module against a throw-away PostgreSQL and print one table."""

import importlib
import os
import pkgutil
import sys
import tempfile
import time


def _table(rows):
    headers = ["measure", "n", "median_ms", "p95_ms", "per_s", "note"]

    def fmt(value):
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:,.1f}"
        return str(value)

    cells = [[fmt(r.get(h)) for h in headers] for r in rows]
    widths = [
        max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    for c in cells:
        lines.append(" | ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)))
    return "\n".join(lines)


def main() -> int:
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="alur-bench-media-"))
    # Rate limits would measure the limiter, not the system.
    for name in ("TRACK_RATE_LIMIT", "SUBMIT_RATE_LIMIT", "TOKEN_RATE_LIMIT"):
        os.environ[name] = "10000000/min"
    os.environ.pop("REDIS_URL", None)
    from tests.servers import PostgresServer

    server = None
    if not os.environ.get("BENCH_DATABASE_URL"):
        server = PostgresServer()
        server.start()
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or server.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        import django

        django.setup()
        import logging

        logging.getLogger("django.request").setLevel(logging.ERROR)
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f}s", flush=True)
        rows = []
        package = os.path.dirname(__file__)
        for info in sorted(pkgutil.iter_modules([package]), key=lambda m: m.name):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"bench.{info.name}")
            if not callable(getattr(module, "run", None)):
                continue
            started = time.perf_counter()
            print(f"bench.{info.name} ...", flush=True)
            rows.extend(module.run() or [])
            print(f"bench.{info.name} done in {time.perf_counter() - started:.1f}s", flush=True)
        print()
        print(_table(rows))
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
