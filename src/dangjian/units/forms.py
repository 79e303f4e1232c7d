from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ActionForm
from dangjian.regions.models import Region
from dangjian.units import actions
from dangjian.units.industry import DIVISIONS, SECTIONS, divisions_of
from dangjian.units.models import Unit


def division_choices():
    """Divisions grouped under their section, so the <select> reads like GB/T 4754."""
    groups = [("", _("（不填）"))]
    for section, name in SECTIONS.items():
        groups.append((f"{section} {name}", [(d, f"{d} {DIVISIONS[d]}") for d in divisions_of(section) if d in DIVISIONS]))
    return groups


class UnitForm(ActionForm):
    industry_division = forms.ChoiceField(label=_("行业大类"), required=False, choices=division_choices)

    class Meta:
        model = Unit
        fields = [
            "name", "credit_code", "kind", "status", "region", "address", "industry_section", "industry_division",
            "employees", "above_size", "founded", "lng", "lat",
        ]
        help_texts = {
            "credit_code": _("18位，字母不含 I、O、S、V、Z；个体工商户可不填"),
            "above_size": _("年主营业务收入2000万元及以上的工业企业等"),
        }

    def limit_choices(self):
        regions = Region.objects.scoped(self.user, for_write=True)
        if self.instance.region_id:
            regions = regions | Region.objects.filter(pk=self.instance.region_id)
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: "\u3000" * (r.depth - 1) + r.name
        self.fields["credit_code"].widget.attrs.update({"maxlength": 20, "autocomplete": "off", "class": "dj-mono"})

    def perform(self):
        if self.creating:
            return actions.create_unit(self.user, **self.model_data())
        return actions.update_unit(self.user, self.instance, **self.model_data())

    def check_rules(self):
        unit = Unit(pk=self.instance.pk, **{k: v for k, v in self.cleaned_data.items() if k in self._meta.fields})
        actions.clean_unit(unit)
