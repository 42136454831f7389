"""Importing a 50,000-row agency chronology: casereview's parse, validation and import
beside a baseline of the same rows read with `csv` and inserted with one bulk insert;
then the same rows as an XLSX workbook, parsed (goal: under 1.5 s), and a 200 KB workbook
whose shared strings unpack to 199 MB, refused (its memory: Python's peak by tracemalloc,
and the process's, which includes what the Rust reader allocates).

Each measurement runs in a fresh process, so the peak memory (max RSS) printed is its own.
The baseline converts only plain dd/mm/yyyy dates (others get a fixed date) and checks
nothing: it is the floor, not an alternative."""

import csv
import datetime
import io
import random
import resource
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

from _setup import django_setup

ROWS = 50_000
DATE_FORMS = [
    lambda d: d.strftime("%d/%m/%Y"),
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: d.strftime("%Y-%m-%d"),
    lambda d: d.strftime("%-d %B %Y"),
    lambda d: d.strftime("%b %Y"),
    lambda d: f"Summer {d.year}",
    lambda d: f"c. {d.year}",
    lambda d: f"between 1 and 15 {d:%B %Y}",
    lambda d: d.strftime("??/%m/%Y"),
]
DETAILS = "Visited the family home. Mother said things were calmer; the children were seen and appeared well. "
EVENTS = ["Home visit", "Referral", "Strategy discussion", "Telephone call", "Core group meeting", "Missed appointment"]


def generate(path: Path) -> None:
    rng = random.Random(20261121)
    start = datetime.date(2008, 4, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Date",
                "Time",
                "Person(s)",
                "Source",
                "Practitioner",
                "Event",
                "Details",
                "Action / Outcome",
                "Comment",
                "Significant",
            ]
        )
        for n in range(ROWS):
            day = start + datetime.timedelta(days=rng.randrange(1500))
            form = DATE_FORMS[0] if rng.random() < 0.7 else rng.choice(DATE_FORMS)
            writer.writerow(
                [
                    form(day),
                    f"{rng.randrange(24):02d}:{rng.randrange(60):02d}" if rng.random() < 0.4 else "",
                    "Jade Marsh; Daniel Rafiq" if n % 3 else "Mia Rafiq-Marsh",
                    f"Case record {n:06d}",
                    "Health visitor",
                    rng.choice(EVENTS),
                    DETAILS * rng.randint(1, 3),
                    "Further visit booked.",
                    "No check was made with the police." if n % 7 == 0 else "",
                    "Y" if n % 10 == 0 else "N",
                ]
            )


def _imr():
    from reviews.models import Agency, Imr, Partnership, Review

    partnership = Partnership.objects.create(name="Bench Partnership", slug="bench", kind="community_safety")
    review = Review.objects.create(
        partnership=partnership,
        reference="BENCH-1",
        review_type="dhr",
        case_name="A",
        scope_start=datetime.date(2008, 4, 1),
        scope_end=datetime.date(2012, 8, 6),
    )
    agency = Agency.objects.create(partnership=partnership, name="Bench Health")
    return Imr.objects.create(review=review, agency=agency, status="in_progress")


def run_casereview(path: Path) -> tuple[float, int, float]:
    from chronology import services
    from chronology.importers import parse_chronology_file

    imr = _imr()
    started = time.perf_counter()
    result = parse_chronology_file(path.read_bytes(), max_bytes=200 * 1024 * 1024)
    parsed = time.perf_counter() - started
    assert not result.errors, result.errors[:3]
    count = services.chronology_import(actor=None, imr=imr, result=result, replace=False)
    return time.perf_counter() - started, count, parsed


def run_baseline(path: Path) -> tuple[float, int, float]:
    from chronology.models import ChronologyEntry

    imr = _imr()
    started = time.perf_counter()
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    next(reader)
    fallback = datetime.date(2010, 1, 1)
    entries = []
    for position, row in enumerate(reader, start=1):
        try:
            day = datetime.datetime.strptime(row[0], "%d/%m/%Y").date()
        except ValueError:
            day = fallback
        entries.append(
            ChronologyEntry(
                imr=imr,
                position=position,
                date_start=day,
                date_end=day,
                precision="day",
                date_display=row[0],
                people=row[2].split(";"),
                source=row[3],
                practitioner=row[4],
                event=row[5],
                details=row[6],
                outcome=row[7],
                comment=row[8],
                significant=row[9] == "Y",
            )
        )
    parsed = time.perf_counter() - started
    ChronologyEntry.objects.bulk_create(entries, batch_size=2000)
    return time.perf_counter() - started, len(entries), parsed


