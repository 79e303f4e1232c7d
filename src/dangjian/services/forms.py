from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import style
from dangjian.core.scoping import get_scope
from dangjian.services.actions import active_assignments, officer_of
from dangjian.services.models import Adoption, Category, Department, IdeaKind, Officer, departments_for
from dangjian.units.models import Unit, UnitStatus


def own_units(user):
    """Units a user raises requests for without looking them up: an enterprise's own, an officer's."""
    scope = get_scope(user)
    officer = officer_of(user)
    q = Q(pk__in=scope.unit_ids)
    if officer:
        q |= Q(pk__in=active_assignments().filter(officer=officer).values("unit"))
    return Unit.objects.filter(q, status=UnitStatus.OPERATING).order_by("name")


class UnitLookupForm(forms.Form):
    """A unit picked from one's own units, or (dispatchers taking a call) named by credit code or full name."""

    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    unit_name = forms.CharField(label=_("单位名称或统一社会信用代码"), max_length=100, required=False)
    lookup = True  # False: one's own units only (an officer's visits)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = own_units(user)
        if not self.fields["unit"].queryset.exists():
            del self.fields["unit"]
        elif not self.lookup:
            del self.fields["unit_name"]
            self.fields["unit"].required = True

    def clean(self):
        data = super().clean()
        if data.get("unit"):
            return data
        name = (data.get("unit_name") or "").strip()
        if not name:
            raise forms.ValidationError(_("请选择单位，或填写单位名称、统一社会信用代码"))
        found = Unit.objects.scoped(self.user).named(name)
        if found is None:
            self.add_error("unit_name", _("在您的管理范围内找不到“%(name)s”") % {"name": name})
        data["unit"] = found
        return data


class RequestForm(UnitLookupForm):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    title = forms.CharField(label=_("标题"), max_length=100)
    description = forms.CharField(label=_("具体情况"), widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=_("附件"), required=False, help_text=_("图片、PDF、Word 或 Excel，不超过 20 MB"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ActForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=Department.objects.filter(active=True),
                                        required=False)
    deadline = forms.DateField(label=_("办理时限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:  # only the departments of the user's own district
            self.fields["department"].queryset = departments_for(user)
        style(self)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("满意度"), coerce=int,
                                    choices=[(5, _("5 非常满意")), (4, _("4 满意")), (3, _("3 基本满意")),
                                             (2, _("2 不太满意")), (1, _("1 不满意"))])
    comment = forms.CharField(label=_("评价"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class VisitForm(UnitLookupForm):
    lookup = False
    date = forms.DateField(label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(label=_("走访事由"), max_length=200)
    findings = forms.CharField(label=_("了解情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label=_("后续跟进"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=_("照片"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        style(self)


class AssignForm(UnitLookupForm):
    officer = forms.ModelChoiceField(label=_("服务人员"), queryset=Officer.objects.none())
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"start": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.scoped(self.user).filter(active=True).order_by("name")
        style(self)


class IdeaForm(UnitLookupForm):
    kind = forms.ChoiceField(label=_("类型"), choices=IdeaKind.choices)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}))
    staff_name = forms.CharField(label=_("提出人"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class AdoptionForm(forms.Form):
    adoption = forms.ChoiceField(label=_("采纳情况"), choices=Adoption.choices)
