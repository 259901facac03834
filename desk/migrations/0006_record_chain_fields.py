# The SOP record becomes a hash chain (desk.record). Fields first, filled by 0007, made unique and
# guarded by triggers in 0008.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0005_stepevent_report_indexes"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        # Not part of the chain: the page editor's submit starts the SOP workflow under the
        # item's lock (desk.models.SopWorkflow). A proxy, no table.
        migrations.CreateModel(
            name="SopWorkflow",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("wagtailcore.workflow",),
        ),
        migrations.CreateModel(
            name="RecordHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(blank=True, max_length=64)),
            ],
            options={
                "verbose_name": "kepala rantai catatan SOP",
                "verbose_name_plural": "kepala rantai catatan SOP",
            },
        ),
        migrations.AddField(
            model_name="stepevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="urutan dalam rantai"),
        ),
        migrations.AddField(
            model_name="stepevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash entri sebelumnya"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="stepevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="stepevent",
            name="revision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.revision",
            ),
        ),
    ]
