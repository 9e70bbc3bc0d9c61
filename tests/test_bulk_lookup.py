"""Bulk lookup: parsing the pasted list, outcomes per number, and end to end with a real worker."""

import time

import pytest
from django.urls import reverse

from applications.benchmarks.worker_processes import celery_worker
from applications.forms.bulk import BULK_MAX, BulkLookupForm
from applications.models import BulkLookup, BulkLookupItem
from applications.services.bulk_lookup import bulk_lookup_progress, bulk_lookup_run_chunk


def numbers_without_space(simulator, count):
    dataset = simulator.simulator.store.dataset
    return [number for number in dataset.request_numbers() if not dataset.get(number)[1]][:count]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("111\n222\n333", ["111", "222", "333"]),
        ("111, 222 ,333;444", ["111", "222", "333", "444"]),
        ("  111\r\n\r\n111 222\t", ["111", "222"]),
    ],
)
def test_pasted_numbers_split_on_lines_commas_and_spaces(text, expected):
    form = BulkLookupForm({"numbers": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["numbers"] == expected


def test_more_than_500_numbers_or_only_junk_is_refused():
    assert not BulkLookupForm({"numbers": " ".join(str(n) for n in range(BULK_MAX + 1))}).is_valid()
    assert BulkLookupForm({"numbers": " ".join(str(n) for n in range(BULK_MAX))}).is_valid()
    form = BulkLookupForm({"numbers": "<script>\n.."})
    assert not form.is_valid() and "line 1: '<script>'" in form.errors["numbers"][0]


@pytest.mark.django_db
def test_each_number_gets_found_not_found_or_failed(live_cams):
    known = numbers_without_space(live_cams, 2)
    bulk = BulkLookup.objects.create(total=3)
    items = [
        BulkLookupItem.objects.create(bulk=bulk, position=i, request_no=n)
        for i, n in enumerate([*known[:1], "404404404404"])
    ]
    assert bulk_lookup_run_chunk(bulk_id=bulk.pk, item_ids=[item.pk for item in items]) == 2
    live_cams.set_faults(error_rate=1.0)
    failing = BulkLookupItem.objects.create(bulk=bulk, position=2, request_no=known[1])
    bulk_lookup_run_chunk(bulk_id=bulk.pk, item_ids=[failing.pk])
    outcomes = dict(bulk.items.values_list("request_no", "outcome"))
    assert outcomes == {known[0]: "found", "404404404404": "not_found", known[1]: "failed"}
    assert bulk.items.get(request_no=known[0]).application.request_no == known[0]
    bulk.refresh_from_db()
    assert bulk.status == "done"
    assert bulk_lookup_progress(bulk=bulk) == {
        "total": 3,
        "finished": 3,
        "percent": 100,
        "found": 1,
        "not_found": 1,
        "failed": 1,
        "invalid": 0,
        "pending": 0,
        "done": True,
    }
    # A redelivered chunk changes nothing.
    assert bulk_lookup_run_chunk(bulk_id=bulk.pk, item_ids=[item.pk for item in items]) == 0


@pytest.mark.django_db(transaction=True)
def test_a_bulk_lookup_runs_on_a_real_worker_with_live_progress(client, live_cams, worker_env, reviewer, soup_of):
    env = {**worker_env, "CAMS_MAX_QPS": 200}
    client.force_login(reviewer)
    known = numbers_without_space(live_cams, 30)
    pasted = "\n".join(known[:15]) + "\n" + ", ".join(known[15:]) + " 404000000001 404000000002"
    with celery_worker(env, name="bulk", concurrency=4):
        response = client.post(reverse("applications:bulk-new"), {"numbers": pasted})
        assert response.status_code == 302
        bulk = BulkLookup.objects.get()
        assert bulk.total == 32
        progress_url = reverse("applications:bulk-progress", args=[bulk.pk])
        seen = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            fragment = soup_of(client.get(progress_url))
            bar = fragment.select_one("progress")
            seen.append(int(bar["value"]))
            if not fragment.select_one("#bulk-progress").has_attr("hx-get"):
                break  # finished: the fragment stops asking to be polled
            time.sleep(0.2)
    bulk.refresh_from_db()
    assert bulk.status == "done", f"progress seen: {seen}"
    assert seen == sorted(seen) and seen[-1] == 32
    assert bulk_lookup_progress(bulk=bulk)["found"] == 30
    assert bulk_lookup_progress(bulk=bulk)["not_found"] == 2
    page = soup_of(client.get(response["Location"]))
    links = [a["href"] for a in page.select("#bulk-results a")]
    assert len(links) == 30 and links[0] == reverse("applications:detail", args=[known[0]])
