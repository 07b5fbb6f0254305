"""A plain Django view's "how long must this client wait" is one function,
config.ratelimit.seconds_to_wait, used by the portal's 429 page, letter verification and
complaints alike (counted per client address on the suite's Redis)."""

from django.test import RequestFactory

from config.ratelimit import seconds_to_wait
from documents.throttles import verify_throttle_check
from feedback.throttles import complaint_throttle_check


def _from(address):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_the_limit_counts_per_address_and_says_whole_seconds(settings):
    settings.PROBE_RATE_LIMIT = "2/min"
    here, there = _from("10.0.0.1"), _from("10.0.0.2")
    assert [seconds_to_wait("probe", here) for _ in range(2)] == [None, None]
    wait = seconds_to_wait("probe", here)
    assert isinstance(wait, int) and 1 <= wait <= 60
    assert seconds_to_wait("probe", there) is None
    assert seconds_to_wait("probe", here, ident="user:7") is None  # its own count


def test_verification_and_complaints_use_it(settings):
    settings.VERIFY_RATE_LIMIT = "1/min"
    settings.COMPLAINT_RATE_LIMIT = "1/min"
    request = _from("10.0.0.3")
    assert verify_throttle_check(request) is None
    assert verify_throttle_check(request) is not None
    assert complaint_throttle_check(request) is None
    assert complaint_throttle_check(request) is not None
