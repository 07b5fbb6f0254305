from tests.clock import fixed_today  # noqa: F401 (autouse: acting assignments run on a fixed date)
