"""The old one-text `duty` (行使职责) and `accountability` (责任追究) of every power become
lists: responsibility items by stage and accountability circumstances, split the way the
import splits a numbered cell (powerlist.catalogue.responsibility). Nothing is lost: a
text that does not split is one item of stage 其他 (or one circumstance) with the whole
text. Backwards, the lists are joined into the texts again. The built-in header synonyms
of the import are seeded here too.

Confirmed revisions keep their frozen `duty` / `accountability` values as they were
confirmed; revisions confirmed from now on carry the lists.
"""

from django.db import migrations

from powerlist.catalogue.responsibility import (
    join_circumstances,
    join_responsibility_items,
    split_circumstances,
    split_responsibility_text,
)
from powerlist.catalogue.spreadsheets.synonyms import BUILTIN_SYNONYMS, header_key

BATCH = 2000


def texts_to_lists(apps, schema_editor):
    Power = apps.get_model("powerlist", "Power")
    ResponsibilityItem = apps.get_model("powerlist", "ResponsibilityItem")
    AccountabilityCircumstance = apps.get_model("powerlist", "AccountabilityCircumstance")
    items, circumstances = [], []
    rows = Power.objects.exclude(duty="", accountability="").values_list("pk", "duty", "accountability")
    for pk, duty, accountability in rows.iterator(chunk_size=BATCH):
        items += [
            ResponsibilityItem(power_id=pk, stage=stage, text=text, order=n)
            for n, (stage, text) in enumerate(split_responsibility_text(duty))
        ]
        circumstances += [
            AccountabilityCircumstance(power_id=pk, text=text, order=n)
            for n, text in enumerate(split_circumstances(accountability))
        ]
        if len(items) + len(circumstances) >= BATCH:
            ResponsibilityItem.objects.bulk_create(items, batch_size=BATCH)
            AccountabilityCircumstance.objects.bulk_create(circumstances, batch_size=BATCH)
            items, circumstances = [], []
    ResponsibilityItem.objects.bulk_create(items, batch_size=BATCH)
    AccountabilityCircumstance.objects.bulk_create(circumstances, batch_size=BATCH)


def lists_to_texts(apps, schema_editor):
    Power = apps.get_model("powerlist", "Power")
    powers = Power.objects.prefetch_related("responsibility_items", "accountability_circumstances")
    changed = []
    for power in powers.iterator(chunk_size=BATCH):
        power.duty = join_responsibility_items(power.responsibility_items.all())
        power.accountability = join_circumstances(power.accountability_circumstances.all())
        if power.duty or power.accountability:
            changed.append(power)
        if len(changed) >= BATCH:
            Power.objects.bulk_update(changed, ["duty", "accountability"])
            changed = []
    Power.objects.bulk_update(changed, ["duty", "accountability"])


def seed_synonyms(apps, schema_editor):
    HeaderSynonym = apps.get_model("powerlist", "HeaderSynonym")
    existing = set(HeaderSynonym.objects.filter(region__isnull=True).values_list("key", flat=True))
    HeaderSynonym.objects.bulk_create([
        HeaderSynonym(field=field, name=name, key=header_key(name))
        for field, names in BUILTIN_SYNONYMS.items()
        for name in names
        if header_key(name) not in existing
    ])


def unseed_synonyms(apps, schema_editor):
    apps.get_model("powerlist", "HeaderSynonym").objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("powerlist", "0008_sub_items_responsibility_lists"),
    ]

    operations = [
        migrations.RunPython(texts_to_lists, lists_to_texts),
        migrations.RunPython(seed_synonyms, unseed_synonyms),
    ]
