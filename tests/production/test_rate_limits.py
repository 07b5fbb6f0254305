"""Rate limits key on the real client address behind nginx, not on a forged header."""

import secrets


def test_a_forged_x_forwarded_for_does_not_escape_the_track_limit(production):
    session = production.session()
    number = "KJB-2026-00001"  # the limit applies before the lookup itself
    statuses = []
    # TRACK_RATE_LIMIT is 60 a minute per client address, in fixed one-minute windows: a
    # run that straddles a window's end is refused within the next 60. With the forged
    # header trusted, every request would have its own address and none would be refused.
    for _ in range(121):
        forged = ".".join(str(secrets.randbelow(256)) for _ in range(4))
        response = session.get(
            production.url(f"/api/v1/track/{number}/"),
            headers={"X-Forwarded-For": forged},
            timeout=30,
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert int(response.headers["Retry-After"]) >= 1
            break
    assert statuses[-1] == 429, statuses
    assert set(statuses[:-1]) <= {400, 404}, statuses
