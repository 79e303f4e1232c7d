"""Pieces shared by the registry API routers: references, choice types, filter parameters, body refs.

Conventions of the JSON API (see each app's ``api.py``):

* The object named in the URL is fetched with ``get_for_user``: absent or out of scope -> 404.
* An id given in a request body (``region``, ``parent``, ``organization``, ``employer``, ``units``)
  is resolved within the user's scope; absent or out of scope -> 422 on that field, with the same
  message either way, so a body can't be used to probe what exists outside the scope.
* Choice fields go out as the code plus a ``<name>_label`` in the request's language.
* Lists page by number: ``?page=N&page_size=M`` (see ``PageNumbers``).
* Numbers a request gives are bounded in the schema (``Id``, ``Year``, page numbers), so a huge one answers
  422 on its field instead of overflowing the database's 64-bit integers or the JSON encoder.
"""
from array import array
from typing import Annotated, Any, Literal, Optional, Union, get_args

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Length, Substr
from django.http import QueryDict
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import BaseModel, ConfigDict, create_model

from dangjian.core.stamps import cached_count, cached_ids


# The database's ids are positive 64-bit integers: a larger one can't be bound as an SQL parameter.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="id (a positive 64-bit integer)")]
# A calendar year the records could be of: the datetime module ends at 9999, the party's records begin long after 1900.
Year = Annotated[int, Field(ge=1900, le=2100)]
# Page numbers up to 2^31 - 1: deeper than any list, and the offset still fits in 64 bits at the largest page size.
MAX_PAGE = 2**31 - 1


class ErrorOut(Schema):
    detail: Union[str, dict[str, list[str]], list[dict[str, Any]]] = Field(
        description="a message (401, 403, 404); messages by field name (422 from the business rules); "
        "or ninja's list of type errors, each with its loc (422 for malformed input)"
    )


def errors(*codes: int) -> dict[int, type]:
    """Documented error answers of an operation; 401 (no session) applies to all."""
    return {code: ErrorOut for code in (401, *codes)}


# A plain pydantic model (read from a dict, or from a model instance's attributes): it has no resolvers,
# so ninja Schema's per-field DjangoGetter would only cost time in long lists.
class Ref(BaseModel):
    """Another registry object, by id and name."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class KindStatusBrief(Schema):
    """id, name, and kind / status with their labels in the request's language."""

    id: int
    name: str
    kind: str
    kind_label: str
    status: str
    status_label: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class UnitBrief(KindStatusBrief):
    """A unit as listed inside another object (an organisation's covered units)."""

    credit_code: str


class OrgBrief(KindStatusBrief):
    """An organisation as listed inside another object (a unit's organisations)."""


def choice(choices, blank: bool = False) -> type:
    """A Literal type of the codes of a Django ``TextChoices`` (or a list of ``(code, label)``)."""
    codes = tuple(choices.values) if hasattr(choices, "values") else tuple(code for code, _label in choices)
    return Literal[("",) + codes if blank else codes]  # type: ignore[valid-type]


# ---- page-number pagination -----------------------------------------------------------------------

class PageNumbers(PaginationBase):
    """``?page=N&page_size=M``, N from 1; the envelope gives the page, its size, the total count and pages.

    A page past the last one answers 200 with no items and the real ``count`` / ``pages``, so a client
    sees why it is empty. The view may return a queryset or anything with ``count()`` and slicing
    (e.g. ``IdPager``); the count is taken on the unordered queryset.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="page number, from 1")
        page_size: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT,
                               description="rows per page")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="rows on all pages (in your scope, after the filters)")
        page: int
        page_size: int
        pages: int = Field(description="number of pages (0 when nothing matches)")

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination, request=None, **params):
        size, page = pagination.page_size, pagination.page
        count = cached_count(queryset) if hasattr(queryset, "order_by") else queryset.count()
        offset = (page - 1) * size
        items = queryset[offset:offset + size] if offset < count or page == 1 else []  # page 1: same queries always
        return {"items": items, "count": count, "page": page, "page_size": size, "pages": -(-count // size)}


class IdPager:
    """A list for ``PageNumbers`` paged by ids: the list's ids in order come from ``core.stamps.cached_ids``
    (one query of the bare scoped, filtered queryset while its tables are unchanged, then none), so the
    count is their number and a deep page costs no more than the first; ``fetch(ids)`` returns the rows
    of a page's ids in list order. A list too long to hold is counted and sliced in the database."""

    def __init__(self, queryset, ordering: tuple[str, ...], fetch):
        self.queryset = queryset.order_by(*ordering)
        self.fetch = fetch

    @cached_property
    def ids(self) -> array | None:
        return cached_ids(self.queryset)

    def count(self) -> int:
        return cached_count(self.queryset) if self.ids is None else len(self.ids)

    def __getitem__(self, window: slice) -> list:
        if self.ids is None:
            return self.fetch(list(self.queryset.values_list("pk", flat=True)[window]))
        return self.fetch(self.ids[window].tolist())


