"""The code part of every fingerprint of a generated file (document renders, chronology
exports, publication inputs) covers every module the renderers import, and every template and
static file they use: a change to any of them makes older files not current."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from casereview import code_version
from casereview.code_version import (
    BASE_DIR,
    CHRONOLOGY_EXPORT_CODE,
    DOCUMENT_RENDER_CODE,
    PUBLICATION_CODE,
    covered_files,
)

# Modules the renderers import that do not shape what a file contains, and why.
NOT_CONTENT = {
    "casereview": "loads the Celery app",
    "casereview.code_version": "this fingerprint itself: what it covers is hashed",
    "accounts.models": "the user model: who asked, never printed",
    "accounts.http": "the signed-in request's type, for the type checker",
    "casereview.celery": "sends tasks",
    "casereview.downloads": "serves finished files",
    "casereview.jobs": "the job rows that files are made in",
    "casereview.storage": "keeps and reads finished files as they are (a logo is checked against its SHA-256)",
    "reviews.audit": "the audit trail",
    "reviews.imr_models": "IMR answer revisions and returned snapshots, registered with the models: no file reads them",
    "reviews.logo_models": "the logo's row, registered with the models: a fingerprint takes in the picture",
    "reports.submission_models": "the submission pack's rows, registered with the models: no render reads them",
    "reports.family_models": "the family readers' rows, registered with the models: no render reads them",
    # The board dashboard's process view, beside the action plan's selectors that renders read.
    "actions.process_selectors": "the board dashboard's view of each review's process: no file prints it",
    "reviews.meeting_models": "panel meetings, read by the dashboard's process view: no file prints them",
    "reviews.meeting_selectors": "the next meeting and open actions arising, for the dashboard: no file prints them",
    "reviews.scoping_selectors": "the scoping decisions, for the dashboard and the board's list: no file prints them",
}

ENTRY_POINTS = {
    "document render": (("reports.render", "reports.docx_render", "casereview.pdf"), DOCUMENT_RENDER_CODE),
    "chronology export": (("chronology.exports.formats", "chronology.exports.services"), CHRONOLOGY_EXPORT_CODE),
    "publication pipeline": (("reviews.publication",), PUBLICATION_CODE),
}


def _source(module: str) -> Path | None:
    path = BASE_DIR.joinpath(*module.split("."))
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return None


def _imported(module: str, path: Path) -> set[str]:
    """Every module named by an import anywhere in the file (inside functions too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # "from package import module"
    return names


def project_modules_imported_by(*modules: str) -> dict[str, Path]:
    """The project's modules that the given ones import, transitively, with their files."""
    found: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        module = todo.pop()
        path = _source(module) if module not in found else None
        if path is None:
            continue
        found[module] = path
        parts = module.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # a package runs its __init__
        todo.extend(_imported(module, path))
    return found


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_every_project_module_the_renderers_import_is_in_the_code_fingerprint(name: str):
    entry_points, patterns = ENTRY_POINTS[name]
    covered = set(covered_files(patterns))
    left_out = sorted(
        module
        for module, path in project_modules_imported_by(*entry_points).items()
        if path not in covered
        and module not in NOT_CONTENT
        and path.read_text().strip() != ""  # an empty package __init__
    )
    assert not left_out, (
        f"The {name} imports {left_out}, which casereview/code_version.py does not cover: add a pattern for it "
        "(or, if it cannot change what a file contains, name it in NOT_CONTENT with the reason)."
    )


def _templates_and_static_files(python_files: list[Path]) -> set[Path]:
    """The templates these modules render (a literal name ending in .html), the templates those
    include or extend, and the static files ({% static %}, CSS url()) they all use."""
    templates = BASE_DIR / "templates"
    found: set[Path] = set()
    todo = [
        templates / name
        for path in python_files
        for name in re.findall(r"""["']([\w/.-]+\.html)["']""", path.read_text())
        if (templates / name).is_file()
    ]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        if path.suffix not in (".html", ".css"):
            continue  # a font or an image: used, not read for more
        text = path.read_text()
        if path.suffix == ".html":
            todo += [templates / n for n in re.findall(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""", text)]
            todo += [BASE_DIR / "static" / n for n in re.findall(r"""{%\s*static\s+["']([^"']+)["']""", text)]
        elif path.suffix == ".css":
            todo += [(path.parent / n).resolve() for n in re.findall(r"""url\(["']?([^"')]+)["']?\)""", text)]
    return found


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_every_template_and_static_file_the_renderers_use_is_in_the_code_fingerprint(name: str):
    entry_points, patterns = ENTRY_POINTS[name]
    covered = set(covered_files(patterns))
    python_files = [path for path in project_modules_imported_by(*entry_points).values() if path in covered]
    used = _templates_and_static_files(python_files)
    left_out = sorted(str(path.relative_to(BASE_DIR)) for path in used - covered)
    assert not left_out, f"The {name} uses {left_out}, which casereview/code_version.py does not cover."


def test_the_document_renderers_templates_and_fonts_are_found_by_the_check():
    # The check above is only as good as what it finds: the known files must be among them.
    python_files = list(project_modules_imported_by("reports.render", "chronology.exports.formats").values())
    used = {str(path.relative_to(BASE_DIR)) for path in _templates_and_static_files(python_files)}
    assert {
        "templates/reports/pdf/document.html",
        "templates/chronology/pdf/integrated.html",
        "static/css/print-document.css",
        "static/fonts/LiberationSans-Regular.ttf",
    } <= used
    modules = project_modules_imported_by("reports.render", "reports.docx_render")
    expected = {
        "reports.docx_parts",
        "reports.compose",
        "chronology.integrated.timeline_svg",
        "reviews.publication.text",
    }
    assert expected <= set(modules)


def test_the_code_version_changes_with_any_covered_file_and_with_a_package_version(tmp_path, monkeypatch):
    monkeypatch.setattr(code_version, "BASE_DIR", tmp_path)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "render.py").write_text("A = 1\n")
    (tmp_path / "reports" / "docx_parts.py").write_text("B = 1\n")
    patterns = ("reports/docx_*.py", "reports/render.py")
    before = code_version.code_version(patterns, ("weasyprint",))
    code_version.code_version.cache_clear()
    (tmp_path / "reports" / "docx_parts.py").write_text("B = 2\n")
    assert code_version.code_version(patterns, ("weasyprint",)) != before
    assert code_version.code_version(patterns, ("weasyprint", "python-docx")) != code_version.code_version(
        patterns, ("weasyprint",)
    )
    code_version.code_version.cache_clear()


def test_a_render_made_by_other_code_is_not_current(world, monkeypatch):
    from reports import document_services, render

    document = document_services.document_create(review=world.review, kind="overview", actor=world.chair)
    fingerprint, _readable = render.document_fingerprint(document, fmt="pdf", publication=False)
    monkeypatch.setattr(render, "document_render_code_version", lambda: "older code")
    assert render.document_fingerprint(document, fmt="pdf", publication=False)[0] != fingerprint
