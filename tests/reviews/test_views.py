import pytest
from django.urls import reverse

from accounts.models import Invitation
from reviews.models import AuditEntry, Person, Review
from tests.factories import BoardAdminFactory, ImrFactory, MembershipFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def test_imr_author_sees_their_own_agency_and_nothing_of_the_others(client, world):
    client.force_login(world.author_a)
    page = client.get(reverse("reviews:detail", args=[world.review.pk])).content.decode()
    assert "Northshire Police" in page
    assert "Northshire Children&#x27;s Social Care" not in page
    assert "Susan Marsh" not in page  # the person register is need-to-know
    assert reverse("reviews:imr_detail", args=[world.review.pk, world.imr_b.pk]) not in page
    assert reverse("reviews:person_list", args=[world.review.pk]) not in page


def test_panel_member_sees_every_agency_and_the_register_but_no_edit_links(client, world):
    client.force_login(world.panel)
    page = client.get(reverse("reviews:detail", args=[world.review.pk])).content.decode()
    assert "Northshire Police" in page and "Northshire Children&#x27;s Social Care" in page
    assert "Susan Marsh" in page
    assert reverse("reviews:edit", args=[world.review.pk]) not in page
    assert reverse("reviews:audit", args=[world.review.pk]) not in page


def test_home_lists_only_the_users_reviews_with_their_role(client, world):
    client.force_login(world.author_a)
    page = client.get(reverse("home")).content.decode()
    assert "NDHR-01" in page and "IMR author" in page
    assert "SCSPR-01" not in page


def test_home_page_query_count_does_not_grow_with_reviews(client, world, django_assert_num_queries):
    for _ in range(5):
        review = ReviewFactory(partnership=world.review.partnership)
        ImrFactory(review=review)
    client.force_login(world.board_admin)
    # 1. session  2. user  3. the MFA device that verified the session
    # 4. partnerships the user administers  5. the user's memberships
    # 6. reviews + partnership + IMR counts  7. partnerships for "Your partnerships"
    # 8-10. savepoint, session renewal (sessions expire after inactivity), release
    with django_assert_num_queries(10):
        response = client.get(reverse("home"))
    assert response.content.decode().count('<th scope="row">') == 6


def test_home_counts_each_reviews_own_imrs_done_and_in_all(client, world):
    partnership = world.review.partnership
    counted = ReviewFactory(partnership=partnership, reference="CNT-01")
    ImrFactory(review=counted, status="accepted")
    ImrFactory(review=counted, status="nil_return")
    ImrFactory(review=counted, status="submitted")
    ReviewFactory(partnership=partnership, reference="CNT-02")  # no IMRs yet
    client.force_login(world.board_admin)
    page = client.get(reverse("home")).content.decode()
    rows = {ref: page[page.index(ref) : page.index("</tr>", page.index(ref))] for ref in ("CNT-01", "CNT-02")}
    assert "2 of 3" in rows["CNT-01"]
    assert "0 of 0" in rows["CNT-02"]


def test_review_overview_query_count_does_not_grow_with_imrs_people_or_members(
    client, world, django_assert_num_queries
):
    for n in range(6):
        ImrFactory(review=world.review)
        MembershipFactory(review=world.review)
        Person.objects.create(review=world.review, real_name=f"Person {n}", designation=f"Adult {n}")
    client.force_login(world.chair)
    # 1. session  2. user  3. the MFA device that verified the session
    # 4. review + partnership  5. the user's roles in it  6. board admin?
    # 7. IMRs + agency + author  8. key lines  9-10. the look at the register recorded (a recent
    # one? no: written)  11. people  12. memberships + user + agency  13. documents
    # 14-16. savepoint, session renewal, release
    with django_assert_num_queries(16):
        client.get(reverse("reviews:detail", args=[world.review.pk]))


def test_opening_a_review_with_the_period_backwards_shows_the_reason_and_saves_nothing(client, world):
    client.force_login(world.board_admin)
    response = client.post(
        reverse("reviews:create"),
        {
            "partnership": world.review.partnership_id,
            "reference": "NDHR-02",
            "review_type": "dhr",
            "case_name": "Adult B",
            "stage": "scoping",
            "scope_start": "2022-01-01",
            "scope_end": "2021-01-01",
        },
    )
    assert response.status_code == 200
    assert "ends (01/01/2021) before it starts (01/01/2022)" in response.content.decode()
    assert not Review.objects.filter(reference="NDHR-02").exists()


