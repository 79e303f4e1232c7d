from django.db import migrations

from dangjian.core.stamps import stamp_table


class Migration(migrations.Migration):
    """Keep the change stamp of accounts_roleassignment current, so scopes can be cached (accounts.scope)."""

    dependencies = [("core", "0002_changestamp"), ("accounts", "0003_roleassignment_department_alter_roleassignment_role")]

    operations = [stamp_table("accounts_roleassignment")]
