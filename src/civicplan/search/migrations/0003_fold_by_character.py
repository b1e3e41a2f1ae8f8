"""Folding now converts one character at a time: the stored forms are dropped here, and rebuilt right after the
migration (civicplan.search.apps: an empty index of a database with plans is rebuilt on post_migrate)."""

from django.db import migrations


def drop_entries(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_backends")]

    operations = [migrations.RunPython(drop_entries, migrations.RunPython.noop)]
