"""Writes for the integrated chronology: asking for a version (built by chronology.integrated.build
in a job), retrying one, the chair's decisions on suggested links, and key practice episodes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from casereview import jobs
from chronology.integrated.rows import entry_fingerprint
from chronology.integrated.timeline import timelines_redraw_later
from chronology.models import IntegratedChronology, IntegratedEntry, KeyEpisode, LinkDecision, SuggestedLink
from reviews.audit import audit_record
from reviews.models import Review
from reviews.publication import normalise


@transaction.atomic
def integrated_request(*, actor: User | None, review: Review, include_submitted: bool = False) -> IntegratedChronology:
    """Queue a new version; the build task runs once this transaction commits. While a version
    is waiting or building, asking again gives that one (casereview.jobs.job_request)."""
    Review.objects.select_for_update().filter(pk=review.pk).first()  # one version number at a time
    waiting = review.integrated_chronologies.filter(status__in=IntegratedChronology.ACTIVE).order_by("-version")
    if (existing := waiting.first()) is not None:
        return existing
    last = review.integrated_chronologies.aggregate(last=Max("version"))["last"] or 0
    chronology, _ = jobs.job_request(
        IntegratedChronology, actor=actor, review=review, version=last + 1, include_submitted=include_submitted
    )
    audit_record(
        actor=actor,
        action="chronology.build_requested",
        obj=chronology,
        review=review,
        object_repr=f"Integrated chronology v{chronology.version}",
        detail={"include_submitted": include_submitted},
    )
    return chronology


def integrated_retry(*, actor: User, chronology: IntegratedChronology) -> bool:
    """Queue the review's latest version again if it failed or its worker stopped, as if asked for
    now. Returns False otherwise: an older version is not rebuilt from today's chronologies under
    its old number, and a build with a heartbeat is alive, so left alone."""
    with transaction.atomic():
        if chronology.review.integrated_chronologies.filter(version__gt=chronology.version).exists():
            return False
        return jobs.job_retry_recorded(
            chronology, actor=actor, action="chronology.build_retried", review=chronology.review,
            object_repr=f"Integrated chronology v{chronology.version}",
        )  # fmt: skip


@transaction.atomic
def link_decide(*, actor: User, review: Review, link: SuggestedLink, status: str) -> LinkDecision:
    if status not in LinkDecision.Status.values:
        raise ValidationError(f'"{status}" is not a decision: confirm or dismiss.')
    fingerprint_a, fingerprint_b = _link_fingerprints(link)
    (source_a, fingerprint_a), (source_b, fingerprint_b) = sorted(
        ((link.source_a, fingerprint_a), (link.source_b, fingerprint_b))
    )
    decision, _created = LinkDecision.objects.update_or_create(
        review=review,
        kind=link.kind,
        source_a=source_a,
        source_b=source_b,
        defaults={
            "status": status,
            "decided_by": actor,
            "fingerprint_a": fingerprint_a,
            "fingerprint_b": fingerprint_b,
        },
    )
    audit_record(
        actor=actor,
        action=f"chronology.link_{status}",
        obj=decision,
        review=review,
        object_repr=f"{link.get_kind_display()}: entries {link.seq_a} and {link.seq_b}",
    )
    return decision


def _link_fingerprints(link: SuggestedLink) -> tuple[str, str]:
    """The link's fingerprints; a version built before they were kept has its entries' copies."""
    if link.fingerprint_a and link.fingerprint_b:
        return link.fingerprint_a, link.fingerprint_b
    fields = ("seq", "agency_id", "date_start", "date_end", "precision", "details")
    entries = {
        seq: entry_fingerprint(agency_id, start, end, precision, details)
        for seq, agency_id, start, end, precision, details in IntegratedEntry.objects.filter(
            chronology_id=link.chronology_id, seq__in=(link.seq_a, link.seq_b)
        ).values_list(*fields)
    }
    return entries.get(link.seq_a, ""), entries.get(link.seq_b, "")


@transaction.atomic
def episode_add(*, actor: User, review: Review, title: str, start: datetime.date, end: datetime.date) -> KeyEpisode:
    title = " ".join(normalise(title).split())
    if not title:
        raise ValidationError({"title": "Name the episode, for example \u201cThe first key episode\u201d."})
    if end < start:
        raise ValidationError({"end": "The episode ends before it starts."})
    episode = KeyEpisode.objects.create(review=review, title=title, start=start, end=end)
    audit_record(actor=actor, action="chronology.episode_added", obj=episode, review=review)
    timelines_redraw_later(review)
    return episode


@transaction.atomic
def episode_remove(*, actor: User, episode: KeyEpisode) -> None:
    audit_record(actor=actor, action="chronology.episode_removed", obj=episode, review=episode.review)
    episode.delete()
    timelines_redraw_later(episode.review)
