"""``{% rate r %}``: a Rate with its inputs (numerator/denominator), as the dashboard shows it.

A tag rather than an included template: the dashboard shows some 170 rates per page.
"""
from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def rate(rate):
    n, d = localize(rate.numerator), localize(rate.denominator)
    title = gettext("%(n)s / %(d)s（分子/分母）") % {"n": n, "d": d}
    return format_html(
        '<span class="dj-rate" title="{}"><span class="fw-bold">{}</span> '
        '<span class="text-secondary small text-nowrap">{}/{}</span></span>',
        title, rate.display, n, d,
    )
