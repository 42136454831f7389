"""A 100-page overview report to PDF and Word.

Generates an overview report of 19 sections (numbered paragraphs, headings, lists, a table,
references that become footnotes, a glossary) long enough for about 100 A4 pages, and times
the rendering pipeline: compose + HTML, WeasyPrint to PDF, and the Word file. Beside it, as a
reference and not a replacement, headless Chromium printing the same HTML (it has no contents
page numbers, no running header and no "Page X of Y": CSS paged media it does not do)."""

import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from _setup import ROOT, django_setup

RUNS = 3
SECTIONS = 19
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
WORDS = (
    "the agencies shared information at the strategy discussion and agreed a plan of visits which the health "
    "visitor and the family support worker carried out over the following weeks while the police recorded "
    "each incident and the housing officer arranged a move to safer accommodation for the family"
).split()


def _paragraph(n: int, ref: str = "") -> str:
    words = [WORDS[(n * 7 + i) % len(WORDS)] for i in range(70 + n % 40)]
    words[0] = words[0].capitalize()
    return f"<p>{' '.join(words)}{ref}.</p>"


def build_document(paragraphs_per_section: int):
    import datetime

    from django.contrib.auth import get_user_model

    from chronology.models import ChronologyEntry
    from reports.models import Document, GlossaryTerm, Section
    from reviews.models import Agency, Imr, Partnership, Person, Review

    partnership = Partnership.objects.create(name="Benchshire Community Safety Partnership", slug="benchshire")
    review = Review.objects.create(
        partnership=partnership,
        reference="BENCH-100",
        review_type="dhr",
        case_name="Adult B",
        scope_start=datetime.date(2020, 1, 1),
        scope_end=datetime.date(2022, 12, 31),
    )
    agency = Agency.objects.create(partnership=partnership, name="Benchshire Police", kind="police")
    imr = Imr.objects.create(review=review, agency=agency)
    entries = [
        ChronologyEntry.objects.create(
            imr=imr,
            position=n,
            date_start=datetime.date(2021, 1, 1) + datetime.timedelta(days=n),
            date_end=datetime.date(2021, 1, 1) + datetime.timedelta(days=n),
            precision="day",
            date_display=f"{n + 1} Jan 2021",
            event="Home visit",
            details="Officers attended the address after a call from a neighbour.",
        )
        for n in range(60)
    ]
    Person.objects.create(review=review, real_name="Jane Benchmark", designation="the victim", relationship="victim")
    for abbreviation in ("MARAC", "DASH", "IMR", "GP", "ICPC", "CPP", "PPU", "MAPPA"):
        GlossaryTerm.objects.create(review=review, abbreviation=abbreviation, expansion=f"{abbreviation} in full")
    user = get_user_model().objects.create(username="bench-chair")
    document = Document.objects.create(review=review, kind="overview", created_by=user)
    n = 0
    for position in range(1, SECTIONS + 1):
        parts = []
        for index in range(paragraphs_per_section):
            n += 1
            ref = f" [[entry:{entries[n % len(entries)].pk}]]" if n % 9 == 0 else ""
            if index and index % 12 == 0:
                parts.append(f"<h3>Key episode {position}.{index // 12}</h3>")
            if index == 5:
                parts.append(
                    "<ul>" + "".join(f"<li>{WORDS[i]} {WORDS[i + 3]} [[term:MARAC]]</li>" for i in range(4)) + "</ul>"
                )
            parts.append(_paragraph(n, ref))
        if position == 10:
            rows = "".join(f"<tr><td>{i}</td><td>{' '.join(WORDS[i : i + 8])}</td></tr>" for i in range(10))
            parts.append(
                f"<table><thead><tr><th>#</th><th>Agency contact</th></tr></thead><tbody>{rows}</tbody></table>"
            )
        Section.objects.create(
            document=document, title=f"Section heading {position}", position=position, body="".join(parts), version=1
        )
    return Document.objects.select_related("review__partnership").get(pk=document.pk)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


