"""The reviewer's daily screens in Chromium at 1366×900 and 800×900: layout, accessibility, screenshots.

For each page: no request-number element wraps (one line box), no horizontal page scroll (wide
tables scroll inside their own box), on the application page the CAMS summary is on screen
without scrolling at 1366 px, and axe-core finds no critical or serious violation. A full-page
screenshot of each is written to var/screenshots/<page>-<width>.png, and what fits on the first
screen to <page>-<width>-first-screen.png. axe runs on every page at 1366 px, and again at 800 px
on the application pages, whose layout changes most (each run takes seconds).
"""

import pytest
from django.urls import reverse

from applications.models import BulkLookup, BulkLookupItem
from applications.services.bulk_lookup import bulk_lookup_run_chunk
from applications.services.lookup import application_lookup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE_NO = "5435435435"  # the API document's example
HOSTILE_NO = "6660000001"  # the simulator's hostile strings
WIDTHS = (1366, 800)

# Every element that shows a request number; each must stay on one line.
REQUEST_NUMBER_SELECTOR = ".request-no, #result_list td.field-request_no a, #result_list th.field-request_no a"

WRAPPED_REQUEST_NUMBERS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter((el) => el.getClientRects().length > 1 ||
                  el.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(el).fontSize) * 1.2)
  .map((el) => el.textContent.trim())"""

# The admin list's last column ends inside the visible part of its box.
ADMIN_COLUMNS_CUT = """(() => { const last = document.querySelector('#result_list thead th:last-child');
  const box = document.querySelector('#changelist .results');
  return last.getBoundingClientRect().right > box.getBoundingClientRect().right + 1; })()"""

PAGE_SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"


def _pages(bulk_id):
    return [
        ("home", reverse("applications:home")),
        ("detail-example", reverse("applications:detail", args=[EXAMPLE_NO])),
        ("detail-hostile", reverse("applications:detail", args=[HOSTILE_NO])),
        ("queue", reverse("applications:queue")),
        ("bulk-result", reverse("applications:bulk-detail", args=[bulk_id])),
        ("refresh-health", reverse("applications:health")),
        ("admin-changelist", reverse("admin:applications_viberapplication_changelist")),
    ]


def _seed(cams):
    for number in (EXAMPLE_NO, HOSTILE_NO):
        application_lookup(request_no=number, cust_space_id="")
    dataset = cams.simulator.store.dataset
    more = [n for n in dataset.request_numbers() if not dataset.get(n)[1]][:12]
    for number in more:
        application_lookup(request_no=number, cust_space_id="")
    bulk = BulkLookup.objects.create(total=4)
    items = [
        BulkLookupItem.objects.create(bulk=bulk, position=i, request_no=n)
        for i, n in enumerate([EXAMPLE_NO, HOSTILE_NO, "0000000404"])
    ]
    BulkLookupItem.objects.create(
        bulk=bulk, position=3, request_no="no/such", outcome="invalid", error_message="Line 4: not a request number"
    )
    bulk_lookup_run_chunk(bulk_id=bulk.pk, item_ids=[item.pk for item in items])
    return bulk.pk


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def test_the_daily_screens_read_well_at_both_widths(page, live_server, live_cams, log_in, admin_user, screenshot_dir):
    from axe_playwright_python.sync_playwright import Axe

    bulk_id = _seed(live_cams)
    log_in(admin_user)
    axe = Axe()
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in _pages(bulk_id):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (name, response.status)
            page.wait_for_load_state("load")
            wrapped = page.evaluate(WRAPPED_REQUEST_NUMBERS, REQUEST_NUMBER_SELECTOR)
            if wrapped:
                problems.append(f"{name}@{width}: request numbers wrap: {wrapped[:5]}")
            if page.evaluate(PAGE_SCROLLS_SIDEWAYS):
                problems.append(f"{name}@{width}: the page scrolls sideways")
            if name == "admin-changelist" and width == 1366 and page.evaluate(ADMIN_COLUMNS_CUT):
                problems.append(f"{name}@{width}: not every list column is visible")
            if name.startswith("detail") and width == 1366:
                box = page.locator("#summary").bounding_box()
                if box is None or box["y"] < 0 or box["y"] + box["height"] > 900:
                    problems.append(f"{name}@{width}: summary not on the first screen: {box}")
            if (
                name in ("detail-example", "queue", "admin-changelist")
                and page.locator(REQUEST_NUMBER_SELECTOR).count() == 0
            ):
                problems.append(f"{name}@{width}: no request number found to check")
            if width == 1366 or name.startswith("detail"):  # axe takes seconds a page: where layouts differ
                problems += [f"{name}@{width}: axe {line}" for line in _serious(axe.run(page))]
            page.screenshot(path=str(screenshot_dir / f"{name}-{width}.png"), full_page=True)
            page.screenshot(path=str(screenshot_dir / f"{name}-{width}-first-screen.png"))
    assert not problems, "\n".join(problems)
