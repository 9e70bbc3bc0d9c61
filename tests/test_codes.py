"""The settings-driven table of undocumented CAMS codes."""

from applications import codes


def test_known_codes_have_labels_and_finality():
    info = codes.describe("AuditResult", "unAudit")
    assert (info.label, info.final, info.known, info.tone) == ("Awaiting audit", False, True, "moving")
    assert codes.describe("State", "A").final


def test_a_rejection_is_final_and_shown_as_bad():
    info = codes.describe("AuditResult", "reject")
    assert info.final and info.tone == "bad"


def test_an_unknown_code_shows_as_itself_and_keeps_moving():
    info = codes.describe("State", "Zq")
    assert (info.label, info.final, info.known) == ("Zq", False, False)


def test_the_table_is_read_from_settings(settings):
    settings.CAMS_CODE_TABLE = {"State": {"X": {"label": "Exotic", "final": True, "tone": "<script>"}}}
    info = codes.describe("State", "X")
    assert (info.label, info.final, info.tone) == ("Exotic", True, "final")  # unknown tones are ignored
    assert codes.describe("State", "A").known is False


def test_settled_needs_both_state_and_audit_result_final():
    assert codes.is_final("A", "pass")
    assert not codes.is_final("A", "auditing")
    assert not codes.is_final("I", "pass")
