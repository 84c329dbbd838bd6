"""`duty` and `accountability` are replaced by the responsibility items and accountability
circumstances they were moved into (0009)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("powerlist", "0009_duty_texts_into_lists"),
    ]

    operations = [
        migrations.RemoveField(model_name="power", name="duty"),
        migrations.RemoveField(model_name="power", name="accountability"),
    ]
