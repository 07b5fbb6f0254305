"""Liveness and readiness (CONTRACT.md section 6), on django-health-check's checks.

`/healthz/`: the process serves. `/readyz/`: the database answers, every migration is
applied and Redis (when configured) answers; otherwise 503 naming what is down. Neither
needs a login, is rate limited or shows more than "ok"/"down" per check.
"""

import asyncio
import dataclasses

from django import db
from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of the code that runs is applied to the database."""

    alias: str = "default"
    # Once everything is applied it stays so for this process's code: checked once.
    _applied = False

    def run(self):
        if Migrations._applied:
            return
        connection = connections[self.alias]
        try:
            with connection.temporary_connection():
                executor = MigrationExecutor(connection)
                plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except db.Error as exc:
            raise ServiceUnavailable("database unavailable") from exc
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migrations not applied")
        Migrations._applied = True


def _redis_client():
    from redis.asyncio import Redis as AsyncRedis

    return AsyncRedis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def healthz(request):
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


class ReadinessView(HealthCheckView):
    """200 {"status": "ok", "checks": {...}} or 503 {"status": "unavailable", "down": [...]}."""

    def named_checks(self):
        checks = [("database", Database()), ("migrations", Migrations())]
        if settings.REDIS_URL:
            checks.append(("redis", Redis(client_factory=_redis_client)))
        return checks

    async def get(self, request, *args, **kwargs):
        named = self.named_checks()
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for _, check in named))
        checks = {
            name: "down" if result.error else "ok"
            for (name, _), result in zip(named, results, strict=True)
        }
        down = [name for name, state in checks.items() if state == "down"]
        body = {"status": "unavailable" if down else "ok", "checks": checks}
        if down:
            body["down"] = down
        return JsonResponse(body, status=503 if down else 200)