def test_duplicate_reference_is_named_on_the_form(client, world):
    client.force_login(world.chair)
    data = {
        "reference": "ndhr-01",
        "review_type": "dhr",
        "case_name": "x",
        "stage": "scoping",
        "scope_start": "2020-01-01",
        "scope_end": "2021-01-01",
    }
    other = ReviewFactory(partnership=world.review.partnership, reference="NDHR-07")
    MembershipFactory(review=other, user=world.chair, role="chair")
    response = client.post(reverse("reviews:edit", args=[other.pk]), data)
    assert "already has a review with reference &quot;ndhr-01&quot;" in response.content.decode()
    other.refresh_from_db()
    assert other.reference == "NDHR-07"


def test_chair_edits_the_review_and_the_audit_trail_shows_it(client, world):
    client.force_login(world.chair)
    response = client.post(
        reverse("reviews:edit", args=[world.review.pk]),
        {
            "reference": "NDHR-01",
            "review_type": "dhr",
            "case_name": "Adult A",
            "stage": "drafting",
            "scope_start": "2020-01-01",
            "scope_end": "2023-06-30",
            "terms_of_reference": "To learn lessons.",
            "key_lines": "Who knew what?\nWhat did they do?",
        },
    )
    assert response.status_code == 302
    world.review.refresh_from_db()
    assert world.review.stage == "drafting"
    assert list(world.review.key_lines.values_list("text", flat=True)) == ["Who knew what?", "What did they do?"]
    audit = client.get(reverse("reviews:audit", args=[world.review.pk])).content.decode()
    assert "review.updated" in audit and "stage" in audit


def test_adding_a_member_says_the_same_whether_or_not_an_account_exists(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.chair)
    url = reverse("reviews:membership_list", args=[world.review.pk])
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(url, {"email": "nobody@example.org", "role": "panel"}, follow=True).content.decode()
    known = client.post(url, {"email": world.outsider.email, "role": "panel"}, follow=True).content.decode()
    assert "nobody@example.org has been emailed about the Panel member role in this review." in unknown
    assert f"{world.outsider.email} has been emailed about the Panel member role in this review." in known
    assert "No casereview account" not in unknown
    # The unknown address is invited; the invitation carries the role for when the account is made.
    invitation = Invitation.objects.get(email="nobody@example.org")
    assert (invitation.review, invitation.role) == (world.review, "panel")
    assert world.review.memberships.filter(user=world.outsider, role="panel").exists()
    assert any("nobody@example.org" in mail.to for mail in mailoutbox)


def test_person_register_form_names_a_clashing_designation(client, world):
    client.force_login(world.chair)
    response = client.post(
        reverse("reviews:person_create", args=[world.review.pk]),
        {"real_name": "Paul Marsh", "designation": "the victim's mother", "relationship": "family_member"},
    )
    assert "already designated" in response.content.decode()
    assert not Person.objects.filter(real_name="Paul Marsh").exists()


def test_requesting_an_imr_from_a_new_agency_adds_it_to_the_directory(client, world):
    client.force_login(world.chair)
    response = client.post(
        reverse("reviews:imr_request", args=[world.review.pk]),
        {"new_agency_name": "Northshire Housing", "new_agency_kind": "housing", "due_date": "2027-01-31"},
    )
    assert response.status_code == 302
    imr = world.review.imrs.get(agency__name="Northshire Housing")
    assert imr.agency.partnership == world.review.partnership
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {"agency.created", "imr.requested"}


def test_partnership_audit_shows_only_that_partnerships_entries(client, world):
    other_admin = BoardAdminFactory(partnership=world.other_review.partnership).user
    client.force_login(world.chair)
    client.post(reverse("reviews:person_delete", args=[world.review.pk, world.person.pk]))
    client.force_login(world.board_admin)
    page = client.get(reverse("reviews:partnership_audit", args=[world.review.partnership_id])).content.decode()
    assert "person.removed" in page
    client.force_login(other_admin)
    page = client.get(reverse("reviews:partnership_audit", args=[world.other_review.partnership_id])).content.decode()
    assert "person.removed" not in page


def test_user_text_is_escaped(client, world):
    world.review.case_name = '<script>alert("x")</script>'
    world.review.save()
    client.force_login(world.chair)
    page = client.get(reverse("reviews:detail", args=[world.review.pk])).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page
