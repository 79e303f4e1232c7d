from django import template

from dangjian.accounts.grants import may_manage_users

register = template.Library()


@register.filter
def manages_users(user) -> bool:
    return may_manage_users(user)
