from django.db import migrations

from dangjian.core.stamps import stamp_table


class Migration(migrations.Migration):
    """Keep the change stamp of members_member current, so list counts can be cached (core.stamps)."""

    dependencies = [("core", "0002_changestamp"), ("members", "0003_list_order_index")]

    operations = [stamp_table("members_member")]
