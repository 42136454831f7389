"""The integrated chronology's test review: three agencies whose files record one strategy
discussion three weeks apart and one core group meeting on the same day (tests/chronology/conftest.py
makes it), and a helper that builds a version as the task does. The entries name people by
registered full names and aliases only, so the designations exports pass the publication check
(what a forename alone does is tests/chronology/test_exports_publication.py)."""

from chronology.integrated import services as integrated_services
from chronology.models import IntegratedChronology
from chronology.tasks import integrated_build_task

HEADER = "Date,Time,Person(s),Source,Event,Details,Significant\n"
FILES = {
    "Northshire Police": HEADER
    + "01/05/2012,11:00,Jade Marsh,PPU log,Strategy discussion,"
    + "Strategy discussion by phone with Danny's social worker.,Y\n"
    + "13/07/2012,,Jade Marsh,Incident log,Core group meeting,Officer attended the core group for Jade Marsh.,N\n"
    + "2001,,Daniel Rafiq,PNC,Arrest,Arrested for assault on a previous partner.,N\n",
    "Northshire Children's Social Care": HEADER
    + "23/05/2012,15:00,Jade Marsh; Danny,Case file,Strategy discussion,"
    + "Strategy discussion chaired by the team manager.,Y\n"
    + "13/07/2012,10:00,Jade Marsh,Core group minutes,Core group meeting,Core group held at the nursery.,N\n",
    "Northshire Health Visiting": HEADER
    + "13/07/2012,10:00,Jade Marsh,HV record,Core group meeting,"
    + "Attended the core group; Jade Marsh's mother present.,N\n"
    + "Summer 2011,,Jade Marsh,HV record,Home visit,Visited Jadey at the hostel.,N\n",
}


def build(review, **options) -> IntegratedChronology:
    chronology = integrated_services.integrated_request(actor=None, review=review, **options)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "ready"
    chronology.refresh_from_db()
    return chronology
