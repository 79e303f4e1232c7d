"""A user's place in the tree, and querysets that no view can forget to restrict.

Grants on a region or organisation node cover its subtree (materialised-path prefix).
Out-of-scope objects are simply absent from ``scoped()`` results, so they answer 404.
"""
import enum
import operator
from dataclasses import dataclass, field
from functools import reduce

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
    # Units an officer or instructor is assigned to: the units, their organisations and those members' roster.
    # Kept apart from unit_ids, which speak for the unit (an enterprise contact raising its own requests).
    served_unit_ids: tuple[int, ...] = ()
    roles: frozenset = field(default_factory=frozenset)

    def covers(self, path: str) -> bool:
        """Whether a region grant of this scope includes the region at ``path`` (or everything is granted)."""
        return self.everything or any(path.startswith(p) for p in self.region_paths)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.region_paths or self.org_paths or self.member_ids or self.unit_ids
                    or self.department_ids or self.served_unit_ids)


NOTHING = Scope()


class Access(enum.IntEnum):
    """What a scope is for. READ and WRITE are the plain bools ``for_write`` has always taken; PERSONAL reaches
    the members whose personal fields (birth date, ID, phone, addresses, dues) the user reads, REVIEW the
    organisations whose appraisal grades and heart-to-heart talks the user reads (accounts.reads says which
    roles give each)."""

    READ = 0
    WRITE = 1
    PERSONAL = 2
    REVIEW = 3


NO_ROWS = Q(pk__in=[])


def any_of(conditions) -> Q:
    """OR of the conditions, leaving out None and NO_ROWS (grants the scope doesn't hold); none left matches
    nothing (never everything, as an empty Q would)."""
    kept = [c for c in conditions if c is not None and c != NO_ROWS]
    return reduce(operator.or_, kept) if kept else Q(pk__in=[])


def prefix_q(lookup: str, paths) -> Q:
    """OR of ``lookup__startswith`` over paths; an empty list matches nothing."""
    return any_of(Q(**{f"{lookup}__startswith": path}) for path in paths)


def get_scope(user, for_write: bool | Access = False) -> Scope:
    """The scope a user's role assignments give to read, to write (``for_write=True``) or for another Access; all
    cached on the user object per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    scopes = getattr(user, "_dangjian_scopes", None)
    if scopes is None:
        scopes = user._dangjian_scopes = _scope_builder[0](user)
    return scopes[for_write]


# Who builds a user's scopes from the role assignments: the accounts app, registered from its AppConfig.ready()
# (core never imports the registry apps; the import-linter contracts in pyproject.toml check it).
_scope_builder: list = [None]


def register_scope_builder(build) -> None:
    """``build(user) -> tuple of Scope`` indexed by ``for_write`` / Access (accounts.scope.build_scopes)."""
    _scope_builder[0] = build


def region_staff(user) -> bool:
    """District or town (park) staff: a region write grant (only the administrator roles give one)."""
    scope = get_scope(user, for_write=True)
    return scope.everything or bool(scope.region_paths)


class ScopedQuerySet(models.QuerySet):
    """Each model's queryset defines ``scope_q(scope) -> Q``: the rows a Scope reaches."""

    def scoped(self, user, for_write: bool | Access = False):
        scope = get_scope(user, for_write)
        if scope.everything:
            return self.all()
        if scope.empty:
            return self.none()
        return self.filter(self.scope_q(scope))

    def get_for_user(self, pk, user, for_write: bool | Access = False):
        """Fetch-and-authorise in one call: out of scope is indistinguishable from absent."""
        try:
            return self.scoped(user, for_write).get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
