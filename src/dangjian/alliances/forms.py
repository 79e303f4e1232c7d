from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.alliances.models import Alliance, ItemCategory, ItemKind, PairKind, SixAction
from dangjian.core.forms import style
from dangjian.regions.models import Region


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ProposeForm(StyledForm):
    region = forms.ModelChoiceField(label=_("区域"), queryset=Region.objects.none())
    organised_only = forms.BooleanField(label=_("只选已建党组织的单位"), required=False, initial=True)
    min_employees = forms.IntegerField(label=_("职工人数不少于"), min_value=0, initial=20)
    groups = forms.IntegerField(label=_("分成几个组"), min_value=2, max_value=2000, initial=10)
    seed = forms.IntegerField(label=_("随机种子"), min_value=1, initial=1,
                              help_text=_("同一种子得到同一方案；换一个种子可比较另一种分法"))
    name = forms.CharField(label=_("方案名称"), max_length=100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.scoped(user, for_write=True).order_by("path")


class ActivityForm(StyledForm):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("活动主题"), max_length=200)
    summary = forms.CharField(label=_("活动情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PostForm(StyledForm):
    text = forms.CharField(label=_("公告内容"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("附件"), required=False)


class PairForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=[(PairKind.VILLAGE, PairKind.VILLAGE.label),
                                                      (PairKind.THREE_LINK, PairKind.THREE_LINK.label)])
    unit_name = forms.CharField(label=_("企业名称或统一社会信用代码"), max_length=100, required=False)
    village = forms.ModelChoiceField(label=_("村（社区）"), queryset=Region.objects.none(), required=False)
    partner = forms.CharField(label=_("共建单位（机关、国企、银行）"), max_length=100, required=False)
    org_name = forms.CharField(label=_("非公企业党组织名称"), max_length=100, required=False)
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}),
                            initial=timezone.localdate)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Region.objects.scoped(user, for_write=True).filter(
            kind__in=["village", "community"]).order_by("path")


class ActionForm(StyledForm):
    action = forms.ChoiceField(label=_("事项"), choices=SixAction.choices)
    date = forms.DateField(label=_("完成日期"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(label=_("佐证材料"), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ItemForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=ItemKind.choices)
    unit = forms.ModelChoiceField(label=_("发布单位"), queryset=None)
    title = forms.CharField(label=_("标题"), max_length=100)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("类别"), choices=ItemCategory.choices)
    quantity = forms.CharField(label=_("数量"), max_length=50, required=False)
    valid_until = forms.DateField(label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))
    contact = forms.CharField(label=_("联系人"), max_length=50)
    alliance = forms.ModelChoiceField(label=_("联盟"), queryset=Alliance.objects.none(), required=False)

    def __init__(self, *args, units, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        # alliances the user sees, or that one of the units they publish for belongs to (never another district's)
        self.fields["alliance"].queryset = Alliance.objects.filter(
            Q(pk__in=Alliance.objects.scoped(user).values("pk")) | Q(units__in=units.values("pk"))).distinct()


class DealForm(StyledForm):
    resource = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label=_("金额（万元）"), max_digits=12, decimal_places=2)
    date = forms.DateField(label=_("成交日期"), widget=forms.DateInput(attrs={"type": "date"}),
                           initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
