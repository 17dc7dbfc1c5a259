"""The per-user rate limit the bots apply before doing any work, on a controlled clock."""

import pytest

from bot.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limit_allows_n_per_window_then_says_how_long_to_wait() -> None:
    """The third event in a 2-per-minute window waits until the first one expires."""
    clock = Clock()
    limiter = RateLimiter(2, 60.0, clock)
    assert limiter.acquire("ada") == 0.0
    clock.now += 10
    assert limiter.acquire("ada") == 0.0
    clock.now += 5
    assert limiter.acquire("ada") == pytest.approx(45.0)


def test_refused_events_do_not_extend_the_wait() -> None:
    """Hammering while limited does not push the next allowed moment further out."""
    clock = Clock()
    limiter = RateLimiter(1, 60.0, clock)
    limiter.acquire("ada")
    for _ in range(5):
        clock.now += 10
        limiter.acquire("ada")
    clock.now += 10
    assert limiter.acquire("ada") == 0.0


def test_users_are_limited_independently() -> None:
    """One user's burst never slows down another user."""
    clock = Clock()
    limiter = RateLimiter(1, 60.0, clock)
    assert limiter.acquire(1) == 0.0
    assert limiter.acquire(1) > 0
    assert limiter.acquire(2) == 0.0


def test_idle_users_are_forgotten_when_many_keys_pile_up() -> None:
    """Memory stays bounded: keys idle for a whole window are dropped."""
    clock = Clock()
    limiter = RateLimiter(1, 60.0, clock, max_keys=10)
    for user in range(11):
        limiter.acquire(user)
    clock.now += 61
    limiter.acquire("fresh")
    assert limiter.acquire(3) == 0.0
    assert len(limiter) == 2


@pytest.mark.parametrize(("limit", "window_s"), [(0, 60.0), (1, 0.0)])
def test_nonsensical_limits_are_rejected(limit: int, window_s: float) -> None:
    """A limit that could never allow anything is a configuration error, not a silent block."""
    with pytest.raises(ValueError, match="rate limit"):
        RateLimiter(limit, window_s)
