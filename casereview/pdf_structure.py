"""The finishing touches WeasyPrint's tagged PDF needs before a screen reader reads it.

WeasyPrint 70 writes a structure tree (headings, paragraphs, lists, tables, figures) and marks
backgrounds and borders as artifacts, but two things are left to us:

- Text in the page-margin boxes (the running header and footer: reference, marking, "Contains
  personal data", "Page 3 of 12") is drawn as marked content that no element of the structure
  tree claims. PDF/UA wants everything on a page either tagged or marked as an artifact, and
  readers that meet such content read it out with the text, on every page. It is page furniture:
  `furniture_as_artifacts` marks it /Artifact (of type /Pagination) and takes it out of the
  parent tree.
- Table header cells (TH) have no /Scope. `header_scopes` gives each the scope of its HTML cell
  (scope="row" is a row header; every other header cell heads its column, as WeasyPrint's own
  /Headers links read them).

Both work on pydyf's objects as WeasyPrint leaves them for a `write_pdf` finisher, before the file
is written: no second pass over the bytes.
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes

# WeasyPrint's objects (its Document, pydyf's PDF, dictionaries and streams) carry no types: Any.
# pydyf's dictionaries are dicts, and its references are bytes ("12 0 R").


def finish_structure(document: Any, pdf: Any) -> None:
    """`write_pdf(finisher=...)`: page furniture as artifacts, header cells with their scope."""
    furniture_as_artifacts(pdf)
    header_scopes(document)


def _object(pdf: Any, reference: bytes) -> Any:
    """The object a reference ("12 0 R") names."""
    return pdf.objects[int(reference.split()[0])]


def _tree_numbers(pdf: Any, root: Any) -> set[int]:
    """The object numbers of every structure element reachable from the root."""
    found: set[int] = set()
    stack = list(root["K"])
    while stack:
        reference = stack.pop()
        number = int(reference.split()[0])
        if number in found:
            continue
        found.add(number)
        element = pdf.objects[number]
        if isinstance(element, dict) and "K" in element:
            # Kids are elements, marked-content ids (ints) or object references (OBJR).
            stack.extend(kid for kid in element["K"] if isinstance(kid, bytes))
    return found


def furniture_as_artifacts(pdf: Any) -> None:
    """Mark the content that the structure tree does not reach (the margin boxes) as artifacts."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    in_tree = _tree_numbers(pdf, root)
    nums = _object(pdf, root["ParentTree"])["Nums"]
    for page_index, page_reference in enumerate(pdf.page_references):
        # The parent tree lists, for each page, the element that owns each marked-content id.
        owners = nums[2 * page_index + 1]
        orphans = {mcid for mcid, owner in enumerate(owners) if int(owner.split()[0]) not in in_tree}
        if not orphans:
            continue
        _unclaimed(pdf, [owners[mcid] for mcid in orphans], in_tree)
        for mcid in orphans:
            owners[mcid] = "null"
        contents = _object(pdf, _object(pdf, page_reference)["Contents"])
        _artifacts(contents, orphans)


def _artifacts(stream: Any, mcids: set[int]) -> None:
    """`/Span <</MCID n>> BDC` becomes `/Artifact <</Type /Pagination>> BDC` for each of `mcids`.

    A stream is a list of operators and operands as WeasyPrint wrote them: the tag's name, then
    its property list (a dictionary), then "BDC"."""
    operations = stream.stream
    for index, item in enumerate(operations):
        if isinstance(item, dict) and item.get("MCID") in mcids:
            operations[index - 1] = "/Artifact"
            item.clear()
            item["Type"] = "/Pagination"


def _unclaimed(pdf: Any, references: list[bytes], in_tree: set[int]) -> None:
    """Empty the elements WeasyPrint made for the margin boxes (and their parents up to the
    tree), so that no structure element outside the tree is left in the file."""
    for leaf in references:
        reference: bytes | None = leaf
        while reference:
            number = int(reference.split()[0])
            element = pdf.objects[number]
            if number in in_tree or not isinstance(element, dict) or not element:
                break
            reference = element.get("P")
            element.clear()


def header_scopes(document: Any) -> None:
    """/Scope on every TH: /Row for a cell with scope="row", /Column for the others.

    WeasyPrint keeps each table cell's structure element on its box (`mark`), where it links the
    data cells to their headers; the HTML cell is the box's `element`."""
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if isinstance(box, boxes.TableCellBox):
                element = getattr(box, "mark", None)
                if element is not None and box.element_tag == "th":
                    row = box.element.get("scope") == "row"
                    element["A"]["Scope"] = "/Row" if row else "/Column"
                continue
            # Tables are block-level: nothing inside a line of text holds one.
            if not isinstance(box, boxes.LineBox):
                stack.extend(getattr(box, "children", ()))
