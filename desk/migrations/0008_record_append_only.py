# Every entry now has its place in the chain; the database refuses UPDATE and DELETE on the record
# from here on (PostgreSQL: a plpgsql trigger; SQLite: two triggers). On SQLite the AlterField
# below rebuilds the table, so the triggers come after it — and any later migration that rebuilds
# desk_stepevent on SQLite must install them again.

from django.db import migrations, models


def install(apps, schema_editor):
    from desk.record import install_triggers

    install_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    from desk.record import drop_triggers

    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0007_record_chain_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="stepevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="urutan dalam rantai"),
        ),
        migrations.RunPython(install, drop),
    ]
