"""Point the test process's Celery app at a real broker (and back)."""

import contextlib


def reset_producer_pool(app) -> None:
    """Forget connections made for the previous broker_url."""
    from kombu import pools

    # kombu keeps process-wide pools keyed by broker URL: closing only ours left a closed
    # pool registered for that URL, and the next dispatch to it (e.g. back on memory://
    # after a test) failed with "Acquire on closed pool". reset() closes and forgets them.
    with contextlib.suppress(Exception):  # best effort on a dead broker
        pools.reset()
    app._pool = None
    amqp = app.amqp
    amqp._producer_pool = None
    amqp.__dict__.pop("producer_pool", None)


class use_broker:  # noqa: N801 - used like a function
    """with use_broker(app, url): dispatch from this process goes to `url`, not eagerly."""

    def __init__(self, app, url: str):
        self.app = app
        self.url = url

    def __enter__(self):
        self.old = (self.app.conf.task_always_eager, self.app.conf.broker_url)
        self.app.conf.update(task_always_eager=False, broker_url=self.url)
        reset_producer_pool(self.app)
        return self.app

    def __exit__(self, *exc):
        eager, url = self.old
        self.app.conf.update(task_always_eager=eager, broker_url=url)
        reset_producer_pool(self.app)
