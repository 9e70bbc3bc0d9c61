"""Rules written once and followed by every caller: the code table's rejections, the destination-country
condition, column lengths, the refresh interval, the planner's interval and its lock."""

import copy
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from applications import codes
from applications.admin.search import search_applications
from applications.cams.errors import UpstreamUnavailable
from applications.coordination import coordinator
from applications.models import ReviewStatus, ViberApplication
from applications.selectors.queue import queue_filter
from applications.services.planner import PLANNER_LOCK, planner_lock_ttl, refresh_plan_and_enqueue
from applications.services.review import review_set_status
from applications.services.store import application_record_failure
from applications.views.presenters import duration_text, refresh_schedule
from tests.factories import make_application

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("direct-reviewer")
    user.user_permissions.add(Permission.objects.get(codename="review_application"))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def custom_code_table(settings):
    table = copy.deepcopy(settings.CAMS_CODE_TABLE)
    table["AuditResult"]["refused"] = {"label": "Refused", "final": True, "rejection": True}
    table["AuditResult"]["reject"] = {"label": "Rejected (old code)", "final": True}
    settings.CAMS_CODE_TABLE = table
    return table


def test_the_built_in_table_counts_only_reject_as_a_rejection():
    assert codes.is_rejection("reject")
    assert not any(codes.is_rejection(code) for code in ("pass", "auditing", "unAudit", "", None, "unknown"))


def test_resolving_needs_a_note_for_whatever_the_code_table_calls_a_rejection(custom_code_table, reviewer):
    refused = make_application(RequestNo="7000000001", AuditResult="refused")
    with pytest.raises(ValidationError) as raised:
        review_set_status(application=refused, status=ReviewStatus.RESOLVED, actor=reviewer)
    assert raised.value.code == "note_required"
    assert review_set_status(application=refused, status=ReviewStatus.RESOLVED, actor=reviewer, note="Re-applied")

    # Not a rejection in this table any more: resolved without a note.
    old_code = make_application(RequestNo="7000000002", AuditResult="reject")
    assert review_set_status(application=old_code, status=ReviewStatus.RESOLVED, actor=reviewer)


def test_the_queue_filter_and_the_admin_search_find_the_same_destination_countries():
    def stored(request_no, local, international):
        return make_application(
            RequestNo=request_no,
            audit_record={"MessageDestinationCountry": local, "MessageDestinationInternationalCountry": international},
        ).pk

    coded = stored("7100000001", ["355|AL"], ["61|es"])
    bare = stored("7100000002", ["49|DE"], ["AL"])  # a bare ISO code, as some responses carry
    stored("7100000003", ["61|ES"], ["49|DE"])
    everything = ViberApplication.objects.all()
    by_queue = set(queue_filter(filters={"country": "AL"}).values_list("pk", flat=True))
    for term in ("Albania", "alb", "ALB"):  # not "AL": the example's e-mail contains it
        by_admin = set(search_applications(everything, term, vendor=connection.vendor).values_list("pk", flat=True))
        assert by_admin == by_queue == {coded, bare}, term


def test_stored_text_and_error_codes_are_cut_to_their_model_columns():
    app = make_application(audit_record={"CompanyEnglishName": "N" * 2000, "ContactPhone": "9" * 500})
    app.refresh_from_db()
    field = ViberApplication._meta.get_field
    assert app.company_english_name == "N" * field("company_english_name").max_length
    assert app.contact_phone == "9" * field("contact_phone").max_length
    application_record_failure(application=app, error=UpstreamUnavailable("down", code="C" * 500, request_id="R" * 500))
    app.refresh_from_db()
    assert app.last_error_code == "C" * field("last_error_code").max_length
    assert app.last_error_request_id == "R" * field("last_error_request_id").max_length


def test_the_page_shows_the_interval_the_scheduler_uses(settings):
    settings.CAMS_REFRESH_MOVING_SECONDS, settings.CAMS_REFRESH_FINAL_SECONDS = 1234, 98765
    settings.CAMS_REFRESH_JITTER = 0
    seen = timezone.now()
    moving = make_application(RequestNo="7200000001", State="I", AuditResult="auditing", seen_at=seen)
    settled = make_application(RequestNo="7200000002", seen_at=seen)
    assert moving.next_refresh_at == seen + timedelta(seconds=1234)
    assert refresh_schedule(moving, seen)["interval"] == duration_text(1234)
    assert settled.next_refresh_at == seen + timedelta(seconds=98765)
    assert refresh_schedule(settled, seen)["interval"] == duration_text(98765)


def test_a_planner_that_died_holding_its_lock_does_not_block_the_next_beat(settings):
    settings.CAMS_PLANNER_INTERVAL_SECONDS = 1.0
    app = make_application()
    ViberApplication.objects.filter(pk=app.pk).update(next_refresh_at=timezone.now() - timedelta(seconds=1))
    assert coordinator().try_lock(PLANNER_LOCK, ttl=planner_lock_ttl())  # a run that never unlocks
    assert refresh_plan_and_enqueue() == 0
    time.sleep(settings.CAMS_PLANNER_INTERVAL_SECONDS)  # the next beat
    assert refresh_plan_and_enqueue() == 1


def _load_settings(tmp_path, **env):
    code = (
        "import json, config.settings as s; print(json.dumps({'schedule': "
        "s.CELERY_BEAT_SCHEDULE['plan-due-refreshes']['schedule'], "
        "'expires': s.CELERY_BEAT_SCHEDULE['plan-due-refreshes']['options']['expires'], "
        "'interval': s.CAMS_PLANNER_INTERVAL_SECONDS}))"
    )
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CAMS_", "VIBER_REVIEW_", "CELERY_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, "VIBER_REVIEW_VAR_DIR": str(tmp_path / "var"), **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_production_settings_create_no_directories_and_read_the_planner_interval_once(tmp_path):
    output = _load_settings(
        tmp_path,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_ALLOWED_HOSTS="example.org",
        REDIS_URL="redis://127.0.0.1:6379/3",
        CAMS_PLANNER_INTERVAL_SECONDS="120",
    )
    assert '"schedule": 120.0, "expires": 120.0, "interval": 120.0' in output
    assert not (tmp_path / "var").exists()


def test_local_settings_make_their_state_directory(tmp_path):
    _load_settings(tmp_path, DJANGO_ENV="local")
    assert (tmp_path / "var" / "secret_key").exists()
    assert (
        django_settings.CAMS_PLANNER_INTERVAL_SECONDS
        == django_settings.CELERY_BEAT_SCHEDULE["plan-due-refreshes"]["schedule"]
    )
