from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ActionForm, style
from dangjian.organizations.forms import org_label
from dangjian.organizations.models import Organization, OrgStatus
from dangjian.orglife import actions
from dangjian.orglife.models import FileKind, Meeting


class MeetingForm(ActionForm):
    organization = forms.ModelChoiceField(label=_("党组织"), queryset=Organization.objects.none())

    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "place", "online", "agenda"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                   "agenda": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"online": _("线上会议可上传回放，缺席党员可补学")}

    field_order = ["organization", *Meta.fields]

    def limit_choices(self):
        if self.creating:
            field = self.fields["organization"]
            field.queryset = Organization.objects.scoped(self.user, for_write=True).filter(status=OrgStatus.ACTIVE)
            field.label_from_instance = org_label
        else:
            del self.fields["organization"]

    def perform(self):
        if self.creating:
            return actions.plan_meeting(self.user, self.cleaned_data["organization"], **self.model_data())
        return actions.update_meeting(self.user, self.instance, **self.model_data())


class HeldForm(forms.Form):
    held_on = forms.DateField(label=_("召开日期"), initial=timezone.localdate)
    decisions = forms.CharField(label=_("决议"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("会议记录"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=FileKind.choices)
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ReplayForm(forms.Form):
    replay_url = forms.URLField(label=_("回放链接"), required=False, assume_scheme="https")
    replay_file = forms.FileField(label=_("回放视频"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class VoteForm(forms.Form):
    subject = forms.CharField(label=_("表决事项"), max_length=200)
    yes = forms.IntegerField(label=_("赞成"), min_value=0)
    no = forms.IntegerField(label=_("反对"), min_value=0, initial=0)
    abstain = forms.IntegerField(label=_("弃权"), min_value=0, initial=0)
    written_yes = forms.IntegerField(label=_("书面赞成（未到会）"), min_value=0, initial=0)
    written_no = forms.IntegerField(label=_("书面反对（未到会）"), min_value=0, initial=0)
    reason = forms.CharField(label=_("重新表决事由"), max_length=200, required=False,
                             help_text=_("同一事项在本次会议再次表决时必填"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("请假事由"), max_length=200, required=False)


class MakeUpForm(forms.Form):
    note = forms.CharField(label=_("补学心得"), max_length=500, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
