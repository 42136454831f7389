"""XSS: a script typed into any text a user can enter (names, designations, aliases, review
fields, key lines, agency names, chronology fields, IMR answers, questions, comments, glossary
terms, section titles) never reaches a page as markup: every page that shows it escapes it."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from chronology.integrated import services as integrated_services
from reports import discussion_services, document_services, glossary_services
from reports import services as report_services
from reviews.models import ImrAnswer, ImrRecommendation, KeyLineOfEnquiry
from tests.conftest import World

PAYLOADS = [
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)//<a href=javascript:alert(1)>x</a>",
]


def _fill(world: World, payload: str, on_commit) -> None:
    """The payload in every text field a user can type that pages show."""
    review = world.review
    review.case_name = f"Adult {payload}"
    review.terms_of_reference = f"Terms {payload}"
    review.save()
    KeyLineOfEnquiry.objects.create(review=review, position=99, text=f"Line {payload}")
    world.agency_b.name = f"Agency {payload}"
    world.agency_b.save()
    world.person.real_name, world.person.designation = f"Susan {payload}", f"the mother {payload}"
    world.person.aliases = [f"Sue {payload}"]
    world.person.save()
    for entry in (world.entry_a, world.entry_b):
        entry.details = entry.event = entry.outcome = entry.comment = entry.source = f"Text {payload}"
        entry.people = [f"Person {payload}"]
        entry.save()
    world.question_a.question = f"Question {payload}"
    world.question_a.save()
    line = review.key_lines.first()
    ImrAnswer.objects.create(imr=world.imr_b, key_line=line, text=f"Answer {payload}")
    ImrRecommendation.objects.create(imr=world.imr_b, position=1, text=f"Recommendation {payload}")
    world.panel.first_name = f"Pat {payload}"
    world.panel.save()
    document = document_services.document_create(review=review, kind="overview", actor=world.chair)
    section = document.sections.first()
    report_services.section_rename(section=section, title=f"Title {payload}", actor=world.chair)
    section = report_services.section_save(
        section_id=section.pk, body="<p>Body.</p>", base_version=0, actor=world.chair
    )
    discussion_services.comment_add(
        section=section, actor=world.panel, text=f"Comment {payload}", quote=f"Quote {payload}"
    )
    change = f'data-change="change-0001" data-author="{world.panel.pk}" data-time="2026-12-03T20:45:00Z"'
    report_services.section_save(
        section_id=section.pk, body=f"<p>Body.<ins {change}>Wording {html.escape(payload)}</ins></p>", base_version=1,
        actor=world.panel, suggest_only=True,
    )  # fmt: skip
    glossary_services.glossary_term_save(
        review=review, abbreviation="XSS", expansion=f"Meaning {payload}", actor=world.chair
    )
    with on_commit(execute=True):  # the build task runs once the request's transaction commits
        integrated_services.integrated_request(actor=world.chair, review=review, include_submitted=True)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_typed_text_reaches_any_page_as_markup(
    client: Client, world: World, payload: str, django_capture_on_commit_callbacks
):
    _fill(world, payload, django_capture_on_commit_callbacks)
    review = world.review.pk
    document = world.review.documents.get()
    section = document.sections.first()
    chair_pages = [
        reverse("home"),
        reverse("reviews:detail", args=[review]),
        reverse("reviews:person_list", args=[review]),
        reverse("reviews:membership_list", args=[review]),
        reverse("reviews:imr_detail", args=[review, world.imr_b.pk]),
        reverse("chronology:entries", args=[review, world.imr_b.pk]),
        reverse("chronology:integrated", args=[review]),
        reverse("chronology:integrated", args=[review]) + "?names=real",
        reverse("chronology:links", args=[review]),
        reverse("reviews:audit", args=[review]),
        reverse("reports:documents", args=[review]),
        reverse("reports:document", args=[review, document.pk]),
        reverse("reports:section", args=[review, document.pk, section.pk]),
        reverse("reports:section_history", args=[review, document.pk, section.pk]),
        reverse("reports:document_preview", args=[review, document.pk]),
        reverse("reports:document_preview", args=[review, document.pk]) + "?version=publication",
        reverse("reports:glossary", args=[review]),
    ]
    author_pages = [
        reverse("reviews:imr_detail", args=[review, world.imr_a.pk]),
        reverse("chronology:entries", args=[review, world.imr_a.pk]),
        reverse("reviews:imr_narrative", args=[review, world.imr_a.pk]),
    ]
    checked = 0
    for user, pages in ((world.chair, chair_pages), (world.author_a, author_pages)):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            content = response.content.decode()
            assert payload not in content, f"{url} shows {payload!r} unescaped"
            for raw in ("<script>alert", "<img src=x onerror", "<svg/onload", "<a href=javascript:"):
                assert raw not in content, f"{url} carries {raw!r}"
            checked += 1
    assert checked == len(chair_pages) + len(author_pages)
