"""The integrated chronology end to end: agency files in, the build task, links, decisions
that survive rebuilds, gaps, the page, and exports that never leak a registered name."""

import datetime
import io
import json
import subprocess
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from chronology import services
from chronology.exports.services import render_export
from chronology.importers import parse_chronology_file
from chronology.integrated import build as integrated_build
from chronology.integrated import services as integrated_services
from chronology.integrated.links import link_decisions
from chronology.models import IntegratedChronology
from chronology.tasks import integrated_build_task
from reviews.models import Imr
from tests.chronology.integrated_world import FILES, HEADER
from tests.chronology.integrated_world import build as _build

pytestmark = pytest.mark.django_db


def _json(chronology, names="designations") -> dict:
    return json.loads(render_export(chronology, fmt="json", names=names))


def test_the_json_export_links_a_conflicting_strategy_discussion_and_a_three_agency_core_group(review):
    chronology = _build(review)
    data = _json(chronology)
    assert data["review"] == {
        "reference": "NDHR-01",
        "type": "dhr",
        "scope_start": "2010-01-01",
        "scope_end": "2012-08-06",
    }
    by_event = {}
    for entry in data["entries"]:
        by_event.setdefault(entry["event"], []).append(entry)
    police, social_care = sorted(by_event["Strategy discussion"], key=lambda entry: entry["date_start"])
    assert (police["date_start"], social_care["date_start"]) == ("2012-05-01", "2012-05-23")
    assert police["links"] == [{"kind": "date_conflict", "seq": social_care["seq"], "status": "suggested"}]
    core_group = by_event["Core group meeting"]
    assert len({entry["agency"] for entry in core_group}) == 3
    for entry in core_group:
        others = {other["seq"] for other in core_group} - {entry["seq"]}
        assert {(link["kind"], link["seq"]) for link in entry["links"]} == {
            ("possible_duplicate", seq) for seq in others
        }


def test_entries_outside_the_review_period_are_kept_and_marked(review):
    data = _json(_build(review))
    outside = [entry for entry in data["entries"] if not entry["in_scope"]]
    assert [(entry["date_display"], entry["agency"]) for entry in outside] == [("2001", "Northshire Police")]
    assert data["entries"][0]["date_display"] == "2001"  # kept, in date order


def test_the_chairs_decisions_hold_in_every_later_version(review, world):
    first = _build(review)
    conflict = first.links.get(kind="date_conflict")
    duplicate = first.links.filter(kind="possible_duplicate").first()
    integrated_services.link_decide(actor=world.chair, review=review, link=conflict, status="dismissed")
    integrated_services.link_decide(actor=world.chair, review=review, link=duplicate, status="confirmed")
    second = _build(review)
    statuses = {(link["kind"], link["status"]) for entry in _json(second)["entries"] for link in entry["links"]}
    assert ("date_conflict", "dismissed") in statuses and ("possible_duplicate", "confirmed") in statuses
    assert second.version == first.version + 1
    assert IntegratedChronology.objects.get(pk=first.pk).entries.count() == 7  # the old version stays readable


def _reimport(review, agency_name: str, content: str) -> None:
    """The agency uploads its chronology again: every entry is replaced, with new ids."""
    imr = Imr.objects.get(review=review, agency__name=agency_name)
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS)
    services.chronology_import(actor=None, imr=imr, result=parse_chronology_file(content.encode()), replace=True)
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.ACCEPTED)


def _statuses(chronology) -> set[tuple[str, str]]:
    return {(link["kind"], link["status"]) for entry in _json(chronology)["entries"] for link in entry["links"]}


def test_the_chairs_decisions_survive_an_agency_reimporting_the_same_file(review, world):
    first = _build(review)
    conflict = first.links.get(kind="date_conflict")
    integrated_services.link_decide(actor=world.chair, review=review, link=conflict, status="dismissed")
    old_ids = set(Imr.objects.get(review=review, agency__name="Northshire Police").entries.values_list("pk", flat=True))
    _reimport(review, "Northshire Police", FILES["Northshire Police"])
    second = _build(review)
    relinked = second.links.get(kind="date_conflict")
    assert {relinked.source_a, relinked.source_b}.isdisjoint(old_ids)  # the police entry has a new id
    assert ("date_conflict", "dismissed") in _statuses(second)
    assert link_decisions(review.pk).of(relinked) == "dismissed"


