"""SESSION_ENGINE: Django's database sessions, the row read as a prepared statement.

Every signed-in page reads its session row first: through the ORM (building, compiling
and planning the lookup, then a model instance) that was a tenth of the staff queue
page's CPU (profiled on the bench stack). The same lookup is compiled once per process
and prepared once per connection (config/compiled.py); saving, expiry, `cycle_key`,
`flush` and the async path stay Django's own, and so does the row: a session written
before this store (or by Django's) is read the same. On PostgreSQL only (its rows need
none of the ORM's converters); elsewhere (development's SQLite) Django's own read.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from config.compiled import CompiledOnce


def _row(key: str):
    return db.SessionStore.get_model_class().objects.filter(session_key=key)


_ROW = CompiledOnce(
    lambda key: _row(key).values_list("session_data", "expire_date"),
    key="alur session key stand-in 3c9d",
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """Django's: the row of this key that has not expired, else none (and no key)."""
        alias = router.db_for_read(self.model)
        if connections[alias].vendor != "postgresql":  # raw rows skip the ORM's converters
            return super()._get_session_from_db()
        key = self.session_key
        found = _ROW.rows(alias, key=key) if key is not None else []
        if not found or found[0][1] <= timezone.now():  # Django's `expire_date__gt=now`
            self._session_key = None
            return None
        data, expires = found[0]
        return self.model(session_key=key, session_data=data, expire_date=expires)
