"""Form errors told once at the top of a page (the GOV.UK error summary pattern).

`{% error_title_prefix %}` gives "Error: " when any bound form or formset in the page's context
has errors, for the start of the <title>; `{% error_summary %}` draws the summary: a heading and
one link per error, to the field it is about (or the form, for errors about no one field).
static/js/casereview.js moves focus to the summary when the page loads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet
from django.template.context import Context

register = template.Library()


@dataclass(frozen=True)
class ErrorLink:
    message: str
    href: str


def _forms_in(context: Context) -> list[BaseForm]:
    found: list[BaseForm] = []
    seen: set[int] = set()
    for value in context.flatten().values():
        forms = list(value.forms) if isinstance(value, BaseFormSet) else [value]
        for form in forms:
            if isinstance(form, BaseForm) and form.is_bound and id(form) not in seen:
                seen.add(id(form))
                found.append(form)
    return found


def error_links(context: Context) -> list[ErrorLink]:
    """Every error of every bound form in `context`, each linking to its field."""
    links: list[ErrorLink] = []
    for form in _forms_in(context):
        for name, errors in form.errors.items():
            if name in form.fields:
                field = form[name]
                widget_id = field.id_for_label or field.auto_id
                href = f"#{widget_id}" if widget_id else "#main"
            else:
                href = "#main"
            links.extend(ErrorLink(str(message), href) for message in errors)
    return links


@register.simple_tag(takes_context=True)
def error_title_prefix(context: Context) -> str:
    return "Error: " if error_links(context) else ""


@register.inclusion_tag("snippets/error_summary.html", takes_context=True)
def error_summary(context: Context) -> dict[str, object]:
    return {"errors": error_links(context)}
