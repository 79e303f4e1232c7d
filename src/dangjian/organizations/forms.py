from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ActionForm, attach_errors, style
from dangjian.organizations import actions
from dangjian.organizations.models import Organization, OrgStatus, OrgUnit
from dangjian.regions.forms import granted_regions, tree_label
from dangjian.regions.models import Region
from dangjian.units.models import Unit


def org_label(org) -> str:
    return "\u3000" * (org.depth - 1) + org.name


class OrganizationForm(ActionForm):
    parent = forms.ModelChoiceField(label=_("上级党组织"), queryset=Organization.objects.none(), required=False)

    class Meta:
        model = Organization
        fields = ["name", "kind", "formation", "region", "founded", "status", "contact_phone", "term_start", "term_end"]
        help_texts = {
            "term_end": _("不填则按党组织类别自动计算（基层党委5年，党总支、党支部3年）"),
            "formation": _("联合党支部应选“联合组建”"),
        }

    field_order = ["parent", *Meta.fields]

    def limit_choices(self):
        regions = Region.objects.scoped(self.user, for_write=True)
        if self.creating:
            parent = self.fields["parent"]
            parent.queryset = Organization.objects.scoped(self.user, for_write=True).filter(status=OrgStatus.ACTIVE)
            parent.label_from_instance = org_label
            # Only region-level administrators found top-level organisations.
            parent.required = not granted_regions(self.user).exists()
            parent.empty_label = _("（无，设为顶级党组织）") if not parent.required else None
        else:
            del self.fields["parent"]
            regions = regions | Region.objects.filter(pk=self.instance.region_id)
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = tree_label

    def perform(self):
        if self.creating:
            return actions.create_organization(self.user, self.cleaned_data.get("parent"), **self.model_data())
        return actions.update_organization(self.user, self.instance, **self.model_data())

    def check_rules(self):
        org = Organization(pk=self.instance.pk, **{k: v for k, v in self.cleaned_data.items() if k in actions.FIELDS})
        parent = self.cleaned_data.get("parent") if self.creating else self.instance.get_parent()
        actions.clean_organization(org, parent)


class OrgUnitsForm(forms.Form):
    """The units an organisation covers (a joint branch lists each one)."""

    units = forms.ModelMultipleChoiceField(label=_("覆盖单位"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.organization = organization
        # Units the user may write to, plus those already covered (they may be unticked).
        covered = OrgUnit.objects.filter(organization=organization).values("unit")
        self.fields["units"].queryset = Unit.objects.filter(
            Q(pk__in=Unit.objects.scoped(user, for_write=True).values("pk")) | Q(pk__in=covered)
        )
        style(self)

    def save(self):
        """Returns the warning text ("" if none), or None after attaching the action's errors."""
        try:
            return actions.set_units(self.user, self.organization, list(self.cleaned_data["units"]))
        except ValidationError as exc:
            attach_errors(self, exc)
            return None