# ---- list filters: one django-filter FilterSet serves the pages and the API ----------------------

def _filter_type(f: django_filters.Filter):
    if isinstance(f, django_filters.ModelChoiceFilter):
        return int
    if isinstance(f, django_filters.BooleanFilter):
        return bool
    if isinstance(f, django_filters.ChoiceFilter) and f.extra.get("choices"):
        return choice(f.extra["choices"])
    return str


def filter_params(filterset_class, name: str) -> type[Schema]:
    """Query-parameter schema derived from a FilterSet, so the OpenAPI lists and types each filter."""
    fields = {}
    with translation.override(settings.LANGUAGE_CODE):  # deterministic docs whatever request comes first
        for fname, f in filterset_class.base_filters.items():
            description = str(f.label) if f.label else None
            fields[fname] = (Optional[_filter_type(f)], Field(None, description=description))
    return create_model(name, __base__=Schema, **fields)


def apply_filters(filterset_class, params: Schema, queryset, user):
    """Run the shared FilterSet on already type-checked parameters.

    Ids given to model-choice filters must be within the user's read scope (otherwise 422, same
    as an id that doesn't exist), and an invalid filter is reported, never silently ignored.
    """
    given = params.dict(exclude_none=True)
    if not given:  # no filter asked for: nothing to validate or apply
        return queryset
    data = QueryDict(mutable=True)
    for key, value in given.items():
        data[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    filterset = filterset_class(data, queryset=queryset)
    for f in filterset.filters.values():
        model = getattr(getattr(f, "queryset", None), "model", None)
        if model is not None and hasattr(model.objects, "scoped"):
            f.queryset = model.objects.scoped(user)
            f.__dict__.pop("_field", None)  # rebuild the form field with the scoped queryset
    if not filterset.is_valid():
        raise ValidationError({k: list(v) for k, v in filterset.errors.items()})
    return filterset.qs


# ---- ids in request bodies -----------------------------------------------------------------------

class RefResolver:
    """Turn body ids into objects within the user's scope; collect every bad id before raising."""

    def __init__(self, user):
        self.user = user
        self.errors: dict[str, list[str]] = {}

    def _missing(self, field: str, model, ids) -> None:
        self.errors.setdefault(field, []).append(
            _("编号为%(ids)s的%(what)s不存在或不在您的管理范围内")
            % {"ids": "、".join(str(i) for i in ids), "what": model._meta.verbose_name}
        )

    def one(self, data: dict, field: str, model, *, for_write: bool = True) -> None:
        """Replace ``data[field]`` (an id or None) by the object, in place."""
        if field not in data or data[field] is None:
            return
        obj = model.objects.scoped(self.user, for_write=for_write).filter(pk=data[field]).first()
        if obj is None:
            self._missing(field, model, [data[field]])
        data[field] = obj

    def many(self, ids: list[int], field: str, model, *, for_write: bool = True) -> list:
        wanted = list(dict.fromkeys(ids))
        found = model.objects.scoped(self.user, for_write=for_write).in_bulk(wanted)
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            self._missing(field, model, missing)
        return [found[pk] for pk in wanted if pk in found]

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def patch_data(payload: dict, write_schema: type[Schema]) -> dict:
    """Fields set in a PATCH body; an explicit null for a field that can't be empty answers 422 here.

    (ninja's PatchDict makes every field optional *and* nullable.)
    """
    def nullable(name: str) -> bool:
        return type(None) in get_args(write_schema.model_fields[name].annotation)

    bad = {name: [_("该字段不能为空")] for name, value in payload.items() if value is None and not nullable(name)}
    if bad:
        raise ValidationError(bad)
    return dict(payload)


# ---- tree and count annotations (one query for a whole page of rows) -----------------------------

def parent_id(model) -> Subquery:
    """The parent's id of a treebeard MP_Node row: the node whose path is ours minus one step."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - model.steplen)
    return Subquery(model.objects.order_by().filter(path=parent_path).values("pk")[:1])


def count_of(queryset, field: str):
    """Count of ``queryset`` rows whose ``field`` points at the outer row (0 when none)."""
    counted = queryset.order_by().filter(**{field: OuterRef("pk")}).values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
