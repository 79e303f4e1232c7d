"""Forms of the account pages; each saves through accounts.actions and shows its errors at the fields."""
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangjian.accounts import actions, grants
from dangjian.accounts.models import ROLE_ANCHOR, Role
from dangjian.core.forms import style

# The form field holding each kind of anchor (units by credit code and members by number: too many to list).
ANCHOR_FIELDS = {"region": "region", "organization": "organization", "department": "department",
                 "unit": "unit_code", "member": "member_id"}


class PolicyPasswordChangeForm(PasswordChangeForm):
    """Django's checks (old password, both new ones equal, the policy), then the audited action."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def save(self, commit=True):
        actions.change_password(self.user, self.user, self.cleaned_data["new_password1"])
        return self.user


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    region = forms.ModelChoiceField(label=_("区域"), queryset=None, required=False)
    organization = forms.ModelChoiceField(label=_("党组织"), queryset=None, required=False)
    department = forms.ModelChoiceField(label=_("部门"), queryset=None, required=False)
    unit_code = forms.CharField(label=_("单位统一社会信用代码"), max_length=18, required=False)
    member_id = forms.IntegerField(label=_("党员编号"), min_value=1, required=False,
                                   help_text=_("党员详情页地址中的数字"))

    def __init__(self, actor, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        for kind in ("region", "organization", "department"):
            self.fields[kind].queryset = grants.anchors_in_scope(actor, kind).order_by("name")
        style(self)

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if not role:
            return data
        kind = ROLE_ANCHOR[Role(role)]
        field = ANCHOR_FIELDS[kind]
        value = data.get(field)
        if value in (None, ""):
            self.add_error(field, _("角色“%(role)s”需要填写这一项") % {"role": Role(role).label})
            return data
        if kind in ("unit", "member"):
            lookup = {"credit_code": str(value).strip().upper()} if kind == "unit" else {"pk": value}
            value = grants.anchors_in_scope(self.actor, kind).filter(**lookup).first()
            if value is None:  # absent or out of scope: the same answer
                self.add_error(field, _("在您的管理范围内找不到该%(what)s") % {
                    "what": _("单位") if kind == "unit" else _("党员")})
                return data
        data["anchor"] = value
        return data


class NewUserForm(GrantForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False), strip=False)
    field_order = ["username", "full_name", "password", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["password"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password"].help_text = _("至少10位，不能是常见密码、纯数字或包含用户名")

    def clean(self):
        data = super().clean()
        if data.get("password"):  # also when the role part is wrong: every error at once
            try:
                password_validation.validate_password(data["password"], get_user_model()(username=data.get("username", "")))
            except ValidationError as exc:
                self.add_error("password", exc.messages)
        return data


def run(form, action, *args):
    """Call an action with the form's data; its ValidationErrors land on the form. Returns the result or None."""
    from dangjian.core.forms import attach_errors

    try:
        return action(*args)
    except ValidationError as exc:
        role = form.cleaned_data.get("role")
        if hasattr(exc, "error_dict") and "anchor" in exc.error_dict and role:  # onto the field that named it
            exc.error_dict[ANCHOR_FIELDS[ROLE_ANCHOR[Role(role)]]] = exc.error_dict.pop("anchor")
        attach_errors(form, exc)
        return None
