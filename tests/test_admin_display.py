"""The admin's list reads like the app: labels with codes, ISO times, branding, a favicon."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_the_changelist_shows_labels_iso_times_and_the_app_name(admin_client, soup_of, text_of):
    created = datetime(2025, 8, 29, 9, 30, tzinfo=UTC)
    make_application(RequestNo="7100000001", RequestType="viberRecover", GmtCreate=str(int(created.timestamp() * 1000)))
    page = soup_of(admin_client.get(reverse("admin:applications_viberapplication_changelist")))
    row = page.select_one("#result_list tbody tr")
    assert text_of(row.select_one("td.field-request_type_display")) == "Recover viberRecover"
    assert text_of(row.select_one("td.field-created_display")) == "2025-08-29 09:30"
    assert text_of(page.select_one("th.column-created_display")) == "Created (UTC)"  # the zone, once
    assert len(page.select("#result_list thead th")) <= 10  # checkbox + nine columns
    assert "Viber Review" in text_of(page.select_one("#site-name"))
    assert page.select_one('link[rel="icon"]')


def test_favicon_ico_is_served_without_logging_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")


def test_a_code_table_file_extends_the_built_in_labels(tmp_path, monkeypatch):
    import importlib
    import json

    table = {"IndustryInvolved": {"spaceTravel": {"label": "Space travel"}}, "State": {"A": {"label": "Live"}}}
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(table))
    monkeypatch.setenv("CAMS_CODE_TABLE_FILE", str(path))
    import config.settings as settings_module

    try:
        reloaded = importlib.reload(settings_module)
        assert reloaded.CAMS_CODE_TABLE["IndustryInvolved"]["spaceTravel"]["label"] == "Space travel"
        assert reloaded.CAMS_CODE_TABLE["IndustryInvolved"]["cateringServices"]["label"] == "Catering services"
        assert reloaded.CAMS_CODE_TABLE["State"]["A"] == {"label": "Live"}  # replaced code by code
        assert reloaded.CAMS_CODE_TABLE["State"]["I"]["label"] == "In review"  # the rest kept
    finally:
        monkeypatch.delenv("CAMS_CODE_TABLE_FILE")
        importlib.reload(settings_module)
