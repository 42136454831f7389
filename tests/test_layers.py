"""Where each layer's work is: from any URL, its view, the view's access helper and the service
or selector it calls are found in at most three hops (urls.py -> views module -> permissions,
services or selectors module), and views do no database queries of their own."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "reviews", "chronology", "reports", "actions")
# The layers a view may hand its work to; a view names them directly.
HELPER_MODULES = ("permissions", "services", "service", "selectors")
# Pages with no object of a review or partnership to guard need no access helper: the
# signed-in user's own second factor, session and action list, an invitation found by its secret
# token, and the blank chronology template every agency may download.
PUBLIC_VIEWS = {
    "accounts.views.mfa_verify",
    "accounts.views.session_keep_alive",
    "accounts.views.mfa_enrol",
    "accounts.views.mfa_recovery_codes",
    "accounts.views.invitation_accept",
    "accounts.views.accessibility_statement",
    # The signed-in person's own password and passkeys, and a reset link found by its token.
    "accounts.security_views.account_security",
    "accounts.security_views.password_change",
    "accounts.security_views.password_reset_request",
    "accounts.security_views.password_reset_confirm",
    "accounts.security_views.passkey_register_begin",
    "accounts.security_views.passkey_register_complete",
    "accounts.security_views.passkey_auth_begin",
    "accounts.security_views.passkey_auth_complete",
    "chronology.views.template_download",
    "actions.views.my_actions.my_actions",
}

# Pages of fixed text: they read nothing, so they name no service or selector.
FIXED_TEXT_VIEWS = {"accounts.views.accessibility_statement"}


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _our_views():
    for route, pattern in _patterns():
        view = inspect.unwrap(pattern.callback)
        module = view.__module__
        # Django's admin pages (read-only for audited models) are the admin's own views.
        if module.split(".")[0] in APPS and not route.startswith("admin/"):
            yield route, view


def _is_views_module(module: str) -> bool:
    last = module.split(".")[-1]
    return last == "views" or last.endswith("_views") or ".views." in module


def test_every_url_is_served_from_a_views_module_of_its_app():
    misplaced = [
        f"{route}: {view.__module__}.{view.__name__}"
        for route, view in _our_views()
        if not _is_views_module(view.__module__)
    ]
    assert not misplaced, "\n".join(misplaced)


def _named_layers(view, seen=None) -> set[str]:
    """The helper modules whose names a view uses: directly, or through a private helper of its
    own module (still the same hop)."""
    seen = seen if seen is not None else set()
    seen.add(view)
    found = set()
    for value in inspect.getclosurevars(view).globals.values():
        if inspect.ismodule(value):
            module = value.__name__
        else:
            module = getattr(value, "__module__", None) or ""
        if module.split(".")[0] in APPS and module.split(".")[-1].endswith(HELPER_MODULES):
            found.add(module)
        if inspect.isfunction(value) and value.__module__ == view.__module__:
            helper = inspect.unwrap(value)
            if helper not in seen:
                found |= _named_layers(helper, seen)
    return found


def test_every_view_names_its_access_helper_and_its_service_or_selector():
    """One hop from the view: an access helper (a ``permissions`` module) unless the page is
    public, and a service or selector unless the access helper's answer is all the page shows."""
    no_access, no_layer = [], []
    for route, view in _our_views():
        layers = _named_layers(view)
        name = f"{route}: {view.__module__}.{view.__name__}"
        if f"{view.__module__}.{view.__name__}" not in PUBLIC_VIEWS and not any(
            module.endswith("permissions") for module in layers
        ):
            no_access.append(name)
        if not layers and f"{view.__module__}.{view.__name__}" not in FIXED_TEXT_VIEWS:
            no_layer.append(name)
    assert not no_access, "Views without an access helper:\n" + "\n".join(no_access)
    assert not no_layer, "Views naming no helper module:\n" + "\n".join(no_layer)


def _views_modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" not in path.parts and _is_views_module(module):
                yield path


# Query methods of a manager or queryset: reached through ``Model.objects`` or a relation
# (``imr.entries.order_by(...)``), either way a query the view would run itself.
QUERY_METHODS = {
    "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate", "aggregate",
    "values_list", "only", "defer", "distinct", "in_bulk", "get_or_create", "update_or_create", "bulk_create",
}  # fmt: skip


def test_views_run_no_queries_of_their_own():
    """`Model.objects...` or a relation's query belongs in a selector, a service or an access helper."""
    found = []
    for path in _views_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and (node.attr == "objects" or node.attr in QUERY_METHODS):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert not found, "\n".join(found)
