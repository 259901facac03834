from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail.models import Workflow, WorkflowTask

from accounts.signals import acting_changed
from desk.models import SopStepTask
from sop.signals import sop_version_loaded


@receiver(sop_version_loaded)
def build_workflow_for_version(sender, version, **kwargs):
    """Each SOP version gets its own Wagtail workflow with one task per page step.

    Earlier versions' workflows stay active so the items that started under them finish under
    the standards they started with.
    """
    steps = {step.number: step for step in version.steps.all()}
    workflow = Workflow.objects.create(name=_("SOP %(nomor)s versi %(version)s") % {"nomor": version.nomor, "version": version.version})
    for order, step in enumerate(version.definition().page_steps()):
        task = SopStepTask.objects.create(
            name=_("Langkah %(number)s — %(actors)s") % {"number": step.number, "actors": step.actor_labels},
            sop_step=steps[step.number],
        )
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    version.workflow = workflow
    version.save(update_fields=["workflow"])


@receiver(acting_changed)
def move_steps_for_acting(sender, appointment, actor, **kwargs):
    """A Plt/Plh appointment made or revoked: the steps waiting at the absent official (or at the
    stand-in, when it ends) move now, not at their next action."""
    from desk.services import acting_holders_refresh

    acting_holders_refresh(people_ids={appointment.absent_id, appointment.acting_id}, actor=actor)
