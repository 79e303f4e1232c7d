from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ActionForm, style
from dangjian.learning import actions
from dangjian.learning.models import AudienceGroup, Content
from dangjian.organizations.forms import org_label
from dangjian.organizations.models import Organization, OrgStatus
from dangjian.regions.forms import tree_label
from dangjian.regions.models import Region


class ContentForm(ActionForm):
    url = forms.URLField(label=_("视频链接"), required=False, assume_scheme="https")
    upload = forms.FileField(label=_("文件"), required=False, help_text=_("视频（mp4）或文档（pdf、Word、Excel）"))

    class Meta:
        model = Content
        fields = ["kind", "title", "summary", "body", "url", "minutes", "series", "tags", "published"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8}), "tags": forms.CheckboxSelectMultiple}
        help_texts = {"minutes": _("微党课默认25分钟；视频和微党课须学习满一半时长才能完成")}

    def limit_choices(self):
        self.fields["minutes"].required = False  # articles have none; micro lectures default to the rule's 25

    def perform(self):
        data = self.model_data()
        if "minutes" in data:
            data["minutes"] = data["minutes"] or 0
        tags = data.pop("tags", None)
        upload = self.cleaned_data.get("upload")
        if self.creating:
            return actions.create_content(self.user, tags=tags or [], upload=upload, **data)
        return actions.update_content(self.user, self.instance, tags=tags, upload=upload, **data)


class PushForm(forms.Form):
    date = forms.DateField(label=_("推送日期"))
    organizations = forms.ModelMultipleChoiceField(label=_("党组织"), queryset=Organization.objects.none(),
                                                   required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
    regions = forms.ModelMultipleChoiceField(label=_("区域"), queryset=Region.objects.none(), required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 8}))
    group = forms.ChoiceField(label=_("对象"), choices=AudienceGroup.choices, required=False)
    note = forms.CharField(label=_("推送语"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = self.fields["organizations"]
        orgs.queryset = Organization.objects.scoped(user, for_write=True).filter(status=OrgStatus.ACTIVE).order_by("path")
        orgs.label_from_instance = org_label
        regions = self.fields["regions"]
        regions.queryset = Region.objects.scoped(user, for_write=True).order_by("path")
        regions.label_from_instance = tree_label
        style(self)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("题目"), max_length=300)
    options = forms.CharField(label=_("选项"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("每行一个选项"))
    answer = forms.IntegerField(label=_("正确选项（第几项）"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class AwardForm(forms.Form):
    points = forms.IntegerField(label=_("积分"))
    reason = forms.CharField(label=_("事由"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

