"""Full-text index over transcripts, notes, highlights, insights, features, people and orgs.

Hand-written: FTS5 tables and sync triggers on SQLite, generated tsvector columns with GIN
indexes on PostgreSQL (all in research.search). Its only dependency is the latest auto
migration; re-point it at merge.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from research import search

    search.rebuild(schema_editor.connection)


def backwards(apps, schema_editor):
    from research import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("research", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
