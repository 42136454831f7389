"""Personas and the world they work in.

One review in one partnership, with IMRs from two agencies (A and B); a second partnership
with its own review and board administrator; and a persona for every role:
chair, panel member, IMR author of agency A, IMR author of agency B, an IMR author of A who
is also action owner for B, action owner,
board administrator, another board's administrator, an outsider with no role, and a family reader
invited to read the review's draft (and nothing else)."""

import copy
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from casereview.celery import app as celery_app
from chronology.models import ChronologyEntry, Clarification
from reviews.models import Agency, Imr, Person, Review, ReviewMembership
from tests import sqlite_template
from tests.factories import (
    AgencyFactory,
    BoardAdminFactory,
    EntryFactory,
    ImrFactory,
    MembershipFactory,
    PartnershipFactory,
    PersonFactory,
    ReviewFactory,
    UserFactory,
)


def pytest_configure(config):
    # An in-memory SQLite test database is copied from one migrated before (tests/sqlite_template.py).
    sqlite_template.install()
    # Tests talk plain HTTP to the test client and the live server; production keeps these on.
    django_settings.SECURE_SSL_REDIRECT = False
    django_settings.SESSION_COOKIE_SECURE = False
    django_settings.CSRF_COOKIE_SECURE = False
    # Test processes run side by side (pytest-xdist) share Redis: each keeps its cache keys apart.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        for cache in django_settings.CACHES.values():
            cache["KEY_PREFIX"] = f"test-{worker}"
    # Hashing a password properly takes a deliberate quarter-second; tests make hundreds.
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Static files are served from the source tree, uncompressed, with no collectstatic.
    django_settings.WHITENOISE_AUTOREFRESH = True
    django_settings.WHITENOISE_USE_FINDERS = True
    django_settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Stored files go to a directory of this run's own, never the repository's media/; the
    # environment carries it to the real workers the worker tests start.
    media = tempfile.mkdtemp(prefix="casereview-test-media-")
    config._casereview_media = media
    os.environ["MEDIA_ROOT"] = media
    django_settings.MEDIA_ROOT = media


def pytest_unconfigure(config):
    media = getattr(config, "_casereview_media", None)
    if media:
        shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks run in-process in tests; the worker tests switch this off themselves."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


# Django's own force_login: a session that has passed the password step only.
force_login_password_only = Client.force_login


