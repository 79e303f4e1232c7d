from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangjian.accounts import grants
from dangjian.accounts.identity import clean_identity, set_staff_identity
from dangjian.accounts.models import RoleAssignment, StaffProfile


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here: users and roles change only through accounts.actions (scope checks, audit),
    on the /accounts/users/ pages and the API."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "region", "organization", "member", "unit", "department")
    list_filter = ("role",)
    search_fields = ("user__username",)

    def get_queryset(self, request):  # like the pages: only the users one manages
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(user__in=grants.manageable_users(request.user))


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class ReadOnlyUserAdmin(ReadOnlyAdmin, UserAdmin):
    list_display = ("username", "first_name", "is_active", "is_staff", "is_superuser", "last_login")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(pk__in=grants.manageable_users(request.user))


class StaffProfileForm(forms.ModelForm):
    """Plain ID and phone are typed here and stored only encrypted (set_staff_identity)."""

    id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False,
                                help_text=_("留空则不修改已登记的号码"))
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False, help_text=_("留空则不修改已登记的号码"))

    class Meta:
        model = StaffProfile
        fields = ["user", "name"]

    def clean(self):
        data = super().clean()
        try:  # the same checks as set_staff_identity, shown next to their fields
            clean_identity(data.get("name", ""), data.get("id_number", ""), data.get("phone", ""))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field, messages)
        return data


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    form = StaffProfileForm
    list_display = ("user", "name", "id_number_masked", "phone_masked")
    search_fields = ("user__username", "name")
    raw_id_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()  # a profile belongs to one login for good

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        user = obj.user if change else d["user"]
        obj.pk = set_staff_identity(request.user, user, d["name"], d.get("id_number", ""), d.get("phone", "")).pk
