"""Chain the rows written before the chain existed, in id order, and record the head."""

from django.db import migrations

from kaoping.audit.chain import CONTENT_FIELDS, HEAD_ID, chain_rows_compute

BATCH = 2000


def chain_existing(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditHead")
    rows = event_model.objects.order_by("id").values(*CONTENT_FIELDS).iterator(chunk_size=BATCH)
    last_id, last_hash, batch = 0, "", []
    for event_id, prev_hash, digest in chain_rows_compute(rows):
        batch.append(event_model(id=event_id, prev_hash=prev_hash, hash=digest))
        last_id, last_hash = event_id, digest
        if len(batch) >= BATCH:
            event_model.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    event_model.objects.bulk_update(batch, ["prev_hash", "hash"])
    head_model.objects.update_or_create(pk=HEAD_ID, defaults={"last_id": last_id, "hash": last_hash})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain_fields")]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
