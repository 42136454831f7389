"""Documents to render in the rendering tests: sections long enough to fill several pages."""

from __future__ import annotations

from reports.models import Document, Section
from tests.conftest import World

SENTENCE = (
    "The agencies shared what they knew at the strategy discussion and agreed a plan of visits, "
    "which the health visitor and the family support worker carried out over the following weeks. "
)


def paragraphs(count: int, *, words: str = SENTENCE, repeat: int = 4) -> str:
    return "".join(f"<p>{words * repeat}({n + 1})</p>" for n in range(count))


def make_document(
    world: World,
    *,
    sections: list[tuple[str, str]] | None = None,
    status: str = Document.Status.DRAFT,
    numbering: str = Document.Numbering.PER_SECTION,
    kind: str = Document.Kind.OVERVIEW,
) -> Document:
    document = Document.objects.create(review=world.review, kind=kind, status=status, numbering=numbering)
    if sections is None:
        sections = [
            ("Introduction", paragraphs(3)),
            ("Background", paragraphs(12)),
            ("Analysis", paragraphs(14)),
            ("Conclusions", paragraphs(3)),
        ]
    for position, (title, body) in enumerate(sections, start=1):
        Section.objects.create(document=document, title=title, position=position, body=body, version=1)
    return Document.objects.select_related("review__partnership").get(pk=document.pk)
