"""A board with more reviews, overdue IMRs and overdue actions than the dashboard shows at once: each
long table has its count and page links, which keep the filter, at 1280 and 320 px wide, with axe
finding nothing serious."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Recommendation
from reviews.models import Imr, Review
from tests.browser.conftest import REFLOW_VIEWPORT, assert_accessible, assert_reflows, sign_in
from tests.factories import ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _grow(demo: Review, count: int) -> None:
    """``count`` more DHRs of the demo board, each with an overdue IMR and an overdue action."""
    today = timezone.localdate()
    agency = demo.partnership.agencies.order_by("pk").first()
    for n in range(count):
        review = ReviewFactory(
            partnership=demo.partnership, reference=f"BDHR2026-{n + 10:02d}", review_type=Review.Type.DHR,
            notification_date=today - datetime.timedelta(days=40 - n),
        )  # fmt: skip
        Imr.objects.create(review=review, agency=agency, due_date=today - datetime.timedelta(days=1 + n % 9))
        recommendation = Recommendation.objects.create(review=review, number=1, text="Share records.")
        Action.objects.create(
            recommendation=recommendation, text=f"Audit referrals ({n})", lead_agency=agency,
            target_date=today - datetime.timedelta(days=1 + n % 5),
        )  # fmt: skip


def test_the_dashboards_long_tables_page_with_the_filter_kept(new_page, demo, tmp_path):
    _grow(demo, 30)
    page = new_page()
    sign_in(page, "boardadmin")
    page.goto(reverse("actions:dashboard", args=[demo.partnership_id]) + "?review_type=dhr")
    reviews = Review.objects.filter(partnership=demo.partnership, review_type=Review.Type.DHR).count()
    assert reviews > 25
    page.get_by_text(f"1–25 of {reviews} reviews.").first.wait_for()
    assert page.get_by_role("navigation", name="Pages of overdue IMRs").is_visible()
    assert page.get_by_role("navigation", name="Pages of overdue actions").is_visible()
    assert_accessible(page)
    page.screenshot(path=str(Path(tmp_path) / "dashboard-pages.png"), full_page=True)

    pages = page.get_by_role("navigation", name="Pages of reviews", exact=True)
    pages.get_by_role("link", name="Next page of reviews").click()
    page.wait_for_url(re.compile(r"review_type=dhr.*reviews_page=2#reviews-heading$"))
    page.get_by_text(f"26–{reviews} of {reviews} reviews.").first.wait_for()
    table = page.get_by_role("table", name="Reviews, soonest statutory deadline first")
    assert table.get_by_role("row").count() == 1 + reviews - 25  # its header and the rest
    assert_accessible(page)
    assert_reflows(page)
    page.set_viewport_size(REFLOW_VIEWPORT)
    assert_accessible(page)
