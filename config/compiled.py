"""Querysets compiled by the ORM once per process and database.

Building and compiling a query with subqueries costs milliseconds of Python on every
request (profiled on the bench stack: the staff queue's reach, the dashboard link's
"heads an office" check); only a user id and a day change between requests. The query
is built once with stand-in values, compiled, and each run puts the caller's values in
place of the stand-ins. It runs as a prepared statement (`config.prepared.execute`):
PostgreSQL plans it for its first runs on a connection only (planning these queries
cost more of PostgreSQL's time than running them, profiled).
"""

import datetime

from django.db import connections

from config import prepared

# Stand-ins are ints and dates: any other int or date parameter of the compiled query (a
# constant) would be mistaken for one, so `sql` refuses such a query. A string stand-in
# (a key) must be one parameter of the query exactly; other strings stay constants.
_STAND_IN_TYPES = (int, datetime.date)


def _stand_in(param) -> bool:
    return type(param) in _STAND_IN_TYPES


class CompiledOnce:
    """`build(**stand_ins)`'s SQL, compiled on first use per database alias."""

    def __init__(self, build, **stand_ins):
        self._build = build
        self._stand_ins = stand_ins
        self._texts = {v for v in stand_ins.values() if type(v) is str}
        self._compiled: dict[str, tuple[str, tuple]] = {}

    def sql(self, alias: str) -> tuple[str, tuple]:
        if alias not in self._compiled:
            query = self._build(**self._stand_ins).query
            sql, params = query.get_compiler(using=alias).as_sql()
            found = {p for p in params if _stand_in(p)}
            if found != set(self._stand_ins.values()) - self._texts:
                raise RuntimeError(f"unexpected int or date parameters in {sql}: {params}")
            if any(list(params).count(text) != 1 for text in self._texts):
                raise RuntimeError(f"a string stand-in is not one parameter of {sql}")
            self._compiled[alias] = (sql, tuple(params))
        return self._compiled[alias]

    def _value(self, param, swap):
        if _stand_in(param):
            return swap.get(param, param)
        if type(param) is str and param in self._texts:
            if not isinstance(swap[param], str):
                raise TypeError(f"a string for {param!r}, got {swap[param]!r}")
            return prepared.Varying(swap[param])
        return param

    def rows(self, alias: str, **values) -> list[tuple]:
        """The query's rows with `values` (by stand-in name) in place of the stand-ins."""
        if set(values) != set(self._stand_ins):
            raise TypeError(f"give {sorted(self._stand_ins)}, got {sorted(values)}")
        sql, params = self.sql(alias)
        swap = {self._stand_ins[name]: value for name, value in values.items()}
        with connections[alias].cursor() as cursor:
            if self._texts:
                values = [self._value(p, swap) for p in params]
            else:
                values = [swap.get(p, p) if _stand_in(p) else p for p in params]
            prepared.execute(alias, cursor, sql, values)
            return cursor.fetchall()
