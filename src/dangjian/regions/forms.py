from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ActionForm
from dangjian.core.scoping import get_scope, prefix_q
from dangjian.regions import actions
from dangjian.regions.models import Region


def granted_regions(user, for_write: bool = True):
    """Regions reached through region-level grants (district / town admins), not through an
    organisation's or unit's location: only these users register regions and units."""
    scope = get_scope(user, for_write)
    if scope.everything:
        return Region.objects.all()
    return Region.objects.filter(prefix_q("path", scope.region_paths))


def tree_label(region) -> str:
    return "\u3000" * (region.depth - 1) + region.name


class RegionForm(ActionForm):
    parent = forms.ModelChoiceField(label=_("上级区域"), queryset=Region.objects.none(), required=False)

    class Meta:
        model = Region
        fields = ["name", "kind", "code", "code_year", "lng", "lat"]
        help_texts = {
            "code": _("统计用区划代码：区县6位，乡镇街道9位，村（社区）12位"),
            "code_year": _("区划代码所属的年份版本，如2023"),
        }

    field_order = ["parent", "name", "kind", "code", "code_year", "lng", "lat"]

    def limit_choices(self):
        if self.creating:
            self.fields["parent"].queryset = granted_regions(self.user)
            self.fields["parent"].label_from_instance = tree_label
            self.fields["parent"].required = not self.user.is_superuser
        else:
            del self.fields["parent"]

    def perform(self):
        if self.creating:
            data = self.model_data()
            return actions.create_region(self.user, self.cleaned_data.get("parent"), **data)
        return actions.update_region(self.user, self.instance, **self.model_data())
