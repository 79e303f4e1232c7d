from django.db import migrations

from dangjian.core.stamps import stamp_table


class Migration(migrations.Migration):
    """Keep the change stamp of regions_region current, so list counts can be cached (core.stamps)."""

    dependencies = [("core", "0002_changestamp"), ("regions", "0001_initial")]

    operations = [stamp_table("regions_region")]
