"""A document's publication version as web pages: a folder (a zip) a partnership puts on its own
website, because a PDF or a Word file alone does not meet the accessibility regulations for a
public body's website.

Pure steps over the composed document the PDF prints (reports.render.RenderInput):

    web_page(render_input, pages) -> str        (templates/reports/web/document.html)
    bundle_files(render_inputs) -> dict[str, bytes]
        index.html listing the documents, one page a document, style.css, the fonts and their
        licence, the partnership's logo and any figure (the timeline) as a file of its own
    bundle_zip(files) -> bytes

Nothing in a page runs or fetches: no script, no address outside the folder. Numbered
paragraphs carry ids made of their numbers ("3.2" is #p3-2), footnotes link both ways, and
the publication check reads every file of the finished zip (reviews.publication.files).
"""

from __future__ import annotations

import html as htmllib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from reports.compose import ComposedDocument
from reports.render import FOOTNOTE_REF_RE, RenderInput, _printed_appendix

FONTS = (
    "LiberationSans-Regular.ttf",
    "LiberationSans-Bold.ttf",
    "LiberationSans-Italic.ttf",
    "LiberationSans-BoldItalic.ttf",
    "LICENSE-LiberationSans.txt",
)
STYLESHEET = "css/web-document.css"
LOGO_NAMES = {"image/png": "logo.png", "image/jpeg": "logo.jpg"}
# A fixed time for every file in the zip: the same document makes the same bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_OPENING_P_RE = re.compile(r"^<p(\s[^>]*)?>")


@dataclass(frozen=True)
class PageLink:
    filename: str  # "overview-report.html"
    title: str  # "Overview report"


@dataclass(frozen=True)
class WebBlock:
    html: SafeString
    number: str


def page_filename(data: RenderInput) -> str:
    return f"{slugify(data.kind_label)}.html"


def paragraph_id(number: str) -> str:
    """The id of a numbered paragraph: "3.2" is "p3-2", "41" is "p41"."""
    return "p" + number.replace(".", "-")


def _marks(composed: ComposedDocument):
    """A footnote mark's replacement: each mark its own id, the first of a note's marks the one
    the note links back to."""
    times: dict[int, int] = {}

    def mark(match: re.Match[str]) -> str:
        number = int(match.group(1))
        times[number] = times.get(number, 0) + 1
        ref = f"fnref-{number}" if times[number] == 1 else f"fnref-{number}-{times[number]}"
        return (
            f'<sup class="footnote-ref" id="{ref}"><a href="#fn-{number}">'
            f'<span class="visually-hidden">Note </span>{number}</a></sup>'
        )

    return mark


_THEAD_RE = re.compile(r"<thead>.*?</thead>", re.S)


def _table(value: str) -> str:
    """A table written in a section: its column headers marked as such, and a box of its own to
    scroll sideways in on a narrow screen (the page itself never does)."""
    value = _THEAD_RE.sub(lambda head: head.group(0).replace("<th>", '<th scope="col">'), value)
    return f'<div class="table-wrap" role="region" aria-label="Table" tabindex="0">{value}</div>'


def _web_blocks(blocks, mark) -> list[WebBlock]:
    out = []
    for block in blocks:
        value = FOOTNOTE_REF_RE.sub(mark, block.heading_html)
        if value.startswith("<table"):
            value = _table(value)
        if block.number and not block.level:
            anchor = paragraph_id(block.number)
            label = (
                f'<a class="para-number" href="#{anchor}">'
                f'<span class="visually-hidden">Paragraph </span>{htmllib.escape(block.number)}</a>'
            )
            opening = _OPENING_P_RE.match(value)
            if opening:
                value = f'<p class="numbered" id="{anchor}"{opening.group(1) or ""}>{label}' + value[opening.end() :]
        out.append(WebBlock(mark_safe(value), block.number))  # noqa: S308 (sanitised on save)
    return out


def _appendices(data: RenderInput, stem: str) -> tuple[list[dict], dict[str, bytes]]:
    """The appendices as the page shows them, and each figure (the timeline) as an SVG file."""
    shown, figures = [], {}
    for appendix in data.appendices:
        printed = _printed_appendix(appendix)
        printed["figure_file"] = ""
        if appendix.figure_svg:
            name = f"{stem}-appendix-{printed['id']}.svg"
            figures[name] = appendix.figure_svg.encode("utf-8")
            printed["figure_file"] = name
        shown.append(printed)
    return shown, figures


def web_page(data: RenderInput, pages: list[PageLink]) -> tuple[str, dict[str, bytes]]:
    """One document's page, and the figures it shows as files of their own."""
    mark = _marks(data.composed)
    sections = [{"section": section, "blocks": _web_blocks(section.blocks, mark)} for section in data.composed.sections]
    appendices, figures = _appendices(data, page_filename(data).removesuffix(".html"))
    page = render_to_string(
        "reports/web/document.html",
        {
            "d": data,
            "sections": sections,
            "appendices": appendices,
            "pages": pages,
            "here": page_filename(data),
            "logo": LOGO_NAMES.get(data.logo_type, "") if data.logo else "",
        },
    )
    return page, figures


def _static(name: str) -> bytes:
    return (Path(settings.BASE_DIR) / "static" / name).read_bytes()


def bundle_files(inputs: list[RenderInput]) -> dict[str, bytes]:
    """Every file of the folder, by its name in the folder. The documents in the order given."""
    if not inputs:
        raise ValueError("a bundle needs at least one document")
    pages = [PageLink(page_filename(data), data.kind_label) for data in inputs]
    first = inputs[0]
    files: dict[str, bytes] = {
        "index.html": render_to_string(
            "reports/web/index.html", {"d": first, "pages": pages, "documents": list(zip(pages, inputs, strict=True))}
        ).encode("utf-8"),
    }
    for data in inputs:
        page, figures = web_page(data, pages)
        files[page_filename(data)] = page.encode("utf-8")
        files.update(figures)
    files["style.css"] = _static(STYLESHEET)
    for font in FONTS:
        files[f"fonts/{font}"] = _static(f"fonts/{font}")
    if first.logo and first.logo_type in LOGO_NAMES:
        files[LOGO_NAMES[first.logo_type]] = first.logo
    return files


def bundle_zip(files: dict[str, bytes]) -> bytes:
    """The folder as a zip, its files in a fixed order with a fixed time: the same files make the
    same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files, key=lambda n: (n != "index.html", n)):
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), files[name], compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def bundle_unzip(data: bytes) -> dict[str, bytes]:
    """The files of a bundle's zip, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
