"""Which code made a generated file: a hash of the files that shape its content and of the
installed versions of the libraries that write it. A fingerprint that includes this says a file
made by older code is not current, so nothing made before an upgrade is offered as unchanged.

The files are named by glob patterns over whole rendering modules and folders, not by a list
of files kept by hand; tests/test_code_version.py fails when a module that the renderers import
is not covered, or when a template or static file they use is not.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from pathlib import Path

# The publication pipeline: what it replaces, what it blocks and how it reads finished files.
BASE_DIR = Path(__file__).resolve().parent.parent  # the project, as settings.BASE_DIR

PUBLICATION_CODE = (
    "reviews/publication/*.py",
    "reviews/models.py",  # the person register and the chair's decisions it reads
    # Models kept beside reviews/models.py and registered through it (clock records, the email outbox).
    "reviews/clock_models.py",
    "reviews/notification_models.py",
    "reviews/family_models.py",  # the family involvement log: the labels the family block prints
    "reviews/scoping_models.py",  # the scoping decision, which the statutory clocks read
)
PUBLICATION_PACKAGES = ("english-words", "confusable-homoglyphs")

# The integrated chronology as exported (PDF, XLSX, CSV, JSON) and as appended to a document.
CHRONOLOGY_EXPORT_CODE = (
    # The exports package but its pages (views, forms), which make no file.
    "chronology/exports/__init__.py",
    "chronology/exports/data.py",
    "chronology/exports/build.py",
    "chronology/exports/published.py",
    "chronology/exports/formats.py",
    "chronology/exports/xlsx.py",
    "chronology/exports/services.py",
    "chronology/exports/kept.py",  # a version's published entries, kept for its next export
    "chronology/exports/selectors.py",
    "chronology/integrated/__init__.py",
    "chronology/integrated/rows.py",  # an entry's fingerprint, which publication decisions are kept against
    "chronology/integrated/links.py",  # the chair's link decisions as shown
    "chronology/integrated/timeline_print.py",
    "chronology/integrated/timeline_svg.py",
    "chronology/integrated/timeline_text.py",
    "chronology/integrated/timeline_zoom.py",
    "chronology/models.py",  # labels of precisions and kinds as printed
    "casereview/pdf.py",  # WeasyPrint and the fetcher of static files
    "casereview/pdf_structure.py",  # page furniture as artifacts, header cells' scope
    "casereview/spreadsheets.py",  # cells made safe
    "reviews/labels.py",  # the protective marking
    "templates/chronology/pdf/*.html",
    "static/css/print-chronology.css",
    "static/fonts/*.ttf",
    *PUBLICATION_CODE,
    "reviews/publication_services.py",
)
CHRONOLOGY_EXPORT_PACKAGES = ("weasyprint", "pydyf", "openpyxl", "XlsxWriter", "Django", *PUBLICATION_PACKAGES)

# A document (overview report, executive summary) as PDF or Word, with its appendices.
DOCUMENT_RENDER_CODE = (
    "reports/render.py",
    "reports/render_front.py",  # the cover: statutory line, chair, author, contents or not
    "reports/render_briefing.py",  # a learning briefing's slides and handout
    "reports/render_appendix.py",  # the appendices' tables
    "actions/exports.py",  # the action plan's columns and rows, as its export has them
    "actions/selectors.py",  # the plan's recommendations and actions in order
    "casereview/months.py",
    "reviews/clocks.py",
    "templates/actions/pdf/*.html",
    "casereview/pdf.py",
    "reports/docx_*.py",  # docx_render, docx_text, docx_parts
    "reports/compose.py",
    "reports/compose_structure.py",  # heading numbers, empty sections, the glossary used, empty columns
    "reports/data_blocks.py",  # what a [[data:...]] block prints
    "reports/family_block.py",  # the family involvement block: who is named, what is quoted
    "reviews/family_selectors.py",  # the log the family block reads, in its order
    "reports/citations.py",  # what an entry reference resolves to (its fingerprint)
    "reports/richtext.py",
    "reports/markup.py",  # how section HTML is read, token by token
    "reports/redactions.py",
    "reports/layouts.py",
    "reports/models.py",  # labels of statuses and kinds as printed
    "actions/models.py",  # an action's status as the action plan prints it
    "templates/reports/pdf/*.html",
    "templates/reports/pdf/*.svg",  # the watermark
    "reports/render_html.py",  # the web pages (a zip), publication version only
    "templates/reports/web/*.html",
    "static/css/web-document.css",
    "templates/reports/snippets/publication_report_body.html",
    "static/css/print-*.css",
    "static/fonts/*.ttf",
    *CHRONOLOGY_EXPORT_CODE,
)
DOCUMENT_RENDER_PACKAGES = ("python-docx", "nh3", "pypdfium2", *CHRONOLOGY_EXPORT_PACKAGES)


def covered_files(patterns: tuple[str, ...]) -> list[Path]:
    """The files the patterns name (relative to the project), each once, in a stable order."""
    return sorted({path for pattern in patterns for path in BASE_DIR.glob(pattern) if path.is_file()})


@cache
def code_version(patterns: tuple[str, ...], packages: tuple[str, ...] = ()) -> str:
    """A hash of the files the patterns name (their paths and contents) and of the packages'
    installed versions; computed once per process."""
    digest = hashlib.sha256()
    for path in covered_files(patterns):
        digest.update(path.relative_to(BASE_DIR).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for package in sorted(set(packages)):
        digest.update(f"{package}=={version(package)}\0".encode())
    return digest.hexdigest()


def publication_code_version() -> str:
    return code_version(PUBLICATION_CODE, PUBLICATION_PACKAGES)


def chronology_export_code_version() -> str:
    return code_version(CHRONOLOGY_EXPORT_CODE, CHRONOLOGY_EXPORT_PACKAGES)


def document_render_code_version() -> str:
    return code_version(DOCUMENT_RENDER_CODE, DOCUMENT_RENDER_PACKAGES)
