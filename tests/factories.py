import datetime

import factory

from accounts.models import User
from chronology.models import ChronologyEntry
from reviews.models import Agency, Imr, Partnership, PartnershipMembership, Person, Review, ReviewMembership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password("a-long-test-password")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Safeguarding Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    kind = Partnership.Kind.COMMUNITY_SAFETY


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.OTHER


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    partnership = factory.SubFactory(PartnershipFactory)
    reference = factory.Sequence(lambda n: f"DHR2026-{n:02d}")
    review_type = Review.Type.DHR
    case_name = factory.Sequence(lambda n: f"Family {n}")
    scope_start = datetime.date(2020, 1, 1)
    scope_end = datetime.date(2023, 6, 30)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewMembership

    review = factory.SubFactory(ReviewFactory)
    user = factory.SubFactory(UserFactory)
    role = ReviewMembership.Role.PANEL


class BoardAdminFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMembership

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)
    role = PartnershipMembership.Role.BOARD_ADMIN


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    review = factory.SubFactory(ReviewFactory)
    real_name = factory.Sequence(lambda n: f"Jane Example{n}")
    designation = factory.Sequence(lambda n: f"Adult {n}")
    relationship = Person.Relationship.VICTIM


class ImrFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Imr

    review = factory.SubFactory(ReviewFactory)
    agency = factory.SubFactory(AgencyFactory, partnership=factory.SelfAttribute("..review.partnership"))
    due_date = datetime.date(2026, 12, 31)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChronologyEntry

    imr = factory.SubFactory(ImrFactory)
    position = factory.Sequence(lambda n: n + 1)
    date_start = datetime.date(2021, 5, 1)
    date_end = datetime.date(2021, 5, 1)
    precision = "day"
    date_display = "1 May 2021"
    source = "Case record"
    event = "Home visit"
    details = factory.Sequence(lambda n: f"Visit number {n} to the family home.")
