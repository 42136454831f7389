from __future__ import annotations

import pytest

from reports import document_services, services
from reports.models import Document, Section
from tests.conftest import World


@pytest.fixture
def overview(world: World) -> Document:
    return document_services.document_create(review=world.review, kind=Document.Kind.OVERVIEW, actor=world.chair)


@pytest.fixture
def section(overview: Document, world: World) -> Section:
    """The introduction, saved once: "<p>One.</p><p>Two.</p><p>Three.</p>" at version 1."""
    first = overview.sections.get(position=1)
    return services.section_save(
        section_id=first.pk, body="<p>One.</p><p>Two.</p><p>Three.</p>", base_version=0, actor=world.chair
    )
