"""Files written inside a database transaction that exist only if it commits.

Django has no rollback hook ("Why no rollback hook?" in its transaction docs), so the
outermost block of a write that stores files is `files_follow_transaction()`: it opens
the atomic block, and each file saved inside it, however deep (a savepoint, a signal
receiver), is announced with `file_written`, which also queues an on_commit mark. Django
drops the marks of a rolled-back savepoint or transaction; when the block ends, every
announced file without its mark is deleted. No file outlives a rollback, and none is
deleted that a committed row names.

Nested blocks leave the decision to the outermost. An outermost block inside a caller's
own `transaction.atomic()` (a test's, say) decides when that one commits; should that one
roll back instead, its files stay: open the caller's block with this too.
"""

import contextlib
import logging
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass
class _Written:
    storage: object
    name: str
    committed: bool = False


_journal: ContextVar[list[_Written] | None] = ContextVar("transactional_files", default=None)


def file_written(storage, name: str) -> None:
    """Announce a file just saved under `name` inside `files_follow_transaction()`."""
    journal = _journal.get()
    if journal is None:
        raise RuntimeError(
            "a file written outside files_follow_transaction() would outlive a rollback"
        )
    entry = _Written(storage, name)
    journal.append(entry)
    transaction.on_commit(lambda: setattr(entry, "committed", True))


def _delete(entries) -> None:
    for entry in entries:
        try:
            entry.storage.delete(entry.name)
        except OSError:  # the row is gone already; a leftover file is logged, not raised
            logger.exception("could not delete %s after a rollback", entry.name)


@contextlib.contextmanager
def files_follow_transaction(using=None):
    """`transaction.atomic()` whose announced files are deleted unless it commits."""
    if _journal.get() is not None:
        with transaction.atomic(using=using):
            yield
        return
    journal: list[_Written] = []
    token = _journal.set(journal)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        _delete(journal)  # the block, or its commit, failed: nothing of it was kept
        raise
    finally:
        _journal.reset(token)

    def uncommitted():
        _delete([entry for entry in journal if not entry.committed])

    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(uncommitted, using=using)  # after the marks queued before it
    else:
        uncommitted()  # committed: the marks have run, those of rolled-back savepoints not
