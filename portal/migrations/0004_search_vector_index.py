"""A GIN index on the expression Wagtail's database search backend filters by, on PostgreSQL.

The backend matches ``(title || body) @@ query``; its own GIN indexes are on ``title`` and ``body``
apart, which that expression cannot use, so every search read each index row's vectors: 65 ms for
a word found nowhere among 20,000 pages, 200 ms for a common one (bench/RESULTS.md). With this
index: 10 ms and 90 ms. SQLite searches through its own FTS5 table and needs nothing.
Built CONCURRENTLY: a live site keeps indexing pages while it is made."""

from django.db import migrations

INDEX = "lontar_search_title_body_gin"


def table(apps):
    return apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON {table(apps)} USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("portal", "0003_berita_tags"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
