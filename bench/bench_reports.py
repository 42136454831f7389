"""Server time of opening and saving a 100-page overview report.

A generated report: the 19 sections of the DHR layout x 25 paragraphs of about 100 words (48,000 words,
some 100 A4 pages), with a table in every section and a revision history. Times, through
Django's full request cycle: the document page, a section to read, the section editor, an
autosave of one section (the editor's request), and the whole report composed for reading;
then the worst case of the whole report pasted into one section. The floor beside each save
is the service call alone (sanitise, check version, write section and revision)."""

import random
import statistics
import time

from _setup import django_setup, sign_in

SECTIONS, PARAGRAPHS, WORDS, RUNS = 20, 25, 100, 20
VOCABULARY = (
    "the victim agency police social worker referral assessment risk child protection plan conference health "
    "visitor domestic abuse contact information shared family records perpetrator housing nursery GP practice "
    "strategy discussion safeguarding decision outcome review panel learning practice episode"
).split()


def paragraph(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(WORDS)]
    words[0] = words[0].capitalize()
    words[rng.randrange(5, WORDS)] = f"<strong>{words[5]}</strong>"
    return "<p>" + " ".join(words) + ".</p>"


def section_html(rng: random.Random) -> str:
    table = "<table><tbody>" + "<tr><td>Agency</td><td>Contacts</td></tr>" * 6 + "</tbody></table>"
    return "".join(paragraph(rng) for _ in range(PARAGRAPHS)) + table


def build():
    from accounts.models import User
    from reports import document_services, services
    from reports.models import Document
    from reviews.models import Partnership, PartnershipMembership, Person, Review

    rng = random.Random(4)
    partnership = Partnership.objects.create(name="Benchshire Community Safety Partnership", slug="bench")
    chair = User.objects.create_user("chair", "chair@example.org", "bench-password-123")
    PartnershipMembership.objects.create(user=chair, partnership=partnership)
    review = Review.objects.create(
        partnership=partnership,
        reference="BDHR-100",
        review_type="dhr",
        case_name="Adult Z",
        scope_start="2010-01-01",
        scope_end="2012-08-01",
    )
    for n in range(12):
        Person.objects.create(review=review, real_name=f"Person Number{n}", designation=f"Adult {n}")
    document = document_services.document_create(review=review, kind=Document.Kind.OVERVIEW, actor=chair)
    sections = list(document.sections.all()[:SECTIONS])
    for section in sections:
        # Three versions each: the history a real draft has.
        for _ in range(3):
            section = services.section_save(
                section_id=section.pk, body=section_html(rng), base_version=section.version, actor=chair
            )
    return chair, document, sections, rng


def timed(call, runs=RUNS):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), sorted(times)[max(0, int(runs * 0.95) - 1)]


def main() -> None:
    engine = django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from reports import richtext, services
    from reports.models import Section

    chair, document, sections, rng = build()
    words = sum(len(richtext.plain_text(s.body).split()) for s in Section.objects.filter(document=document))
    print(f"{engine}: a report of {len(sections)} sections, {words:,} words (about {words // 500} pages)")
    client = Client()
    sign_in(client, chair)
    review = document.review_id
    target = sections[len(sections) // 2]
    args = [review, document.pk, target.pk]

    def page(name, *url_args, query=""):
        url = reverse(name, args=url_args) + query
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        count = len(queries)  # now: the log is cleared when the connection is next reopened
        assert response.status_code == 200, (url, response.status_code)
        median, p95 = timed(lambda: client.get(url))
        print(f"  {name:<26} median {median:7.1f} ms  p95 {p95:7.1f} ms  {count} queries")

    page("reports:document", review, document.pk)
    page("reports:section", *args)
    page("reports:section_edit", *args)
    page("reports:document_preview", review, document.pk)
    page("reports:document_preview", review, document.pk, query="?version=publication")

    def save_through_the_page(section):
        url = reverse("reports:section_edit", args=[review, document.pk, section.pk])

        def once():
            section.refresh_from_db(fields=["version"])
            response = client.post(
                url,
                {"body": section_html(rng), "base_version": section.version, "autosave": "1"},
                HTTP_ACCEPT="application/json",
            )
            assert response.status_code == 200, response.content[:200]

        return once

    def save_through_the_service(section):
        def once():
            section.refresh_from_db(fields=["version"])
            services.section_save(
                section_id=section.pk, body=section_html(rng), base_version=section.version, actor=chair, autosave=True
            )

        return once

    median, p95 = timed(save_through_the_page(target))
    floor, _ = timed(save_through_the_service(target))
    print(f"  autosave of one section     median {median:7.1f} ms  p95 {p95:7.1f} ms  (service alone {floor:.1f} ms)")

    # The worst case: the whole report pasted into one section.
    whole = Section.objects.get(pk=sections[0].pk)
    everything = "".join(section_html(rng) for _ in range(SECTIONS))
    services.section_save(section_id=whole.pk, body=everything, base_version=whole.version, actor=chair)
    url = reverse("reports:section_edit", args=[review, document.pk, whole.pk])

    def save_whole():
        whole.refresh_from_db(fields=["version"])
        body = everything.replace("<p>", "<p>x ", 1) if whole.version % 2 else everything
        response = client.post(
            url, {"body": body, "base_version": whole.version, "autosave": "1"}, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 200

    median, p95 = timed(save_whole, runs=10)
    label = f"autosave, all in one section ({len(everything):,} characters)"
    print(f"  {label}  median {median:7.1f} ms  p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
