"""One font family in the exports: the chronology PDF (its timeline picture included) and the
action-plan PDF embed Liberation Sans and nothing else, as pdffonts (poppler-utils) lists them."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest

from actions.exports import PlanExport, PlanRow, plan_pdf
from chronology.exports.formats import chronology_pdf
from chronology.integrated.timeline_svg import timeline_svg
from tests.chronology.test_exports import small_chronology

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")


def fonts(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "file.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.split()[0].split("+", 1)[-1] for line in lines[2:] if line.strip()]


def test_the_chronology_pdf_and_its_timeline_use_liberation_sans_only(tmp_path):
    chronology = small_chronology()
    svg = timeline_svg(chronology)
    assert 'font-family="Liberation Sans' in svg

    names = fonts(chronology_pdf(chronology, timeline_svg=svg), tmp_path)

    assert names and all(name.startswith("Liberation-Sans") for name in names), names
    assert "Liberation-Sans-Bold" in names  # the headings and the running header


def test_the_action_plan_pdf_uses_liberation_sans_only_header_included(tmp_path):
    row = PlanRow("R1", "1. Share risk information", "Local", "Train staff", "Police", "Course run",
                  datetime.date(2026, 1, 1), "", "Open", "Red")  # fmt: skip
    plan = PlanExport("Action plan R1", "Benchshire", datetime.date(2026, 1, 1), [row])

    names = fonts(plan_pdf(plan), tmp_path)

    assert set(names) == {"Liberation-Sans", "Liberation-Sans-Bold"}, names
