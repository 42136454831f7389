"""Form errors told once at the top of a page (the GOV.UK error summary pattern).

`{% error_title_prefix %}` gives "Error: " when any bound form or formset in the page's context
has errors, for the start of the <title>; `{% error_summary %}` draws the summary: a heading and
one link per error, to the control it is about. An error about no one field (a form's non-field
error, a formset's non-form error) links to the form's first control, where the person starts
putting it right. static/js/casereview.js moves focus to the summary when the page loads.

`form|has_required_fields` says whether a form shows a required field (its "*" is then explained
once, above the fields: templates/bootstrap5/uni_form.html); `{% accessibility_contact_email %}`
gives the address the accessibility statement names for reporting a problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django import forms, template
from django.conf import settings
from django.forms import BaseForm, BaseFormSet, BoundField
from django.template.context import Context

register = template.Library()

# A control with no id of its own on the page: the summary's link then goes to the main content.
PAGE_TOP = "#main"


@dataclass(frozen=True)
class ErrorLink:
    message: str
    href: str
    label: str = ""  # the field's, so that "This field is required." says which one


def _bound(value: object) -> Iterator[BaseForm | BaseFormSet]:
    """The bound forms and formsets in one context value (a form, a formset, or a list of them)."""
    if isinstance(value, (BaseForm, BaseFormSet)):
        if value.is_bound:
            yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (BaseForm, BaseFormSet)) and item.is_bound:
                yield item


def _forms_in(context: Context) -> list[BaseForm | BaseFormSet]:
    found: list[BaseForm | BaseFormSet] = []
    seen: set[int] = set()
    for value in context.flatten().values():
        for form in _bound(value):
            if id(form) not in seen:
                seen.add(id(form))
                found.append(form)
    return found


def control_id(field: BoundField) -> str:
    """The id of the control a person types in or chooses with: the first radio or checkbox of
    a group (the group's own label points at none), the first part of a multi-part field."""
    widget = field.field.widget
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget)) and field.auto_id:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id or ""


def _href(field: BoundField | None) -> str:
    widget_id = control_id(field) if field is not None else ""
    return f"#{widget_id}" if widget_id else PAGE_TOP


def _first_control(form: BaseForm) -> BoundField | None:
    visible = form.visible_fields()
    return visible[0] if visible else None


def _form_links(form: BaseForm) -> Iterator[ErrorLink]:
    for name, errors in form.errors.items():
        if name in form.fields and not form[name].is_hidden:
            href, label, prefix = _href(form[name]), str(form[name].label or ""), ""
        else:  # a non-field error, or one about a hidden field: the form as a whole
            href, label = _href(_first_control(form)), ""
            # Named as Django names it where it draws a hidden field's errors above the form.
            prefix = f"(Hidden field {name}) " if name in form.fields else ""
        for message in errors:
            yield ErrorLink(f"{prefix}{message}", href, label)


def _formset_links(formset: BaseFormSet) -> Iterator[ErrorLink]:
    first = next((_first_control(form) for form in formset.forms if _first_control(form)), None)
    for message in formset.non_form_errors():
        yield ErrorLink(str(message), _href(first))
    for form in formset.forms:
        yield from _form_links(form)


def _unique(links: Iterable[ErrorLink]) -> list[ErrorLink]:
    """Each message once: a form drawn under two names, or one problem found twice."""
    return list(dict.fromkeys(links))


def error_links(context: Context) -> list[ErrorLink]:
    """Every error of every bound form and formset in `context`, each linking to its control."""
    links: list[ErrorLink] = []
    for form in _forms_in(context):
        if isinstance(form, BaseFormSet):
            links.extend(_formset_links(form))
        else:
            links.extend(_form_links(form))
    return _unique(links)


@register.simple_tag(takes_context=True)
def error_title_prefix(context: Context) -> str:
    return "Error: " if error_links(context) else ""


@register.inclusion_tag("snippets/error_summary.html", takes_context=True)
def error_summary(context: Context) -> dict[str, object]:
    return {"errors": error_links(context)}


@register.filter
def has_required_fields(form: BaseForm) -> bool:
    return any(field.field.required for field in form.visible_fields())


@register.simple_tag
def accessibility_contact_email() -> str:
    return settings.ACCESSIBILITY_CONTACT_EMAIL
