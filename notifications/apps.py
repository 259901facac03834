from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Pemberitahuan")

    def ready(self):
        from wagtail.models import WorkflowState
        from wagtail.signals import workflow_approved, workflow_rejected, workflow_submitted

        from notifications import receivers  # noqa: F401

        # Wagtail's stock workflow mails go to every superuser and name no step holder; Lontar's
        # own notices (notifications.receivers) tell the named person who must act, in Indonesian.
        workflow_submitted.disconnect(sender=WorkflowState, dispatch_uid="workflow_state_submitted_email_notification")
        workflow_rejected.disconnect(sender=WorkflowState, dispatch_uid="workflow_state_rejected_email_notification")
        workflow_approved.disconnect(sender=WorkflowState, dispatch_uid="workflow_state_approved_email_notification")
