# The user who recorded a point entry: renamed from awarded_by, since attendance points now record who
# marked the presence too (existing manual awards keep their awarding user).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0002_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name='pointentry',
            old_name='awarded_by',
            new_name='recorded_by',
        ),
        migrations.AlterField(
            model_name='pointentry',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人'),
        ),
    ]
