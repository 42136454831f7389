"""Document pages as the chair and the panel use them: the editor's saves (JSON and form),
refused stale saves with the merge, previews, history, the glossary check and references."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from reports import citations, glossary_services, services
from reports.models import Document, Section
from tests.conftest import World
from tests.reports.test_richtext import XSS_PAYLOADS


def _login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def _edit_url(section: Section) -> str:
    return reverse("reports:section_edit", args=[section.document.review_id, section.document_id, section.pk])


def test_the_chair_starts_the_overview_report_from_the_documents_page(client: Client, world: World):
    _login(client, world.chair)
    page = client.get(reverse("reports:documents", args=[world.review.pk]))
    assert b"Start the overview report" in page.content
    response = client.post(reverse("reports:document_create", args=[world.review.pk]), {"kind": "overview"})
    document = Document.objects.get(review=world.review, kind="overview")
    assert response.url == reverse("reports:document", args=[world.review.pk, document.pk])
    page = client.get(response.url)
    assert b"18. Lessons to be learned" in page.content and b"Move to panel review" in page.content


def test_an_autosave_answers_with_the_new_version(client: Client, world: World, section: Section):
    _login(client, world.chair)
    response = client.post(
        _edit_url(section),
        {"body": "<p>Typed.</p>", "base_version": 1, "autosave": "1"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    section.refresh_from_db()
    assert section.body == "<p>Typed.</p>" and section.revisions.get(version=2).autosave


def test_a_stale_autosave_is_refused_with_both_changes_and_a_merge(client: Client, world: World, section: Section):
    services.section_save(
        section_id=section.pk, body="<p>One, theirs.</p><p>Two.</p><p>Three.</p>", base_version=1, actor=world.panel
    )
    _login(client, world.chair)
    response = client.post(
        _edit_url(section),
        {"body": "<p>One.</p><p>Two.</p><p>Three, mine.</p>", "base_version": 1, "autosave": "1"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    payload = response.json()
    assert payload["version"] == 2
    assert payload["merged"] == "<p>One, theirs.</p><p>Two.</p><p>Three, mine.</p>"
    assert "saved this section while you were editing" in payload["conflict"]
    assert "<ins>, theirs</ins>" in payload["conflict"] and "<ins>, mine</ins>" in payload["conflict"]
    section.refresh_from_db()
    assert section.body == "<p>One, theirs.</p><p>Two.</p><p>Three.</p>"  # nothing overwritten


SAVE_ID = "3f2b8c1e-6a4d-4e0b-9d7a-1c2e3f4a5b6c"


def test_an_autosave_sent_again_after_it_committed_is_answered_with_its_version(
    client: Client, world: World, section: Section
):
    # The first answer was lost; the editor sends the same save (same id, same base) again.
    _login(client, world.chair)
    save = {"body": "<p>Typed.</p>", "base_version": 1, "autosave": "1", "save_id": SAVE_ID}
    first = client.post(_edit_url(section), save, HTTP_ACCEPT="application/json")
    again = client.post(_edit_url(section), save, HTTP_ACCEPT="application/json")
    assert first.status_code == again.status_code == 200
    assert first.json()["version"] == again.json()["version"] == 2
    assert section.revisions.filter(save_id=SAVE_ID).count() == 1
    assert list(section.revisions.values_list("version", flat=True)) == [2, 1]


def test_a_save_sent_again_after_someone_else_saved_is_answered_with_its_own_version(
    client: Client, world: World, section: Section
):
    _login(client, world.chair)
    save = {"body": "<p>Mine.</p>", "base_version": 1, "autosave": "1", "save_id": SAVE_ID}
    client.post(_edit_url(section), save, HTTP_ACCEPT="application/json")
    services.section_save(section_id=section.pk, body="<p>Theirs.</p>", base_version=2, actor=world.panel)
    again = client.post(_edit_url(section), save, HTTP_ACCEPT="application/json")
    # Version 2 is this save; the next save, based on it, meets the panel member's version 3.
    assert again.status_code == 200 and again.json()["version"] == 2
    section.refresh_from_db()
    assert section.body == "<p>Theirs.</p>" and section.version == 3


def test_a_stale_save_with_another_save_id_is_still_refused(client: Client, world: World, section: Section):
    _login(client, world.chair)
    first = {"body": "<p>Typed.</p>", "base_version": 1, "autosave": "1", "save_id": SAVE_ID}
    client.post(_edit_url(section), first, HTTP_ACCEPT="application/json")
    other = {**first, "body": "<p>Typed more.</p>", "save_id": "0c9d8e7f-1a2b-4c3d-8e9f-a0b1c2d3e4f5"}
    response = client.post(_edit_url(section), other, HTTP_ACCEPT="application/json")
    assert response.status_code == 409 and response.json()["version"] == 2
    section.refresh_from_db()
    assert section.body == "<p>Typed.</p>" and section.revisions.count() == 2


def test_a_save_id_is_only_answered_for_the_person_who_saved_it(world: World, section: Section):
    services.section_save_once(
        section_id=section.pk, body="<p>Chair.</p>", base_version=1, actor=world.chair, save_id=SAVE_ID
    )
    with pytest.raises(services.StaleSection):
        services.section_save_once(
            section_id=section.pk, body="<p>Panel.</p>", base_version=1, actor=world.panel, save_id=SAVE_ID
        )


def test_a_malformed_save_id_is_refused_and_nothing_is_saved(client: Client, world: World, section: Section):
    _login(client, world.chair)
    save = {"body": "<p>Typed.</p>", "base_version": 1, "autosave": "1", "save_id": "x" * 65}
    response = client.post(_edit_url(section), save, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "save id that is not valid" in response.json()["error"]
    assert section.revisions.count() == 1


def test_a_stale_form_save_shows_the_merge_in_the_editor_based_on_the_latest_version(
    client: Client, world: World, section: Section
):
    services.section_save(section_id=section.pk, body="<p>One, theirs.</p>", base_version=1, actor=world.panel)
    _login(client, world.chair)
    response = client.post(_edit_url(section), {"body": "<p>One, mine.</p><p>Two.</p><p>Three.</p>", "base_version": 1})
    assert response.status_code == 409
    content = response.content.decode()
    assert 'name="base_version" value="2"' in content
    assert "&lt;p&gt;One, theirs.&lt;/p&gt;" in content and "&lt;p&gt;One, mine.&lt;/p&gt;" in content
    assert "You both changed the same paragraph" in content


def test_a_form_save_goes_back_to_the_section(client: Client, world: World, section: Section):
    _login(client, world.chair)
    response = client.post(_edit_url(section), {"body": "<p>Saved.</p>", "base_version": 1})
    assert response.status_code == 302
    page = client.get(response.url)
    assert b"Saved." in page.content and b"version 2" in page.content


def test_a_panel_member_reads_comments_and_suggests_but_cannot_edit(client: Client, world: World, section: Section):
    _login(client, world.panel)
    editor = client.get(_edit_url(section))
    assert editor.status_code == 200 and editor.context["suggest_only"] is True
    args = [world.review.pk, section.document_id, section.pk]
    client.post(reverse("reports:comment_add", args=args), {"text": "Is two right?", "quote": "Two."})
    change = f'data-change="change-0001" data-author="{world.panel.pk}" data-time="2026-12-03T20:45:00Z"'
    suggested = f"<p>One.</p><p>Two<ins {change}>, reworded</ins>.</p><p>Three.</p>"
    assert client.post(_edit_url(section), {"body": suggested, "base_version": 1}).status_code == 302
    page = client.get(reverse("reports:section", args=args)).content.decode()
    assert "Is two right?" in page and "“Two.”" in page
    assert "reworded" not in page  # the text as accepted: the suggestion is reviewed in the editor
    assert "suggested changes that are not accepted or rejected yet" in page
    refused = client.post(_edit_url(section), {"body": "<p>One.</p>", "base_version": 2})
    assert refused.status_code == 400
    section.refresh_from_db()
    assert section.version == 2 and section.body == suggested


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_nothing_pasted_into_a_section_runs_on_any_page(client: Client, world: World, section: Section, payload: str):
    _login(client, world.chair)
    client.post(_edit_url(section), {"body": f"<p>Text</p>{payload}", "base_version": 1})
    args = [world.review.pk, section.document_id]
    pages = [
        client.get(reverse("reports:section", args=[*args, section.pk])),
        client.get(reverse("reports:document_preview", args=args)),
        client.get(reverse("reports:document_preview", args=args), {"version": "publication"}),
        client.get(_edit_url(section)),
    ]
    for page in pages:
        content = page.content.decode().lower()
        for forbidden in ("<script>alert", "onerror=", "onclick=", "onload=", "onmouseover=", 'href="javascript:',
                          "<iframe", "<object", '<base href="https'):  # fmt: skip
            assert forbidden not in content, f"{forbidden} on {page.request['PATH_INFO']}"


def test_the_publication_version_shows_designations_and_hides_redactions(
    client: Client, world: World, section: Section
):
    services.section_save(
        section_id=section.pk,
        body='<p>Susan Marsh\'s view was heard.</p><p>She <span class="redaction">lives at the refuge</span>.</p>',
        base_version=1,
        actor=world.chair,
    )
    _login(client, world.chair)
    args = [world.review.pk, section.document_id]
    panel = client.get(reverse("reports:document_preview", args=args)).content.decode()
    assert "Susan Marsh's view" in panel and "lives at the refuge" in panel and "1.1" in panel
    public = client.get(reverse("reports:document_preview", args=args), {"version": "publication"}).content.decode()
    assert "The victim's mother's view was heard." in public
    assert "Susan" not in public and "refuge" not in public and "[Redacted]" in public
    assert "The publication check passes" in public


def test_the_publication_check_names_the_section_where_a_surname_remains(
    client: Client, world: World, section: Section
):
    services.section_save(section_id=section.pk, body="<p>Mrs Marsh was seen.</p>", base_version=1, actor=world.chair)
    _login(client, world.chair)
    args = [world.review.pk, section.document_id]
    public = client.get(reverse("reports:document_preview", args=args), {"version": "publication"}).content.decode()
    assert "Not ready to publish" in public
    assert "section 1. Introduction, paragraph 1.1</strong>: surname of the victim&#x27;s mother" in public
    edit = reverse("reports:section_edit", args=[*args, section.pk])
    assert f'href="{edit}?block=0"' in public  # the editor, at that paragraph


def test_references_become_footnotes_and_never_reach_another_review_or_an_unshared_imr(
    client: Client, world: World, section: Section
):
    from tests.factories import EntryFactory, ImrFactory

    foreign = EntryFactory(imr=ImrFactory(review=world.other_review, agency=world.agency_a))
    body = (
        f"<p>Seen [[entry:{world.entry_b.pk}]] and [[imr:{world.imr_b.pk}]] by the [[term:GP]].</p>"
        f"<p>Elsewhere [[entry:{foreign.pk}]].</p>"
    )
    glossary_services.glossary_term_save(
        review=world.review, abbreviation="GP", expansion="General Practitioner", actor=world.chair
    )
    services.section_save(section_id=section.pk, body=body, base_version=1, actor=world.chair)
    _login(client, world.chair)
    page = client.get(reverse("reports:document_preview", args=[world.review.pk, section.document_id])).content.decode()
    assert f"Chronology, {world.agency_b.name}" in page.replace("&#x27;", "'")
    assert "Individual Management Review, " in page
    assert '<abbr title="General Practitioner">GP</abbr>' in page
    assert "[reference not found]" in page  # the other review's entry is not cited
    search = client.get(reverse("reports:reference_search", args=[world.review.pk])).content.decode()
    assert f"[[entry:{citations.entry_key(world.entry_b)}]]" in search
    assert f"[[entry:{citations.entry_key(world.entry_a)}]]" not in search  # agency A's IMR is still its own draft
    assert f"[[entry:{citations.entry_key(foreign)}]]" not in search


def test_history_opens_on_what_the_latest_save_changed(client: Client, world: World, section: Section):
    services.section_save(section_id=section.pk, body="<p>One.</p><p>Three.</p>", base_version=1, actor=world.chair)
    _login(client, world.panel)
    page = client.get(reverse("reports:section_history", args=[world.review.pk, section.document_id, section.pk]))
    content = page.content.decode()
    assert "Version 1" in content and "version 2" in content
    assert '<p class="diff-removed"><span class="visually-hidden">Removed: </span>Two.</p>' in content
    assert "Restore" not in content  # the panel reads history; restoring is the chair's


def test_the_glossary_check_lists_abbreviations_missing_with_where_they_are(
    client: Client, world: World, section: Section
):
    services.section_save(
        section_id=section.pk, body="<p>The MARAC met; the GP and two IMRs; the UK.</p>", base_version=1,
        actor=world.chair,
    )  # fmt: skip
    glossary_services.glossary_term_save(
        review=world.review, abbreviation="GP", expansion="General Practitioner", actor=world.chair
    )
    _login(client, world.chair)
    page = client.get(reverse("reports:glossary", args=[world.review.pk])).content.decode()
    assert '<strong>MARAC</strong> (1 time): <span class="small">Overview report, 1. Introduction</span>' in page
    assert "<strong>IMR</strong> (1 time)" in page
    assert "<strong>UK</strong>" not in page and "<strong>GP</strong> (" not in page


def test_the_document_page_takes_the_same_queries_however_many_sections(
    client: Client, world: World, overview: Document, django_assert_num_queries
):
    _login(client, world.chair)
    url = reverse("reports:document", args=[world.review.pk, overview.pk])
    client.get(url)
    # session, user, the MFA device that verified the session, review, memberships, board admin
    # check, document, whether this look is already in the audit trail (within its window),
    # sections with their open comments and suggestions (not their text), status history, the
    # document's publications with their published files, the document's rendered files, the
    # sections that may hold a conflict merge's note, the sections that may have no text (reading
    # only short texts); then the session's expiry saved (savepoint, update, release)
    with django_assert_num_queries(17):
        client.get(url)
    for number in range(20):
        services.section_add(document=overview, title=f"Appendix {number}", actor=world.chair)
    with django_assert_num_queries(17):
        client.get(url)


def test_an_expired_session_autosave_says_so_instead_of_losing_text(client: Client, section: Section):
    response = client.post(_edit_url(section), {"body": "<p>x</p>", "base_version": 1}, HTTP_ACCEPT="application/json")
    assert response.status_code == 401  # no redirect: the editor tells the person and keeps the text
    assert "signed out" in response.content.decode()
    section.refresh_from_db()
    assert section.version == 1


def test_bad_numbers_in_a_save_are_a_refusal_not_an_error(client: Client, world: World, section: Section):
    _login(client, world.chair)
    response = client.post(
        _edit_url(section), {"body": "<p>x</p>", "base_version": "abc"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409
    assert json.loads(response.content)["version"] == 1


def _attribute_names(content: str) -> list[str]:
    from html.parser import HTMLParser

    names: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names.extend(name for name, _ in attrs)

    Collect().feed(content)
    return names


def test_a_reference_inside_a_link_address_cannot_break_out_of_the_tag(client: Client, world: World, section: Section):
    glossary_services.glossary_term_save(
        review=world.review, abbreviation="MARAC", expansion="x onmouseover=alert(document.domain) y", actor=world.chair
    )
    glossary_services.glossary_term_save(
        review=world.review, abbreviation="A&E", expansion="Accident & Emergency", actor=world.chair
    )
    body = '<p><a href="https://example.org/[[term:MARAC]]">link</a> and [[term:MARAC]] and [[term:A&E]].</p>'
    services.section_save(section_id=section.pk, body=body, base_version=1, actor=world.chair)
    client.force_login(world.chair)
    args = [world.review.pk, section.document_id]
    for url in (
        reverse("reports:section", args=[*args, section.pk]),
        reverse("reports:document_preview", args=args),
        reverse("reports:document_preview", args=args) + "?version=publication",
    ):
        content = client.get(url).content.decode()
        assert not [name for name in _attribute_names(content) if name.startswith("on")], url
        assert 'href="https://example.org/[[term:MARAC]]"' in content, url
        assert '<abbr title="x onmouseover=alert(document.domain) y">MARAC</abbr>' in content, url
        assert '<abbr title="Accident &amp; Emergency">A&amp;E</abbr>' in content, url


def test_markup_nested_absurdly_deep_is_refused_quickly_and_saves_nothing(
    client: Client, world: World, section: Section
):
    client.force_login(world.chair)
    response = client.post(
        _edit_url(section), {"body": "<ol>" * 5000, "base_version": 1, "autosave": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "nested more than 200 levels deep" in response.json()["error"]
    section.refresh_from_db()
    assert section.version == 1
    # Also when the save is stale: the merge is not attempted on such text.
    services.section_save(section_id=section.pk, body="<p>Theirs.</p>", base_version=1, actor=world.panel)
    response = client.post(
        _edit_url(section), {"body": "<ol>" * 5000, "base_version": 1}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400


def test_an_archived_reviews_documents_take_no_comments_or_suggestions(client: Client, world: World, section: Section):
    import datetime

    from reviews.retention import review_archive

    review_archive(actor=world.board_admin, review=world.review, retain_until=datetime.date.today().replace(year=2099))
    client.force_login(world.panel)
    args = [world.review.pk, section.document_id, section.pk]
    assert client.post(reverse("reports:comment_add", args=args), {"text": "Late."}).status_code == 403
    assert client.get(_edit_url(section)).status_code == 403
    assert client.post(_edit_url(section), {"body": "<p>x</p>", "base_version": 1}).status_code == 403
    assert not section.comments.exists() and section.revisions.count() == 1
    assert client.get(reverse("reports:section", args=args)).status_code == 200  # still readable
