"""The per-user rate limit every chat front end applies before doing any work, on a controlled
clock, and the one reply it gives."""

import pytest

from bot.ratelimit import QuestionLimit, RateLimiter
from bot.replies import slow_down
from tests.fakes.clock import Clock


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


@pytest.mark.parametrize(("wait_s", "shown"), [(0.2, "1 s"), (1.0, "1 s"), (59.01, "60 s")])
def test_slow_down_rounds_the_wait_up(wait_s: float, shown: str) -> None:
    """The user is never told to retry before the limit has actually passed."""
    assert slow_down(wait_s) == f"Slow down, please: try again in {shown}."


def test_question_limit_refuses_politely_in_the_questions_language() -> None:
    """Past the limit the reply says how long to wait, in German for a German question."""
    clock = Clock()
    limit = QuestionLimit(1, clock)
    assert limit.refusal("ada", "Who bought Sky?") is None
    clock.now += 30
    assert limit.refusal("ada", "Wer hat Sky gekauft und warum?") == (
        "Bitte etwas langsamer: Versuchen Sie es in 30 s noch einmal."
    )
    assert limit.refusal("bob", "Who bought Sky?") is None
