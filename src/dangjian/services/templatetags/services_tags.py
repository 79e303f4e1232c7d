from django import template

register = template.Library()


@register.filter
def percent(value, digits=1):
    """0.8727 → "87.3%"; None → "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
