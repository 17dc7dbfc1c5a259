"""A clock the test moves by hand, for rate limits, backoff and outage durations."""


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
