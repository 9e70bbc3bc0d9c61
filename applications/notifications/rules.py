"""Does a rule fire for a change? Pure, so the matching is tested without a database."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleSpec:
    field: str  # "state" or "audit_result"
    values: tuple[str, ...] = ()  # codes the field must become; empty = any change of the field
    cust_space_id: str = ""  # "" = any customer space
    request_type: str = ""  # "" = any request type


def rule_matches(rule: RuleSpec, *, field: str, new_value: str, cust_space_id: str, request_type: str) -> bool:
    if rule.field != field:
        return False
    if rule.values and new_value not in rule.values:
        return False
    if rule.cust_space_id and rule.cust_space_id != cust_space_id:
        return False
    return not rule.request_type or rule.request_type == request_type


def parse_values(text: str) -> list[str]:
    """ "pass, reject" -> ["pass", "reject"] (order kept, duplicates dropped)."""
    seen = []
    for item in text.replace("\n", ",").split(","):
        item = item.strip()
        if item and item not in seen:
            seen.append(item)
    return seen
