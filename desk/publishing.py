"""``WAGTAIL_FINISH_WORKFLOW_ACTION``. Wagtail imports this while its own models are loading, so
everything is imported inside the function."""


def publish_finished_workflow(workflow_state, user=None):
    """Publish when the SOP's last step has been taken, with the engine's authority."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from desk.models import Liputan, sop_publish_authorised

    liputan = Liputan.objects.filter(page_id=int(workflow_state.object_id)).first()
    if liputan is None or liputan.status != Liputan.Status.PUBLISHED:
        raise PermissionDenied(_("Naskah hanya terbit pada langkah terakhir SOP."))
    token = sop_publish_authorised.set(True)
    try:
        workflow_state.content_object.get_latest_revision().publish(user=user, skip_permission_checks=True)
    finally:
        sop_publish_authorised.reset(token)