def chromium_html(html: str, directory: Path) -> Path:
    """The same HTML for Chromium: the stylesheet inlined, its fonts from the source tree."""
    css = (ROOT / "static/css/print-document.css").read_text()
    css = css.replace('url("../fonts/', f'url("file://{ROOT}/static/fonts/')
    html = re.sub(r'<link rel="stylesheet" href="[^"]*print-document.css">', f"<style>{css}</style>", html)
    path = directory / "report.html"
    path.write_text(html)
    return path


def main():
    engine = django_setup()
    from casereview.pdf import html_to_pdf
    from reports import render
    from reports.docx_render import document_docx

    print(f"database: {engine}")
    document = build_document(paragraphs_per_section=30)
    data = render.render_input(document, publication=False)
    # Warm up (fonts, stylesheets, templates), and size the document to about 100 pages.
    html_to_pdf(render.document_html(data))

    times, cpu, pages = [], [], 0
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        data = render.render_input(document, publication=False)
        html = render.document_html(data)
        pdf = html_to_pdf(html)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        pages = pdf.pages
    best, median, median_cpu = min(times), statistics.median(times), statistics.median(cpu)
    # CPU seconds beside wall-clock seconds: on a machine shared with other work the wall clock
    # also counts the time spent waiting for a core.
    print(
        f"casereview PDF (compose + HTML + WeasyPrint, tagged, footnotes, contents page numbers, running header): "
        f"{pages} pages, median {median:.2f} s, best {best:.2f} s ({pages / median:.1f} pages/s); "
        f"CPU {median_cpu:.2f} s ({pages / median_cpu:.1f} pages per CPU second); load average {_load()}"
    )

    # The publication version: every text through the publication pipeline (names replaced, the
    # rest checked), the PDF rendered, then every part of the finished file checked.
    from reviews.publication import publication_for_review

    pub_times, pipeline_times, file_times = [], [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        run = publication_for_review(document.review)
        data = render.render_input(document, publication=True, run=run)
        composed_at = time.perf_counter()
        pdf = html_to_pdf(render.document_html(data))
        rendered_at = time.perf_counter()
        found = run.check_file("pdf", pdf.data, "PDF file")
        pub_times.append(time.perf_counter() - start)
        pipeline_times.append(composed_at - start)
        file_times.append(time.perf_counter() - rendered_at)
        assert not run.blocking and not found, run.blocking[:3]
    print(
        f"casereview publication PDF (pipeline + render + check of the finished file): {pdf.pages} pages, "
        f"median {statistics.median(pub_times):.2f} s, of which the composed pipeline "
        f"{statistics.median(pipeline_times):.2f} s and the finished-file check {statistics.median(file_times):.2f} s"
    )

    docx_times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        document_docx(render.render_input(document, publication=False))
        docx_times.append(time.perf_counter() - start)
    print(f"casereview Word file (compose + python-docx): median {statistics.median(docx_times):.2f} s")

    if not Path(CHROMIUM).exists():
        print("headless Chromium: not installed, no reference figure")
        return
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        source = chromium_html(html, directory)
        chrome_times = []
        for _ in range(RUNS):
            out = directory / "chromium.pdf"
            start = time.perf_counter()
            subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                 f"--print-to-pdf={out}", source.as_uri()],
                capture_output=True, check=True, timeout=300,
            )  # fmt: skip
            chrome_times.append(time.perf_counter() - start)
        chrome_pages = _pages(out)
        median = statistics.median(chrome_times)
        print(
            f"reference: headless Chromium printing the same HTML (browser start included; no contents page "
            f"numbers, running header or Page X of Y): {chrome_pages} pages, median {median:.2f} s "
            f"({chrome_pages / median:.1f} pages/s)"
        )


if __name__ == "__main__":
    main()