def test_a_decision_no_longer_applies_once_the_reimported_entry_reads_differently(review, world):
    first = _build(review)
    integrated_services.link_decide(
        actor=world.chair, review=review, link=first.links.get(kind="date_conflict"), status="dismissed"
    )
    changed = FILES["Northshire Police"].replace(
        "Strategy discussion by phone with Danny's social worker.", "Strategy discussion by phone with the school."
    )
    _reimport(review, "Northshire Police", changed)
    second = _build(review)
    assert second.links.filter(kind="date_conflict").count() == 1  # still suggested: the dates still conflict
    assert ("date_conflict", "suggested") in _statuses(second)
    assert ("date_conflict", "dismissed") not in _statuses(second)


def test_a_fingerprint_ignores_case_and_spacing_but_not_the_words_dates_or_agency():
    from chronology.integrated.rows import entry_fingerprint

    day = datetime.date(2012, 5, 1)
    same = entry_fingerprint(1, day, day, "day", "Strategy  discussion\nby phone.")
    assert same == entry_fingerprint(1, day, day, "day", "strategy discussion by PHONE.")
    assert same != entry_fingerprint(1, day, day, "day", "Strategy discussion in person.")
    assert same != entry_fingerprint(2, day, day, "day", "Strategy discussion by phone.")
    assert same != entry_fingerprint(1, day, datetime.date(2012, 5, 31), "month", "Strategy discussion by phone.")


def test_a_gap_in_contact_is_found(review):
    data = _json(_build(review))
    # Contact in summer 2011 (a season) then nothing until 1 May 2012; from 1 Jan 2010 nothing until summer 2011.
    assert [(gap["start"], gap["end"]) for gap in data["gaps"]] == [
        ("2010-01-01", "2011-05-31"),
        ("2011-09-01", "2012-04-30"),
    ]


def test_no_registered_name_or_alias_leaves_in_any_export_with_designations(review, tmp_path):
    chronology = _build(review)
    forbidden = ["Jade Louise Marsh", "Jade Marsh", "Jadey", "Daniel Rafiq", "Danny"]
    texts = {}
    texts["json"] = render_export(chronology, fmt="json", names="designations").decode()
    texts["csv"] = render_export(chronology, fmt="csv", names="designations").decode("utf-8-sig")
    workbook = zipfile.ZipFile(io.BytesIO(render_export(chronology, fmt="xlsx", names="designations")))
    texts["xlsx"] = " ".join(workbook.read(name).decode() for name in workbook.namelist() if name.endswith(".xml"))
    pdf = tmp_path / "chronology.pdf"
    pdf.write_bytes(render_export(chronology, fmt="pdf", names="designations"))
    texts["pdf"] = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for fmt, text in texts.items():
        assert "the victim" in text.lower(), fmt
        for name in forbidden:
            assert name.lower() not in text.lower(), f"{name} in the {fmt} export"
    assert "Jade Marsh" in render_export(chronology, fmt="json", names="real").decode()


def test_a_build_runs_once_even_if_its_task_is_delivered_twice(review):
    chronology = _build(review)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "not queued"
    assert chronology.entries.count() == 7


def test_a_failed_build_says_why_and_can_be_retried(review, world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the merge fell over")

    monkeypatch.setattr(integrated_build, "entries_merge", broken)
    chronology = integrated_services.integrated_request(actor=None, review=review)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "failed"
    chronology.refresh_from_db()
    assert chronology.status == "failed" and chronology.error.startswith("Something went wrong while doing this")
    assert "the merge fell over" not in chronology.error  # the details are in the worker's log
    monkeypatch.undo()
    assert integrated_services.integrated_retry(actor=world.chair, chronology=chronology)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "ready"
    assert chronology.entries.count() == 7  # nothing left over from the failed attempt


def test_the_text_search_covers_the_agency_name_people_and_details(client, review, world):
    _build(review)
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])

    def matches(text: str, names: str = "designations") -> str:
        return client.get(url, {"q": text, "names": names}).content.decode()

    assert "1 entry matches" in matches("visiting hostel")  # the agency's name and the details
    assert "1 entry matches" in matches("perpetrator assault")  # the people as shown and the details
    assert "1 entry matches" in matches("rafiq assault", names="real")
    assert "0 entries match" in matches("hostel police")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's full-text search")
