"""What a single-flight lock tells its caller: lead the work, or use what the leader just did."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Flight:
    """``leader``: the caller holds the lock and does the work.

    Otherwise ``leader_since`` is when the leader the caller waited for took the lock (epoch
    seconds, the leader's clock), and that leader has finished: anything it stored is stamped at
    or after that moment, so the caller compares against it rather than against its own start
    (a caller that arrives while the leader is writing must still accept the leader's result).
    ``leader_since`` is None when the wait timed out.
    """

    leader: bool
    leader_since: float | None = None

    @property
    def timed_out(self) -> bool:
        return not self.leader and self.leader_since is None
