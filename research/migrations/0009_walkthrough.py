"""Tags in the search index: a tag's name and description are searched like the other texts
(FTS5 with diacritics removed on SQLite, the unaccented english tsvector on PostgreSQL); a
membership that must change a one-time password set by an owner."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from research.search import schema

    schema.add_source("tag", schema_editor.connection)


def backwards(apps, schema_editor):
    from research.search import schema

    schema.remove_source("tag", schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("research", "0008_recording_lifecycle")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="must_change_password",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
