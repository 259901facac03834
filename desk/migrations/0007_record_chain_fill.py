# Links the entries recorded before the chain existed, in the order they happened (at, id), and
# writes the chain head. Batches by keyset so a million entries stream through in constant memory.

from django.db import migrations
from django.db.models import Q

BATCH = 5000


def fill_chain(apps, schema_editor):
    from desk.record import HASHED_FIELDS, HEAD_PK, chain

    StepEvent = apps.get_model("desk", "StepEvent")
    RecordHead = apps.get_model("desk", "RecordHead")
    db = schema_editor.connection.alias
    events = StepEvent.objects.using(db).order_by("at", "id")
    seq, prev_hash, last = 0, "", None
    with schema_editor.connection.cursor() as cursor:
        while True:
            batch = events.filter(Q(at__gt=last[0]) | Q(at=last[0], id__gt=last[1])) if last else events
            rows = list(batch.values_list("id", "at", *HASHED_FIELDS[2:])[:BATCH])
            if not rows:
                break
            links = list(chain((row[2:] for row in rows), seq=seq, prev_hash=prev_hash))
            cursor.executemany(
                "UPDATE desk_stepevent SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [(*link, row[0]) for link, row in zip(links, rows, strict=True)],
            )
            seq, _, prev_hash = links[-1]
            last = (rows[-1][1], rows[-1][0])
    RecordHead.objects.using(db).update_or_create(pk=HEAD_PK, defaults={"seq": seq, "hash": prev_hash})


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0006_record_chain_fields"),
    ]

    operations = [
        migrations.RunPython(fill_chain, migrations.RunPython.noop),
    ]
