import datetime

import pytest

from chronology import services
from chronology.importers import parse_chronology_file
from reviews.models import Imr
from tests.chronology.integrated_world import FILES
from tests.factories import AgencyFactory, ImrFactory, PersonFactory


@pytest.fixture
def review(world):
    review = world.review
    PersonFactory(
        review=review, real_name="Jade Louise Marsh", aliases=["Jade Marsh", "Jadey"], designation="the victim"
    )
    PersonFactory(review=review, real_name="Daniel Rafiq", aliases=["Danny"], designation="the perpetrator")
    for name, content in FILES.items():
        agency = review.partnership.agencies.filter(name=name).first() or AgencyFactory(
            partnership=review.partnership, name=name
        )
        imr = Imr.objects.filter(review=review, agency=agency).first() or ImrFactory(review=review, agency=agency)
        Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS)
        services.chronology_import(actor=None, imr=imr, result=parse_chronology_file(content.encode()), replace=True)
        Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.ACCEPTED)
    review.scope_start, review.scope_end = datetime.date(2010, 1, 1), datetime.date(2012, 8, 6)
    review.save()
    return review
