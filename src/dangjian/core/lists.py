"""List pages: the app's FilterSet (shared with the API), scoped choices, sorting and pagination.

An app's ``tables.py`` subclasses ``ListSpec`` and states its queryset, sorts and shown
filters; the view calls ``spec.build(request)``. Every list costs a fixed number of queries
(count + page rows + one per rendered choice list), whatever the number of rows.
"""
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from dangjian.core.stamps import cached_count

PER_PAGE = 50


class FilterBooleanSelect(forms.NullBooleanSelect):
    """Yes/no filter whose choices carry the filter's label ("已建党组织：是" rather than "是")."""

    def __init__(self, label, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("%(label)s：全部") % {"label": label}),
            ("true", _("%(label)s：是") % {"label": label}),
            ("false", _("%(label)s：否") % {"label": label}),
        ]


def tree_label(obj) -> str:
    """Tree nodes indented by depth, so a flat <select> still shows the hierarchy."""
    return "\u3000" * (getattr(obj, "depth", 1) - 1) + str(obj)


class StampedPaginator(Paginator):
    """Paginator whose total comes from core.stamps while the listed tables are unchanged."""

    @cached_property
    def count(self) -> int:
        return cached_count(self.object_list)


@dataclass
class ListResult:
    filterset: object
    form: forms.Form
    page: Page
    sort: str
    shown: list = field(default_factory=list)  # bound fields rendered in the filter bar
    carried: list = field(default_factory=list)  # (name, value) of active filters not in the bar

    @property
    def rows(self):
        return self.page.object_list

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def page_numbers(self):
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1))


class ListSpec:
    """Declare a list: subclass in the app's tables.py."""

    filterset_class = None
    # sort key -> ORDER BY fields; "-key" in the URL reverses them.
    sorts: dict[str, tuple[str, ...]] = {}
    default_sort = ""
    shown_filters: tuple[str, ...] = ("q",)
    search_placeholder = ""
    per_page = PER_PAGE

    def queryset(self, request):
        """Scoped rows with everything the table shows joined or annotated (no per-row queries)."""
        raise NotImplementedError

    def choices(self, request) -> dict:
        """Querysets for the filters' model choices, limited to what the user may see."""
        return {}

    def decorate(self, rows: list, request) -> None:
        """Attach per-page extras computed in a fixed number of queries (e.g. subtree counts)."""

    def sort_key(self, request) -> str:
        sort = request.GET.get("sort", "")
        return sort if sort.lstrip("-") in self.sorts else self.default_sort

    def order(self, queryset, sort: str):
        desc = sort.startswith("-")
        fields = []
        for name in self.sorts[sort.lstrip("-")]:
            if desc:
                name = name[1:] if name.startswith("-") else "-" + name
            fields.append(name)
        return queryset.order_by(*fields, "pk")

    def build(self, request) -> ListResult:
        filterset = self.filterset_class(request.GET or None, queryset=self.queryset(request), request=request)
        choices = self.choices(request)
        for name, qs in choices.items():
            filterset.filters[name].queryset = qs
        form = filterset.form
        for name, form_field in form.fields.items():
            _compact(name, form_field)
            if name in choices:
                form_field.label_from_instance = tree_label
        if self.search_placeholder:
            form.fields["q"].widget.attrs["placeholder"] = self.search_placeholder
        sort = self.sort_key(request)
        paginator = StampedPaginator(self.order(filterset.qs, sort), self.per_page)
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        self.decorate(page.object_list, request)
        shown = [form[name] for name in self.shown_filters]
        carried = []
        if form.is_bound:
            for name in form.fields:
                if name not in self.shown_filters and form.data.get(name) not in (None, ""):
                    carried.append((name, form.data.get(name)))
        return ListResult(filterset=filterset, form=form, page=page, sort=sort, shown=shown, carried=carried)


def _compact(name: str, form_field) -> None:
    """Filter-bar widgets: small, labelled by their first option or placeholder."""
    label = str(form_field.label or name)
    widget = form_field.widget
    if isinstance(form_field, forms.NullBooleanField):
        form_field.widget = widget = FilterBooleanSelect(label)
    elif hasattr(form_field, "empty_label"):
        form_field.empty_label = _("%(label)s：全部") % {"label": label}
        # the widget may still iterate the choices of the field this form field was copied from
        form_field.widget.choices = form_field.choices
    elif isinstance(form_field, forms.ChoiceField):
        form_field.choices = [("", _("%(label)s：全部") % {"label": label})] + [c for c in form_field.choices if c[0] != ""]
    css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
    widget.attrs.update({"class": css, "aria-label": label})
    if name == "q":
        widget.input_type = "search"
        widget.attrs["placeholder"] = label
