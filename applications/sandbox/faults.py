"""Fault injection for the CAMS simulator: latency, 5xx, throttling, a QPS limit, malformed bodies.

Each knob mirrors something the real gateway does (docs/cams-api-facts.md §3): ``Throttling.User`` with HTTP 400
and no ``x-acs-retry-after`` header, ``ServiceUnavailable``/``InternalError`` JSON bodies, and
the failures an intermediary produces (an HTML 502 page, a cut-off body). Random choices come
from one seeded generator so a seeded run injects the same faults in the same order.
"""

import random
import threading
import time
from dataclasses import asdict, dataclass, fields

MALFORMED_KINDS = ("html502", "truncated", "data-string")


@dataclass
class FaultConfig:
    latency_ms: int = 0
    error_rate: float = 0.0  # share of calls answered 500/503
    throttle_rate: float = 0.0  # share of calls answered Throttling.User
    max_qps: float = 0.0  # 0 = unlimited; otherwise a token bucket like the gateway's
    malformed_rate: float = 0.0  # share of successful answers corrupted
    malformed_kind: str = ""  # one of MALFORMED_KINDS, or "" to rotate through them
    # Answer authenticated calls with this error code instead (responses.ERRORS, or any code,
    # answered HTTP 400); ``error_code_calls`` limits it to the next N calls (0 = every call).
    error_code: str = ""
    error_code_calls: int = 0
    # Error bodies without a RequestId, as some gateways and proxies send them.
    omit_request_id: bool = False
    seed: int | None = None

    def __post_init__(self):
        self.validate()

    def validate(self):
        for name in ("error_rate", "throttle_rate", "malformed_rate"):
            value = float(getattr(self, name))
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
            setattr(self, name, value)
        self.latency_ms = int(self.latency_ms)
        self.error_code = str(self.error_code or "")
        self.error_code_calls = int(self.error_code_calls)
        self.omit_request_id = bool(self.omit_request_id)
        if self.error_code_calls < 0:
            raise ValueError("error_code_calls must not be negative")
        self.max_qps = float(self.max_qps)
        if self.latency_ms < 0 or self.max_qps < 0:
            raise ValueError("latency_ms and max_qps must not be negative")
        if self.malformed_kind and self.malformed_kind not in MALFORMED_KINDS:
            raise ValueError(f"malformed_kind must be one of {MALFORMED_KINDS}")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def as_dict(self) -> dict:
        return asdict(self)


class TokenBucket:
    """Allows ``rate`` calls per second on average with bursts up to ``capacity``."""

    def __init__(self, rate: float, capacity: float | None = None, clock=time.monotonic):
        self.rate = rate
        self.capacity = capacity if capacity is not None else max(1.0, rate)
        self.clock = clock
        self.tokens = self.capacity
        self.updated = clock()
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1.0:
                self.tokens -= 1.0
                return True
            return False


class FaultInjector:
    """Decides, per call, which fault (if any) applies. Thread-safe; reconfigurable at run time."""

    def __init__(self, config: FaultConfig | None = None):
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig):
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)
            self._bucket = TokenBucket(config.max_qps) if config.max_qps > 0 else None
            self._malformed_turn = 0
            self._error_code_left = config.error_code_calls

    def update(self, **changes) -> FaultConfig:
        """Change some knobs, keep the others (the control endpoint's ``POST /_sim/faults``)."""
        unknown = set(changes) - set(FaultConfig.names())
        if unknown:
            raise ValueError(f"unknown fault option(s): {', '.join(sorted(unknown))}")
        merged = {**self.config.as_dict(), **changes}
        config = FaultConfig(**merged)
        self.configure(config)
        return config

    def latency_seconds(self) -> float:
        return self.config.latency_ms / 1000.0

    def over_quota(self) -> bool:
        bucket = self._bucket
        return bucket is not None and not bucket.take()

    def _roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate

    def throttled(self) -> bool:
        return self._roll(self.config.throttle_rate)

    def server_error(self) -> str | None:
        """``"InternalError"`` or ``"ServiceUnavailable"`` when a 5xx is due."""
        if not self._roll(self.config.error_rate):
            return None
        with self._lock:
            return self._rng.choice(("ServiceUnavailable", "InternalError"))

    def forced_error(self) -> str | None:
        """The configured ``error_code`` while it still applies, else None."""
        if not self.config.error_code:
            return None
        with self._lock:
            if self.config.error_code_calls:
                if self._error_code_left <= 0:
                    return None
                self._error_code_left -= 1
            return self.config.error_code

    def malformed(self) -> str | None:
        """Which corruption to apply to a successful answer, if any."""
        if not self._roll(self.config.malformed_rate):
            return None
        if self.config.malformed_kind:
            return self.config.malformed_kind
        with self._lock:
            kind = MALFORMED_KINDS[self._malformed_turn % len(MALFORMED_KINDS)]
            self._malformed_turn += 1
        return kind
