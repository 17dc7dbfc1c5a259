"""Outages are said once: when a service stops answering and when it is back, not per retry;
failing feeds are polled less and less often, on a controlled clock."""

from bot.outage import OutageLog, RetrySchedule
from tests.fakes.clock import Clock


def test_an_outage_is_two_lines_however_many_retries_it_takes() -> None:
    """Five failures and a success: one line when it starts, one when it ends, with the count."""
    said: list[str] = []
    clock = Clock(100.0)
    outage = OutageLog("the Bot API", said.append, clock)
    for _ in range(5):
        outage.failed("HTTP 502")
        clock.now += 3
    outage.succeeded()
    outage.succeeded()
    assert said == [
        "the Bot API is not answering (HTTP 502); retrying with backoff",
        "the Bot API is answering again after 15 s (5 failed attempts)",
    ]
    assert not outage.down


def test_failing_source_waits_twice_as_long_after_each_failure_up_to_a_limit() -> None:
    """A feed failing pass after pass is tried after 60, 120, 240 s, then every 300 s; its
    outage is reported once, and once when it recovers, which resets the wait."""
    said: list[str] = []
    clock = Clock(100.0)
    schedule = RetrySchedule(60, 300, said.append, clock)
    feed = "https://news.example/feed.rss"
    waits = []
    for _ in range(5):
        assert schedule.due(feed)
        schedule.failed(feed, "HTTP 500 Internal Server Error")
        start = clock.now
        while not schedule.due(feed):
            clock.now += 10
        waits.append(clock.now - start)
    assert waits == [60, 120, 240, 300, 300]
    assert schedule.failing() == {feed}
    schedule.succeeded(feed)
    assert schedule.due(feed) and schedule.failing() == set()
    assert said == [
        f"{feed} is not answering (HTTP 500 Internal Server Error); retrying with backoff",
        f"{feed} is answering again after 1020 s (5 failed attempts)",
    ]
