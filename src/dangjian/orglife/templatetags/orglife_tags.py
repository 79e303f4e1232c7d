from django import template

from dangjian.orglife.models import MeetingKind

register = template.Library()


@register.filter
def kind_figures(figures, kind):
    return figures.kinds[kind]


@register.filter
def overdue_of(figures, kind):
    return figures.kinds[kind].overdue


@register.filter
def kind_label(kind):
    return MeetingKind(kind).label