def mfa_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator, made on first use: every persona is enrolled."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def totp_code(user: User) -> str:
    """The code the user's authenticator app shows now. A code is accepted once, so when this
    time step's code has been used the next step's (within the device's tolerance) is given."""
    device = mfa_device(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time = device.t0 + (device.last_t + 1 - device.drift) * device.step
    return f"{totp.token():0{device.digits}d}"


# The signed-in session of each persona of a module's shared world (see _world_of_module), by
# user id: a client of such a module signs in by taking its cookie.
_module_sessions: dict[int, str] = {}


def force_login_with_mfa(self: Client, user: User, backend: str | None = None) -> None:
    """Sign in as the personas do in real life: password and second factor. The session is
    marked verified the way django_otp.login does it, by the device's persistent id; the
    MFA requirement itself is untouched (see tests/accounts for a password-only session)."""
    shared = _module_sessions.get(user.pk)
    if shared is not None:
        self.cookies[django_settings.SESSION_COOKIE_NAME] = shared
        return
    force_login_password_only(self, user, backend)
    session = self.session
    session[DEVICE_ID_SESSION_KEY] = mfa_device(user).persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _signed_in_clients_pass_mfa(monkeypatch):
    monkeypatch.setattr(Client, "force_login", force_login_with_mfa)


@dataclass
class World:
    review: Review
    other_review: Review
    agency_a: Agency
    agency_b: Agency
    imr_a: Imr
    imr_b: Imr
    entry_a: ChronologyEntry
    entry_b: ChronologyEntry
    question_a: Clarification
    person: Person
    chair: User
    panel: User
    author_a: User
    author_b: User
    author_a_owner_b: User
    owner: User
    board_admin: User
    other_board_admin: User
    outsider: User
    # Invited by the chair to read the review's overview report and executive summary, nothing else.
    family_reader: User

    def persona(self, name: str) -> User | None:
        if name == "family_reader":
            family_reading(self)  # a family reader is one because they hold an invitation to read
        return None if name == "anonymous" else getattr(self, name)


def family_reading(w: World):
    """The family reader's accepted invitation to read a version of ``w.review``'s overview report and
    executive summary, made on first use with the documents when the review has none yet (most
    tests never need them). Each version holds a saved section: the overview's second section (the
    matrix's own drafting writes the first) and the executive summary's first."""
    import datetime
    import uuid

    from django.utils import timezone

    from accounts.models import Invitation
    from reports import document_services
    from reports import services as report_services
    from reports.family_models import FamilyReader, FamilyReaderVersion
    from reports.family_selectors import revisions_at
    from reports.models import Document

    review = w.review
    if hasattr(review, "_family_reading"):
        return review._family_reading
    invitation = Invitation.objects.create(
        email=f"family.reader.{review.pk}@example.org",
        purpose=Invitation.Purpose.FAMILY_READER,
        partnership=review.partnership,
        review=review,
        token_hash=uuid.uuid4().hex,
        invited_by=w.chair,
        expires_at=timezone.now() + datetime.timedelta(days=7),
        accepted_at=timezone.now(),
        accepted_by=w.family_reader,
    )
    reader = FamilyReader.objects.create(
        review=review,
        invitation=invitation,
        name="Jean Marsh",
        relationship="the victim's sister",
        access_until=timezone.localdate() + datetime.timedelta(days=30),
        created_by=w.chair,
    )
    for kind, position in (("overview", 1), ("executive_summary", 0)):
        document = Document.objects.filter(review=review, kind=kind).first() or document_services.document_create(
            review=review, kind=kind, actor=w.chair
        )
        section = document.sections.order_by("position", "pk")[position]
        report_services.section_save(
            section_id=section.pk,
            body=f"<p>The panel's draft of the {document.get_kind_display().lower()}.</p>",
            base_version=section.version,
            actor=w.chair,
        )
        version = FamilyReaderVersion.objects.create(reader=reader, document=document, label="As it reads now")
        version.revisions.set(revisions_at(document, None))
    review._family_reading = reader
    return reader


PERSONAS = (
    "anonymous",
    "outsider",
    "other_board_admin",
    "board_admin",
    "chair",
    "panel",
    "author_a",
    "author_b",
    "author_a_owner_b",
    "owner",
    "family_reader",
)


@pytest.fixture(scope="module")
def _world_of_module(request, django_db_setup, django_db_blocker):
    """The world built once for a module that says ``SHARED_WORLD = True`` (one whose tests only
    make requests and read: the permission matrix, the IDOR sweep), inside a transaction rolled
    back after the module's last test. Each test runs inside it in a savepoint of its own
    (pytest-django's ``db``, a TestCase), rolled back after it, so what one test writes is gone
    before the next. Such a module may hold no test that needs real commits or runs a command
    that closes the connection. None for every other module."""
    if not getattr(request.module, "SHARED_WORLD", False):
        yield None
        return
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            shared = build_world()
            _module_sessions.update(_signed_in_sessions(shared))
        try:
            yield shared
        finally:
            _module_sessions.clear()


@contextmanager
def module_transaction(django_db_blocker):
    """A transaction around a module's tests, rolled back after its last: what a module-scoped
    fixture makes inside it is there for every test of the module, each test running in a
    savepoint of its own (pytest-django's ``db``). Such a module may hold no test that needs
    real commits or runs a command that closes the connection."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _signed_in_sessions(shared: World) -> dict[int, str]:
    """Each persona signed in once for the module, so a test signs in by taking a cookie: what a
    test does to its session is rolled back with it. (The family reader's invitation is still made
    by the test that needs it: the module's world is the world every other test starts from.)"""
    sessions = {}
    for name in PERSONAS:
        user = getattr(shared, name, None)
        if user is not None:
            client = Client()
            force_login_with_mfa(client, user)
            sessions[user.pk] = client.session.session_key
    return sessions


@pytest.fixture
def world(_world_of_module, db) -> World:
    """The personas and their review. Building it is most of a short test's time (some sixty
    rows); a module sharing one (see _world_of_module) gives each test its own copy of the
    objects, as Django's TestCase gives setUpTestData's: a test may change them freely."""
    if _world_of_module is None:
        return build_world()
    return copy.deepcopy(_world_of_module)


def build_world() -> World:
    partnership = PartnershipFactory(name="Northshire Community Safety Partnership")
    review = ReviewFactory(partnership=partnership, reference="NDHR-01", case_name="Adult A")
    agency_a = AgencyFactory(partnership=partnership, name="Northshire Police", kind=Agency.Kind.POLICE)
    agency_b = AgencyFactory(
        partnership=partnership, name="Northshire Children's Social Care", kind=Agency.Kind.CHILDRENS_SOCIAL_CARE
    )
    other_partnership = PartnershipFactory(name="Southshire Safeguarding Children Partnership")
    other_review = ReviewFactory(partnership=other_partnership, reference="SCSPR-01", case_name="Child S")
    role = ReviewMembership.Role
    # The chair's name is printed on report covers: a fixed one, clear of any person a test registers.
    chair_user = UserFactory(username="chair", first_name="Helena", last_name="Marchbank")
    chair = MembershipFactory(review=review, role=role.CHAIR, user=chair_user).user
    panel = MembershipFactory(review=review, role=role.PANEL, user=UserFactory(username="panel")).user
    author_a = MembershipFactory(
        review=review, role=role.IMR_AUTHOR, agency=agency_a, user=UserFactory(username="author_a")
    ).user
    author_b = MembershipFactory(
        review=review, role=role.IMR_AUTHOR, agency=agency_b, user=UserFactory(username="author_b")
    ).user
    owner = MembershipFactory(
        review=review, role=role.ACTION_OWNER, agency=agency_a, user=UserFactory(username="owner")
    ).user
    # Writes agency A's IMR and owns agency B's actions: that gives no way into B's IMR.
    mixed = MembershipFactory(
        review=review, role=role.IMR_AUTHOR, agency=agency_a, user=UserFactory(username="author_a_owner_b")
    ).user
    MembershipFactory(review=review, role=role.ACTION_OWNER, agency=agency_b, user=mixed)
    board_admin = BoardAdminFactory(partnership=partnership, user=UserFactory(username="board_admin")).user
    other_board_admin = BoardAdminFactory(
        partnership=other_partnership, user=UserFactory(username="other_board_admin")
    ).user
    # Agency A is drafting its IMR; agency B has submitted its own.
    imr_a = ImrFactory(review=review, agency=agency_a, author=author_a, status=Imr.Status.IN_PROGRESS)
    imr_b = ImrFactory(review=review, agency=agency_b, author=author_b, status=Imr.Status.SUBMITTED)
    entry_a = EntryFactory(imr=imr_a, people=["Susan Marsh"])
    return World(
        review=review,
        other_review=other_review,
        agency_a=agency_a,
        agency_b=agency_b,
        imr_a=imr_a,
        imr_b=imr_b,
        entry_a=entry_a,
        entry_b=EntryFactory(imr=imr_b),
        question_a=Clarification.objects.create(imr=imr_a, entry=entry_a, question="Who made the referral?"),
        person=PersonFactory(review=review, real_name="Susan Marsh", designation="the victim's mother"),
        chair=chair,
        panel=panel,
        author_a=author_a,
        author_b=author_b,
        author_a_owner_b=mixed,
        owner=owner,
        board_admin=board_admin,
        other_board_admin=other_board_admin,
        outsider=UserFactory(username="outsider"),
        family_reader=UserFactory(username="family_reader"),
    )
