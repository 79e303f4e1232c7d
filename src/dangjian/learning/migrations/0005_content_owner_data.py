# Every existing content gets an owner, so only the staff of the publishing region or organisation change it:
# a meeting replay belongs to the meeting's organisation; other content to its author's outermost write grant
# (region before organisation); content with no author, or one without a write grant, to the top region.

from django.db import migrations

REGION_ROLES = ("district_admin", "region_admin")
ORGANIZATION_ROLES = ("secretary", "clerk")


def set_owners(apps, schema_editor):
    Content = apps.get_model("learning", "Content")
    Region = apps.get_model("regions", "Region")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    top = Region.objects.filter(depth=1).order_by("path").first()
    for content in Content.objects.filter(region__isnull=True, organization__isnull=True).select_related(
            "meeting", "created_by"):
        owner = {"region": top}
        grants = RoleAssignment.objects.filter(user_id=content.created_by_id) if content.created_by_id else None
        if content.meeting_id and content.meeting:
            owner = {"organization_id": content.meeting.organization_id}
        elif grants is not None and not content.created_by.is_superuser:
            region = grants.filter(role__in=REGION_ROLES, region__isnull=False).order_by("region__path").first()
            org = grants.filter(role__in=ORGANIZATION_ROLES, organization__isnull=False) \
                .order_by("organization__path").first()
            if region:
                owner = {"region_id": region.region_id}
            elif org:
                owner = {"organization_id": org.organization_id}
        Content.objects.filter(pk=content.pk).update(**owner)


class Migration(migrations.Migration):

    dependencies = [
        ("learning", "0004_content_owner_study_clock_quiz_attempts"),
        ("accounts", "0003_roleassignment_department_alter_roleassignment_role"),
    ]

    operations = [migrations.RunPython(set_owners, migrations.RunPython.noop)]
