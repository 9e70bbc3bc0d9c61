"""Records that change over time, so a dashboard refresh has something to notice.

A still-moving application follows a fixed path (unAudit -> auditing -> pass/reject, State I ->
A/P/stop, State R -> A). How far along it is depends only on the time elapsed since the store
started (one step per ``evolve_seconds``) plus any manual advances, so the same inputs always
give the same record. The outcome (pass or reject) is derived from the request number.
"""

import threading
import time
import zlib

from .dataset import Dataset

REJECT_REASON = "Viber review: the business licence could not be verified."


def _path(data: dict) -> list[dict]:
    """Successive ``{field: value}`` changes for one record; empty when it is settled."""
    audit, state, request_type = data.get("AuditResult"), data.get("State"), data.get("RequestType")
    number = data.get("RequestNo", "")
    steps = []
    if audit == "unAudit":
        steps.append({"AuditResult": "auditing"})
        audit = "auditing"
    if audit == "auditing":
        # About one in four is rejected; crc32 keeps the choice stable across runs and builds.
        if zlib.crc32(number.encode()) % 4 == 0:
            steps.append(
                {
                    "AuditResult": "reject",
                    "State": "stop" if request_type == "viberOpen" else "A",
                    "Reason": REJECT_REASON,
                }
            )
            return steps
        after = {"viberSuspend": "P", "viberRecover": "R"}.get(request_type, "A")
        steps.append(
            {
                "AuditResult": "pass",
                "State": after,
                "Reason": "",
                "MaapServiceNo": data.get("MaapServiceNo") or str(100000 + zlib.crc32(number.encode()) % 900000),
            }
        )
        state = after
    if state == "R":
        steps.append({"State": "A"})
    return steps


class RecordStore:
    """The data set as the server sees it: lookups apply the customer-space rule and evolution."""

    def __init__(self, dataset: Dataset, evolve_seconds: float | None = None, clock=time.time):
        self.dataset = dataset
        self.evolve_seconds = evolve_seconds if evolve_seconds and evolve_seconds > 0 else None
        self.clock = clock
        self.started = clock()
        self._manual: dict[str, int] = {}
        self._manual_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def lookup(self, request_no: str, cust_space_id: str | None) -> dict | None:
        """Data for ``request_no`` as of now, or None when unknown or in another customer space.

        Records with no space are found with or without a CustSpaceId; a record in a space is
        found only when asked for with that space (an ISV sees its sub-customer only by id)."""
        found = self.dataset.get(request_no)
        if found is None:
            return None
        data, space = found
        if space and space != (cust_space_id or ""):
            return None
        return self._evolve(data)

    def advance(self, request_no: str, steps: int = 1) -> bool:
        """Move one record ``steps`` further along its path (control endpoint, tests)."""
        if request_no not in self.dataset:
            return False
        with self._lock:
            self._manual[request_no] = self._manual.get(request_no, 0) + steps
            self._manual_at[request_no] = self.clock()
        return True

    def reset(self):
        with self._lock:
            self._manual.clear()
            self._manual_at.clear()
            self.started = self.clock()

    def _evolve(self, data: dict) -> dict:
        path = _path(data)
        if not path:
            return data
        now = self.clock()
        auto = int((now - self.started) // self.evolve_seconds) if self.evolve_seconds else 0
        number = data.get("RequestNo", "")
        with self._lock:
            manual, manual_at = self._manual.get(number, 0), self._manual_at.get(number)
        taken = min(auto + manual, len(path))
        if taken == 0:
            return data
        for change in path[:taken]:
            data.update(change)
        # When the last step happened: the later of the automatic tick and the manual advance.
        auto_at = self.started + min(auto, taken) * self.evolve_seconds if auto else 0
        changed_ms = str(int(max(auto_at, manual_at or 0) * 1000))
        data["GmtModifier"] = changed_ms
        data["Modifier"] = "0"
        if data.get("AuditResult") in ("pass", "reject"):
            data["AuditTime"] = data.get("AuditTime") or changed_ms
        return data