def test_the_text_search_is_stemmed_on_postgresql_also_after_a_reimport(client, review, world):
    _reimport(review, "Northshire Health Visiting", FILES["Northshire Health Visiting"])
    chronology = _build(review)
    # Each entry's vector is its agency entry's own (migration 0005) joined to the agency's name.
    assert not chronology.entries.extra(where=["search_vector IS NULL"]).exists()
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])
    assert "1 entry matches" in client.get(url, {"q": "visits hostels"}).content.decode()  # "Visited ... hostel"


def test_submitted_chronologies_are_merged_only_when_the_chair_asks(review, world):
    Imr.objects.filter(review=review, agency__name="Northshire Health Visiting").update(status=Imr.Status.SUBMITTED)
    assert _build(review).entry_count == 5
    assert _build(review, include_submitted=True).entry_count == 7


def test_the_page_filters_by_agency_text_and_links_with_the_filters_in_the_url(client, review, world):
    _build(review)
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])
    page = client.get(url).content.decode()
    assert "7 entries" in page and "the victim" in page and "Jade Marsh" not in page
    # The timeline is a picture of its own, not inlined in the page.
    assert f'<img src="{url}v1/timeline.svg?d=' in page and "<svg" not in page
    police = review.partnership.agencies.get(name="Northshire Police").pk
    assert "3 entries match" in client.get(url, {"agency": police}).content.decode()
    assert "1 entry matches" in client.get(url, {"q": "nursery"}).content.decode()
    assert "5 entries match" in client.get(url, {"linked": "linked"}).content.decode()
    real = client.get(url, {"names": "real"}).content.decode()
    assert "Jade Marsh" in real


def test_the_first_filtered_page_takes_a_fixed_number_of_queries(client, review, world, django_assert_max_num_queries):
    chronology = _build(review)
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])
    client.get(url, {"q": "core group", "significant": "no"})
    with django_assert_max_num_queries(30) as first:
        client.get(url, {"q": "core group", "significant": "no"})
    first_count = len(first)  # counted now: the next request clears Django's query log
    more = [(f"{day:02d}/05/2012", "x") for day in range(1, 29)]
    content = HEADER + "".join(f"{date},,Jade Marsh,log,Core group meeting,{text},N\n" for date, text in more)
    imr = Imr.objects.get(review=review, agency__name="Northshire Police")
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS)
    services.chronology_import(actor=None, imr=imr, result=parse_chronology_file(content.encode()), replace=True)
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.ACCEPTED)
    _build(review)
    client.get(url, {"q": "core group", "significant": "no"})  # the new version's first look is recorded once
    with django_assert_max_num_queries(first_count) as second:
        client.get(url, {"q": "core group", "significant": "no"})
    assert len(second) == first_count, chronology


def test_build_and_export_commands(review, tmp_path, capsys):
    call_command("build_chronology", "NDHR-01")
    out = capsys.readouterr().out
    assert (
        "NDHR-01 integrated chronology v1: 7 entries from 3 agencies, 3 suggested duplicates, 1 date conflict, 2 gaps"
        in out
    )
    target = tmp_path / "out.json"
    call_command("export_chronology", "NDHR-01", "--format", "json", "--output", str(target))
    assert json.loads(target.read_bytes())["entries"][0]["seq"] == 1


def test_details_cannot_inject_markup_into_the_page_or_the_timeline(client, review, world):
    imr = Imr.objects.get(review=review, agency__name="Northshire Police")
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS)
    hostile = HEADER + '01/05/2012,,,log,<script>alert(1)</script>,"<img src=x onerror=alert(1)>",N\n'
    services.chronology_import(actor=None, imr=imr, result=parse_chronology_file(hostile.encode()), replace=True)
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.ACCEPTED)
    _build(review)
    client.force_login(world.chair)
    page = client.get(reverse("chronology:integrated", args=[review.pk])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
