from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ActionForm, SearchSelect
from dangjian.members import actions, idcheck
from dangjian.members.models import Member
from dangjian.organizations.models import Organization, OrgStatus
from dangjian.units.models import Unit

MONTH_FORMAT = "%Y-%m"
LONG_LIST = 50  # above this many units, the employer <select> loads its options by search


class ListedChoices(ModelChoiceIterator):
    """The options a <select> lists, narrower than the queryset its field accepts."""

    def __init__(self, field, listed):
        super().__init__(field)
        self.queryset = listed


class MemberForm(ActionForm):
    """The member record (domain-rules §8). ID number and phone are typed in plain and never
    pre-filled: on edit, a blank box means "unchanged"."""

    id_entry = idcheck.FORM  # the entry point named in the audit of ID number look-ups (the inline check sets its own)
    id_number = forms.CharField(label=_("身份证号码"), max_length=25, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    dues_paid_until = forms.DateField(
        label=_("党费缴至（月）"), required=False, input_formats=[MONTH_FORMAT, "%Y-%m-%d"],
        widget=forms.DateInput(format=MONTH_FORMAT, attrs={"type": "month"}),
    )

    class Meta:
        model = Member
        fields = [
            "name", "gender", "id_number", "birth_date", "ethnicity", "education",
            "organization", "category", "join_date", "confirm_date", "status", "is_mobile",
            "employer", "job", "phone", "household_registration", "residence",
            "dues_standard", "dues_paid_until",
        ]

    def limit_choices(self):
        # The list offers branches and party groups only; any active organisation in scope is accepted so
        # that the member rules (clean_member) say why a 基层党委 or 党总支 is refused.
        orgs = Organization.objects.scoped(self.user, for_write=True).filter(status=OrgStatus.ACTIVE)
        listed = orgs.filter(kind__in=actions.BRANCH_KINDS)
        units = Unit.objects.scoped(self.user, for_write=True)
        if not self.creating:
            current = Organization.objects.filter(pk=self.instance.organization_id)
            orgs, listed = orgs | current, listed | current
            if self.instance.employer_id:
                units = units | Unit.objects.filter(pk=self.instance.employer_id)
        org_field = self.fields["organization"]
        org_field.iterator = lambda field: ListedChoices(field, listed)  # before the queryset: it sets the widget's choices
        org_field.queryset = orgs
        org_field.label_from_instance = lambda o: o.name
        employer = self.fields["employer"]
        employer.queryset = units
        if units.count() > LONG_LIST:
            employer.widget = SearchSelect(url=reverse("units:options") + "?blank=1")
            employer.widget.choices = employer.choices
        number = self.fields["id_number"]
        number.widget.attrs.update({"autocomplete": "off", "inputmode": "text", "class": "dj-mono", "maxlength": 25})
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})
        if self.creating:
            number.required = True
            number.help_text = _("18位，末位可为X；出生日期和性别须与号码一致")
        else:
            number.help_text = _("已登记：%(masked)s。留空表示不修改") % {"masked": self.instance.id_number_masked}
            self.fields["phone"].help_text = (
                _("已登记：%(masked)s。留空表示不修改") % {"masked": self.instance.phone_masked}
                if self.instance.phone_masked else _("尚未登记")
            )

    def _pii(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        return value or (None if not self.creating else "")

    def perform(self):
        data = self.model_data()
        data.pop("id_number", None)
        data.pop("phone", None)
        pii = {"id_number": self._pii("id_number"), "phone": self._pii("phone"), "entry": self.id_entry}
        if self.creating:
            return actions.create_member(self.user, **pii, **data)
        return actions.update_member(self.user, self.instance, **pii, **data)

    def check_rules(self):
        fields = {k: v for k, v in self.cleaned_data.items() if k in actions.FIELDS}
        member = Member(pk=self.instance.pk, **fields)
        id_number = self._pii("id_number")
        actions.clean_member(member, id_number or None, self._pii("phone") or None, actor=self.user, entry=self.id_entry)
