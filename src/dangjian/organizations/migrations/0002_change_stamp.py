from django.db import migrations

from dangjian.core.stamps import stamp_table


class Migration(migrations.Migration):
    """Keep the change stamp of organizations_organization current, so list counts can be cached (core.stamps)."""

    dependencies = [("core", "0002_changestamp"), ("organizations", "0001_initial")]

    operations = [stamp_table("organizations_organization")]
