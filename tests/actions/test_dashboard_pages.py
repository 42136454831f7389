"""The board dashboard's long tables (reviews with how each is running, overdue IMRs, overdue
actions) are shown 25 rows at a time, each with its count and page links that keep the filters
and the other tables' pages; a page past the end shows the last."""

import datetime
import html
import itertools
import re
from urllib.parse import parse_qs

from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Recommendation
from reviews.models import Review
from tests.conftest import World
from tests.factories import AgencyFactory, ImrFactory, ReviewFactory

TODAY = datetime.date(2026, 6, 15)


def _board(world: World, count: int, review_type: str = Review.Type.DHR) -> None:
    """``count`` more reviews of the world's board, their decisions due on different days, each with
    an overdue IMR and an overdue action."""
    agency = AgencyFactory(partnership=world.review.partnership)
    for n in range(count):
        review = ReviewFactory(
            partnership=world.review.partnership,
            review_type=review_type,
            notification_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=(n * 7) % 60),
        )
        ImrFactory(review=review, agency=agency, due_date=TODAY - datetime.timedelta(days=1 + n % 9))
        recommendation = Recommendation.objects.create(review=review, number=1, text="Share records.")
        Action.objects.create(
            recommendation=recommendation, text=f"Action {n}", lead_agency=agency,
            target_date=TODAY - datetime.timedelta(days=1 + n % 5),
        )  # fmt: skip


def _get(client, world: World, **params):
    response = client.get(reverse("actions:dashboard", args=[world.review.partnership_id]), params)
    assert response.status_code == 200
    return response.context["board"], response.content.decode()


def _page_links(page: str, anchor: str) -> list[dict[str, list[str]]]:
    """The query of each page link that lands on ``anchor``."""
    return [parse_qs(html.unescape(query)) for query in re.findall(rf'href="\?([^"#]*)#{anchor}"', page)]


def test_each_long_table_shows_25_rows_a_page_with_its_count(client, world: World, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    _board(world, 30)
    client.force_login(world.board_admin)
    first, first_page = _get(client, world)
    second, second_page = _get(client, world, reviews_page=2, imrs_page=2, actions_page=2)

    assert (len(first.reviews), len(second.reviews)) == (25, 6)
    assert "1–25 of 31 reviews." in first_page and "26–31 of 31 reviews." in second_page
    rows = list(itertools.chain(first.reviews, second.reviews))
    assert sorted(row.review.pk for row in rows) == sorted(
        Review.objects.filter(partnership=world.review.partnership).values_list("pk", flat=True)
    )
    # Soonest statutory deadline first, across the pages; the page's reviews show how each is running.
    dues = [row.next_deadline.due if row.next_deadline else datetime.date.max for row in rows]
    assert dues == sorted(dues)
    assert all(row.process is not None for row in rows)
    # The same page of reviews has its links under both of their tables.
    assert 'aria-label="Pages of reviews"' in first_page
    assert 'aria-label="Pages of reviews, how each is running"' in first_page
    assert first_page.count("1–25 of 31 reviews.") == 2

    for table, noun in (("overdue_imrs", "overdue IMRs"), ("overdue_actions", "overdue actions")):
        one, two = getattr(first, table), getattr(second, table)
        total = one.paginator.count
        assert 25 < total <= 50, table
        assert (len(one), len(two)) == (25, total - 25)
        assert len({row.pk for row in itertools.chain(one, two)}) == total
        assert f"1–25 of {total} {noun}." in first_page and f"26–{total} of {total} {noun}." in second_page
    imrs = list(itertools.chain(first.overdue_imrs, second.overdue_imrs))
    assert [imr.due_date for imr in imrs] == sorted(imr.due_date for imr in imrs)  # most overdue first
    actions = list(itertools.chain(first.overdue_actions, second.overdue_actions))
    assert [a.target_date for a in actions] == sorted(a.target_date for a in actions)  # oldest first


def test_page_links_keep_the_filters_and_the_other_tables_pages(client, world: World, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    _board(world, 30)
    _board(world, 3, review_type=Review.Type.CSPR)
    client.force_login(world.board_admin)
    board, page = _get(client, world, review_type="dhr", reviews_page=2, imrs_page=2)

    assert board.reviews.paginator.count == 31  # the CSPRs are filtered out
    assert {row.review.review_type for row in board.reviews} == {"dhr"}
    review_links = _page_links(page, "reviews-heading")
    assert review_links and all(link["review_type"] == ["dhr"] and link["imrs_page"] == ["2"] for link in review_links)
    assert {link["reviews_page"][0] for link in review_links} == {"1"}  # First and Previous
    imr_links = _page_links(page, "imrs-heading")
    assert imr_links and all(link["review_type"] == ["dhr"] and link["reviews_page"] == ["2"] for link in imr_links)
    # Following a link keeps the filter: the first page of the DHRs.
    again, _ = _get(client, world, **{name: values[0] for name, values in review_links[0].items()})
    assert again.reviews.number == 1 and {row.review.review_type for row in again.reviews} == {"dhr"}


def test_a_page_past_the_end_shows_the_last_and_one_that_is_not_a_number_the_first(client, world: World, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    _board(world, 30)
    client.force_login(world.board_admin)
    board, page = _get(client, world, reviews_page=99, imrs_page="abc", actions_page="9" * 30)
    assert board.reviews.number == 2 and "26–31 of 31 reviews." in page
    assert board.overdue_imrs.number == 1
    assert board.overdue_actions.number == board.overdue_actions.paginator.num_pages == 2


def test_a_short_table_has_its_count_and_no_page_links(client, world: World, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    _board(world, 2)
    client.force_login(world.board_admin)
    board, page = _get(client, world)
    assert board.reviews.paginator.count == 3
    assert ">3 reviews.<" in page and "of 3 reviews" not in page
    assert 'aria-label="Pages of reviews"' not in page and "#reviews-heading" not in page
