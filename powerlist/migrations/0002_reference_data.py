from django.db import migrations


def forwards(apps, schema_editor):
    from powerlist.catalogue.reference import ensure_categories

    ensure_categories(apps.get_model("powerlist", "Category"))
    apps.get_model("powerlist", "ChainHead").objects.get_or_create(name="review")


class Migration(migrations.Migration):
    dependencies = [("powerlist", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
