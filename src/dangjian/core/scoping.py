"""A user's place in the tree, and querysets that no view can forget to restrict.

Grants on a region or organisation node cover its subtree (materialised-path prefix).
Out-of-scope objects are simply absent from ``scoped()`` results, so they answer 404.
"""
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.http import Http404


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_paths: tuple[str, ...] = ()
    org_paths: tuple[str, ...] = ()
    member_ids: tuple[int, ...] = ()
    unit_ids: tuple[int, ...] = ()
    department_ids: tuple[int, ...] = ()  # services: requests routed to these departments
    roles: frozenset = field(default_factory=frozenset)

    def covers(self, path: str) -> bool:
        """Whether a region grant of this scope includes the region at ``path`` (or everything is granted)."""
        return self.everything or any(path.startswith(p) for p in self.region_paths)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.region_paths or self.org_paths or self.member_ids or self.unit_ids
                    or self.department_ids)


NOTHING = Scope()


def prefix_q(lookup: str, paths) -> Q:
    """OR of ``lookup__startswith`` over paths; an empty list matches nothing."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def get_scope(user, for_write: bool = False) -> Scope:
    """The scope a user's role assignments give; cached on the user object per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cache_name = "_dangjian_scope_w" if for_write else "_dangjian_scope_r"
    cached = getattr(user, cache_name, None)
    if cached is None:
        from dangjian.accounts.scope import build_scope

        cached = build_scope(user, for_write=for_write)
        setattr(user, cache_name, cached)
    return cached


def region_staff(user) -> bool:
    """District or town (park) staff: a region write grant (only the administrator roles give one)."""
    scope = get_scope(user, for_write=True)
    return scope.everything or bool(scope.region_paths)


class ScopedQuerySet(models.QuerySet):
    """Each model's queryset defines ``scope_q(scope) -> Q``: the rows a Scope reaches."""

    def scoped(self, user, for_write: bool = False):
        scope = get_scope(user, for_write)
        if scope.everything:
            return self.all()
        if scope.empty:
            return self.none()
        return self.filter(self.scope_q(scope))

    def get_for_user(self, pk, user, for_write: bool = False):
        """Fetch-and-authorise in one call: out of scope is indistinguishable from absent."""
        try:
            return self.scoped(user, for_write).get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