def generate_xlsx(csv_path: Path, path: Path) -> None:
    """The CSV's rows as a workbook, every cell text, as a spreadsheet saves them."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Chronology")
    with csv_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    workbook.save(path)


def generate_bomb(path: Path, *, megabytes: int = 199) -> None:
    """A workbook of one row whose shared-strings part holds one string of `megabytes` MB."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rels}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rels}"><sheets><sheet name="Chronology" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rels}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rels}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
            "</worksheet>",
        )
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{main}"><si><t>'.encode())
            chunk = b"x" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</t></si></sst>")


def understate(path: Path, member: str, size: int) -> None:
    """Write `size` as the member's unpacked size in both its zip headers (the directory lies)."""
    import struct

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
    struct.pack_into("<I", data, local + 22, size)
    name = member.encode()
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))


def child_xlsx(path: Path) -> None:
    from chronology.importers import parse_chronology_file

    data = path.read_bytes()
    started = time.perf_counter()
    result = parse_chronology_file(data, max_bytes=200 * 1024 * 1024)
    seconds = time.perf_counter() - started
    assert not result.errors, result.errors[:3]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(result.rows)}\t{seconds:.3f}\t{peak_mb:.0f}")


def child_bomb(path: Path) -> None:
    from chronology.importers import FileRefused, parse_chronology_file

    data = path.read_bytes()
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        parse_chronology_file(data)
        outcome = "read"
    except FileRefused as refused:
        outcome = str(refused)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{outcome}\t{seconds:.3f}\t{peak / 1024 / 1024:.1f}\t{after_mb - before_mb:.0f}")


def child(side: str, path: Path) -> None:
    if side == "xlsx":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        return child_xlsx(path)
    if side == "bomb":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        return child_bomb(path)
    engine = django_setup()
    seconds, count, parsed = (run_casereview if side == "casereview" else run_baseline)(path)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{side}\t{engine}\t{count}\t{seconds:.3f}\t{peak_mb:.0f}\t{parsed:.3f}")


def main() -> None:
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    path = out / "chronology-50000.csv"
    generate(path)
    print(f"{ROWS} rows, {path.stat().st_size / 1_000_000:.1f} MB CSV")
    figures = {}
    for side in ("baseline", "casereview"):
        line = subprocess.run([sys.executable, __file__, side, str(path)], capture_output=True, text=True, check=True)
        name, engine, count, seconds, peak, parsed = line.stdout.strip().splitlines()[-1].split("\t")
        figures[name] = float(seconds)
        print(
            f"{name:>10} ({engine}): {int(count)} rows in {float(seconds):.2f} s = {int(count) / float(seconds):,.0f}"
            f" rows/s; reading and checking {float(parsed):.2f} s, the rest inserting; peak memory {peak} MB"
        )
    print(f"casereview / baseline time: {figures['casereview'] / figures['baseline']:.2f}x (target: at most 3x)")

    xlsx = out / "chronology-50000.xlsx"
    generate_xlsx(path, xlsx)
    line = subprocess.run([sys.executable, __file__, "xlsx", str(xlsx)], capture_output=True, text=True, check=True)
    count, seconds, peak = line.stdout.strip().splitlines()[-1].split("\t")
    print(
        f"XLSX parse ({xlsx.stat().st_size / 1_000_000:.1f} MB workbook): {int(count)} rows in {float(seconds):.2f} s"
        f" (goal: under 1.5 s); peak memory {peak} MB"
    )

    bomb = out / "shared-strings-bomb.xlsx"
    generate_bomb(bomb)
    lying = out / "shared-strings-bomb-lying.xlsx"
    generate_bomb(lying)
    understate(lying, "xl/sharedStrings.xml", 1000)
    for name, path in (("Shared-strings bomb", bomb), ("The same, its zip directory saying 1 KB", lying)):
        line = subprocess.run([sys.executable, __file__, "bomb", str(path)], capture_output=True, text=True, check=True)
        outcome, seconds, traced, rss = line.stdout.strip().splitlines()[-1].split("\t")
        print(
            f"{name} ({path.stat().st_size / 1000:.0f} KB, unpacks to 199 MB): {outcome!r} in"
            f" {float(seconds):.2f} s; Python peak (tracemalloc) {traced} MB; process peak grew {rss} MB"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3:
        child(sys.argv[1], Path(sys.argv[2]))
    else:
        main()
