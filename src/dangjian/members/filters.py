import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core import pii
from dangjian.core.filters import BaseFilterSet, subtree_filter
from dangjian.core.validators import normalize_citizen_id
from dangjian.members.models import Category, Member, MemberStatus
from dangjian.organizations.models import Organization
from dangjian.units.models import Unit


class MemberFilter(BaseFilterSet):
    organization = subtree_filter(Organization, "organization__path", _("所在党组织"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("人员类别"), method="personal_field")
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label=_("党籍状态"))  # a roster is current members
    is_mobile = django_filters.BooleanFilter(label=_("流动党员"), method="personal_field")
    employer = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("工作单位"),
                                                method="personal_field")

    # The members whose personal fields the filtering user reads (members.visibility.personal_members); None:
    # all they read. Filtering by a field the user doesn't read would reveal it, so it only matches these.
    personal = None

    class Meta:
        model = Member
        fields = ["q", "organization", "category", "status", "is_mobile", "employer"]

    @classmethod
    def for_user(cls, user):
        """This filter set as ``user`` may use it."""
        from dangjian.members.visibility import personal_members

        personal = personal_members(user)
        return cls if personal is None else type(cls.__name__, (cls,), {"personal": personal})

    def _only_personal(self, q: Q) -> Q:
        return q if self.personal is None else q & Q(pk__in=self.personal)

    def personal_field(self, queryset, name, value):
        return queryset.filter(self._only_personal(Q(**{name: value})))

    def search(self, queryset, name, value):
        """Name contains the text, or the text is a full ID number / phone (matched by keyed hash)."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | self._only_personal(Q(id_number_hash=pii.blind_index(normalize_citizen_id(value)))
                                  | Q(phone_hash=pii.blind_index(value)))
        )
