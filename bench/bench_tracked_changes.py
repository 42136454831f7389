"""Two saves at the edge of what a section holds, and the timeline of 100,000 entries.

- a panel member's save of a section of 5,000 paragraphs, each with a tracked insertion of theirs;
- a panel member's one deletion beside 5,000 tracked insertions of the chair's (each checked to
  be left as the chair made it);
- the timeline picture of 100,000 entries in 20 agencies (drawn as the build draws it).

Each save is timed with the chair's save of the section before it (the text the panel member
works on). Goals: each under 5 s on a busy machine."""

import datetime
import random
import statistics
import time

from _setup import django_setup

T = "2026-12-03T20:45:00Z"
RUNS = 3


def _change(user, cid: str) -> str:
    return f'data-change="{cid}" data-author="{user.pk}" data-time="{T}"'


def _timed(function) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _section():
    from accounts.models import User
    from reports import document_services
    from reports.models import Document
    from reviews.models import Partnership, Review, ReviewMembership

    partnership = Partnership.objects.create(name="Benchshire Community Safety Partnership", slug="bench")
    chair = User.objects.create_user("chair", "chair@example.org", "bench-password-123")
    panel = User.objects.create_user("panel", "panel@example.org", "bench-password-123")
    review = Review.objects.create(
        partnership=partnership, reference="BDHR-TC", review_type="dhr", case_name="Adult Z",
        scope_start="2010-01-01", scope_end="2012-08-01",
    )  # fmt: skip
    ReviewMembership.objects.create(review=review, user=chair, role=ReviewMembership.Role.CHAIR)
    ReviewMembership.objects.create(review=review, user=panel, role=ReviewMembership.Role.PANEL)
    document = document_services.document_create(review=review, kind=Document.Kind.OVERVIEW, actor=chair)
    return chair, panel, document.sections.first()


def _saves() -> None:
    from reports import services
    from reports.models import Section

    chair, panel, section = _section()

    def save(user, body: str, *, suggest_only: bool = True) -> None:
        current = Section.objects.get(pk=section.pk)
        services.section_save(
            section_id=section.pk, body=body, base_version=current.version, actor=user, suggest_only=suggest_only
        )

    plain = "".join(f"<p>Para {i}.</p>" for i in range(5000))
    suggested = "".join(f"<p>Para {i}.<ins {_change(panel, f'change-{i:05d}')}> more</ins></p>" for i in range(5000))

    def panel_suggests_everywhere() -> None:
        save(chair, plain, suggest_only=False)
        save(panel, suggested)

    theirs = "".join(f"<p>Para {i}.<ins {_change(chair, f'change-{i:05d}')}> more</ins></p>" for i in range(5000))
    mine = theirs.replace("<p>Para 17.", f"<p>Para 17<del {_change(panel, 'mine-0001')}>.</del>")

    def panel_deletes_beside_theirs() -> None:
        save(chair, theirs, suggest_only=False)
        save(panel, mine)

    print(f"panel member's save, 5,000 tracked insertions of theirs (with the chair's save before it): "
          f"median {_timed(panel_suggests_everywhere):.2f} s of {RUNS}")  # fmt: skip
    print(f"panel member's deletion beside 5,000 of the chair's insertions (with the chair's save before it): "
          f"median {_timed(panel_deletes_beside_theirs):.2f} s of {RUNS}")  # fmt: skip


def _timeline() -> None:
    from chronology.integrated.timeline_svg import timeline_svg
    from tests.chronology.test_timeline import SCOPE, chronology, entry  # the tests' own builders

    rng = random.Random(7)
    agencies = [f"Agency {n}" for n in range(20)]
    entries = []
    for seq in range(1, 100_001):
        start = SCOPE[0] + datetime.timedelta(days=rng.randrange(5 * 365))
        entries.append(entry(seq, start, agency=rng.choice(agencies), significant=seq % 50 == 0))
    drawn = chronology(entries, agencies)
    seconds = _timed(lambda: timeline_svg(drawn))
    print(f"timeline picture of 100,000 entries in 20 agencies: median {seconds:.2f} s of {RUNS}")


def main() -> None:
    engine = django_setup()
    print(f"database: {engine}")
    _saves()
    _timeline()


if __name__ == "__main__":
    main()
