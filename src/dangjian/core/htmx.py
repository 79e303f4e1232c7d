"""One view renders a full page or, for an htmx request, just the fragment it swaps.

Like NetBox's ``utilities/htmx.py``: the full-page template ``{% include %}``s the fragment
template, so both answers come from the same markup.
"""
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx(request) -> bool:
    """An htmx request wanting a fragment (not a boosted page load or a history restore)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render_page(request, template: str, context: dict, fragment: str | None = None, status: int = 200):
    """Render ``fragment`` for htmx requests, ``template`` otherwise; caches keep the two apart."""
    name = fragment if fragment and is_htmx(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def render_inline_errors(request, form):
    """Answer an inline (on change) check of ``form``: the error lists of the fields the user has
    filled, plus the one that triggered the check, as out-of-band swaps. Nothing is written."""
    errors = form.validate_only()
    trigger = request.headers.get("HX-Trigger-Name", "")
    touched = [n for n in form.fields if n == trigger or request.POST.get(n, "") != ""]
    response = render(request, "core/_validation.html", {"field_errors": [(n, errors.get(n, [])) for n in touched]})
    patch_vary_headers(response, ["HX-Request"])
    return response
