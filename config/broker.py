"""kombu's Redis transport, with one client for its acknowledgement bookkeeping.

With acks_late the worker's main process records each task it takes and removes it
when acknowledged (kombu's ack emulation: the unacked hash a dead worker's tasks are
restored from). kombu builds a new `redis.Redis` for each of those writes, and
redis-py's constructor (~170 response callbacks) was the largest share of the main
process's CPU per WhatsApp message (profiled, #11). Here a channel keeps one client
per connection pool (a client holds no state of its own: each command and pipeline
takes a connection from the pool); everything else is kombu's.
`settings.CELERY_BROKER_TRANSPORT` names this class when the broker is Redis.
"""

from contextlib import contextmanager

from kombu.transport import redis


class Channel(redis.Channel):
    _pool_client = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool = self.pool  # a new one after a disconnect: then a new client too
        if self._pool_client is None or self._pool_client.connection_pool is not pool:
            self._pool_client = self._create_client()
        yield self._pool_client


class Transport(redis.Transport):
    Channel = Channel
