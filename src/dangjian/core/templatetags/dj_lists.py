"""Template tags for list pages: sortable column headers that keep the current filters."""
from django import template

register = template.Library()


@register.inclusion_tag("core/_sort_th.html", takes_context=True)
def sort_th(context, key: str, label, css: str = ""):
    """A <th> whose link sorts by ``key`` (ascending first, then toggles); the page resets to 1."""
    request = context["request"]
    current = context["list"].sort
    active = current.lstrip("-") == key
    desc = current.startswith("-")
    params = request.GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{key}" if active and not desc else key
    return {"url": "?" + params.urlencode(), "label": label, "active": active, "desc": desc, "css": css}

