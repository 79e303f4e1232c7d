from django.contrib import admin

from dangjian.core.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "actor__username")
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedModelAdmin(admin.ModelAdmin):
    """Support staff see and change only their scope in the admin, as everywhere else."""

    def get_queryset(self, request):
        return self.model.objects.scoped(request.user).order_by(*(self.ordering or ["pk"]))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self.model.objects.scoped(request.user, for_write=True).filter(pk=obj.pk).exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(request, obj)
