"""Server time of the editor's autosave of a 50-page section, as the chair and as a panel member.

One section of about 25,000 words (some 50 A4 pages): 250 paragraphs of 100 words, with
redacted passages, references to chronology entries (by fingerprint), IMRs and glossary terms,
a table every 25 paragraphs, and tracked changes by two panel members (insertions, deletions, a
format change, inserted paragraphs) and comment anchors. Times ``services.section_save_once``,
the whole save the editor's request makes past parsing the form (sanitise, the suggesting rule for
a panel member, the redaction guard, version check, section and revision written, audit):

- the chair's autosave: a word changed in one paragraph;
- a panel member's autosave: one more tracked insertion of theirs (checked against the rule
  that a panel member changes nothing but their own suggestions).

Goal: median under 100 ms for both. A server process keeps what it read of the last texts it saved
(their blocks, each block's redactions and accepted text), so a save re-reads only the blocks it
changed; the first save of a section in a new process reads it all, and is timed apart."""

import datetime
import random
import statistics
import time
import uuid

from _setup import django_setup

PARAGRAPHS, WORDS, RUNS, GOAL_MS = 250, 100, 30, 100
VOCABULARY = (
    "the victim agency police social worker referral assessment risk child protection plan conference health "
    "visitor domestic abuse contact information shared family records perpetrator housing nursery GP practice "
    "strategy discussion safeguarding decision outcome review panel learning practice episode"
).split()


def change(cid: str, author: int) -> str:
    return f'data-change="{cid}" data-author="{author}" data-time="2026-12-03T20:45:00Z"'


def paragraph(rng: random.Random, n: int, refs: list[str], panel: list[int]) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(WORDS)]
    words[0] = words[0].capitalize()
    words[10] = f"<strong>{words[10]}</strong>"
    if n % 3 == 0:
        words[20] = f'<span class="redaction">Susan Marsh of {words[20]}</span>'
    if n % 4 == 0:
        words[30] = f"{words[30]} {refs[n % len(refs)]}"
    if n % 5 == 0:
        who = panel[n % 2]
        words[40] = f"<ins {change(f'ins-{n:06d}', who)}>{words[40]} added</ins>"
        words[50] = f"<del {change(f'del-{n:06d}', who)}>{words[50]}</del>"
    if n % 7 == 0:
        words[60] = f'<span data-comment="{uuid.UUID(int=n, version=4)}">{words[60]}</span>'
    if n % 11 == 0:
        words[70] = f'<span {change(f"fmt-{n:06d}", panel[0])} data-format="+em">{words[70]}</span>'
    html = "<p>" + " ".join(words) + ".</p>"
    if n % 13 == 0:
        added = change(f"par-{n:06d}", panel[1])
        html += f"<p {added}><ins {added}>A new paragraph.</ins></p>"
    if n % 25 == 24:
        html += "<table><tbody>" + "<tr><td>Agency</td><td>Contacts</td></tr>" * 6 + "</tbody></table>"
    return html


def build():
    from accounts.models import User
    from chronology.models import ChronologyEntry
    from reports import citations, document_services, glossary_services, services
    from reports.models import Document
    from reviews.models import Agency, Imr, Partnership, PartnershipMembership, Person, Review, ReviewMembership

    rng = random.Random(5)
    partnership = Partnership.objects.create(name="Benchshire Community Safety Partnership", slug="bench")
    chair = User.objects.create_user("chair", "chair@example.org", "bench-password-123")
    panel = [User.objects.create_user(f"panel{n}", f"panel{n}@example.org", "bench-password-123") for n in (1, 2)]
    PartnershipMembership.objects.create(user=chair, partnership=partnership)
    review = Review.objects.create(
        partnership=partnership, reference="BDHR-50", review_type="dhr", case_name="Adult Z",
        scope_start="2010-01-01", scope_end="2012-08-01",
    )  # fmt: skip
    ReviewMembership.objects.create(review=review, user=chair, role=ReviewMembership.Role.CHAIR)
    for user in panel:
        ReviewMembership.objects.create(review=review, user=user, role=ReviewMembership.Role.PANEL)
    Person.objects.create(review=review, real_name="Susan Marsh", designation="the victim's mother")
    agency = Agency.objects.create(partnership=partnership, name="Benchshire Police", kind="police")
    imr = Imr.objects.create(review=review, agency=agency, status=Imr.Status.ACCEPTED)
    entries = [
        ChronologyEntry.objects.create(
            imr=imr,
            position=n,
            date_start=datetime.date(2011, 1 + n % 9, 10 + n % 9),
            date_end=datetime.date(2011, 1 + n % 9, 10 + n % 9),
            precision="day",
            date_display=f"1{n % 9} May 2011",
            details=f"Contact number {n}.",
        )
        for n in range(40)
    ]
    glossary_services.glossary_term_save(review=review, abbreviation="DASH", expansion="Risk checklist", actor=chair)
    refs = [f"[[entry:{citations.entry_key(entry)}]]" for entry in entries] + [f"[[imr:{imr.pk}]]", "[[term:DASH]]"]
    document = document_services.document_create(review=review, kind=Document.Kind.OVERVIEW, actor=chair)
    section = document.sections.first()
    body = "".join(paragraph(rng, n, refs, [user.pk for user in panel]) for n in range(PARAGRAPHS))
    section = services.section_save(section_id=section.pk, body=body, base_version=0, actor=chair)
    return chair, panel, section


def timed(call, runs=RUNS) -> tuple[float, float]:
    times = []
    for n in range(runs):
        start = time.perf_counter()
        call(n)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), sorted(times)[max(0, int(runs * 0.95) - 1)]


def main() -> None:
    engine = django_setup()
    from reports import redactions, richtext, services
    from reports.models import Section

    chair, panel, section = build()
    words = len(richtext.plain_text(section.body).split())
    print(f"{engine}: one section of {words:,} words (about {words // 500} pages), {len(section.body):,} characters")

    def chair_saves(n: int) -> None:
        current = Section.objects.get(pk=section.pk)  # a word typed at the start, then taken out again
        body = "<p>" + current.body[5:] if current.body.startswith("<p>x ") else current.body.replace("<p>", "<p>x ", 1)
        services.section_save_once(
            section_id=section.pk, body=body, base_version=current.version, actor=chair, save_id=str(uuid.uuid4()),
            autosave=True,
        )  # fmt: skip

    def panel_suggests(n: int) -> None:
        current = Section.objects.get(pk=section.pk)
        inserted = f"<ins {change(f'bench-{uuid.uuid4().hex[:12]}', panel[0].pk)}> suggested {n}</ins>"
        body = current.body.replace(".</p>", f"{inserted}.</p>", 1)
        saved = services.section_save_once(
            section_id=section.pk, body=body, base_version=current.version, actor=panel[0], save_id=str(uuid.uuid4()),
            autosave=True, suggest_only=True,
        )  # fmt: skip
        assert saved.version == current.version + 1

    def cold(call):
        """A server process's first save of this section: nothing of it read before."""

        def once(n: int) -> None:
            richtext._BLOCKS.clear()
            richtext._accepted_block.cache_clear()
            redactions._block_marks.cache_clear()
            call(n)

        return once

    for label, call in (("the chair's autosave", chair_saves), ("a panel member's suggestion", panel_suggests)):
        median, p95 = timed(call)
        verdict = "within" if median < GOAL_MS else "OVER"
        print(f"  {label:<30} median {median:6.1f} ms  p95 {p95:6.1f} ms  ({verdict} the {GOAL_MS} ms goal)")
        median, p95 = timed(cold(call), runs=5)
        print(f"    the first in a new process   median {median:6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
