from django.db.models.signals import post_save
from django.dispatch import receiver

from desk.models import StepEvent
from reports import rollup


@receiver(post_save, sender=StepEvent, dispatch_uid="reports_rollup_step_event")
def add_to_rollup(sender, instance, created, raw=False, **kwargs):
    # Step events are never changed after they are written; only a new one adds to the totals.
    if created and not raw:
        rollup.record_event(instance)
