"""`make faults` in its short mode: each fault for a second or two under steady load, on the
package's production stack. Runs last in the package (conftest): it kills a worker on
purpose, and the other tests assert that nothing had crashed."""

import pytest

from bench.faults import FAULTS, run

pytestmark = pytest.mark.faults


def test_under_load_each_fault_loses_nothing_and_doubles_nothing(production):
    seen_before = len(production.standin.requests_seen)
    accepted_before = len(production.standin.messages)
    result = run(production, seconds=2, down=1, steady=1, log=lambda *a, **k: None)

    assert list(result["recovery"]) == list(FAULTS)  # each fault ended in a working path
    assert result["accepted"] == result["submitted"] > 20
    assert result["approvals"] > 0  # staff worked through the faults too
    counts = {k: result[k] for k in ("lost", "duplicated requests", "half-written")}
    assert counts == {"lost": 0, "duplicated requests": 0, "half-written": 0}
    messages = {k: result[k] for k in ("messages lost", "duplicated messages")}
    assert messages == {"messages lost": 0, "duplicated messages": 0}
    assert result["messages"] >= result["accepted"]  # at least "submitted" for each
    # The faults really happened: a worker was restarted, PostgreSQL refused submissions
    # (503), and the stand-in refused sends (its 5xx and 429) that were sent again later.
    assert "worker" in production.restarts
    assert result["refused while faulty"].get("503", 0) > 0
    refused_sends = (len(production.standin.requests_seen) - seen_before) - (
        len(production.standin.messages) - accepted_before
    )
    assert refused_sends > 0
