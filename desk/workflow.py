"""The bridge between Wagtail's workflow machinery and the desk's services.

Wagtail calls these through ``SopStepTask`` (start, actions, forms, on_action) and through
``WAGTAIL_FINISH_WORKFLOW_ACTION``. They translate; the decisions stay in ``desk.services`` and
``sop.rules``.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.forms import TaskStateCommentForm
from wagtail.models import TaskState
from wagtail.signals import task_submitted

from accounts.roles import users_with_role
from desk import services
from desk.models import Liputan, SopTaskState
from sop import rules

ACTION_LABELS = {
    rules.StepKind.GATHER: gettext_lazy("Periksa dan laporkan ke %(next)s"),
    rules.StepKind.REVIEW: gettext_lazy("Setujui dan teruskan ke %(next)s"),
    rules.StepKind.HAND_OVER: gettext_lazy("Serahkan ke %(next)s"),
    rules.StepKind.ASSIGN_UPLOADER: gettext_lazy("Tugaskan staf pengunggah"),
    rules.StepKind.PUBLISH: gettext_lazy("Unggah dan terbitkan"),
}


def action_label(defn: rules.SopDefinition, step: rules.Step, action: rules.Action) -> str:
    if action == rules.Action.RETURN:
        return _("Kembalikan")
    if action == rules.Action.SUBMIT:
        return _("Laporkan ke %(role)s") % {"role": step.actors[-1].label}
    next_role = defn.step(step.next).actors[0].label if step.next else ""
    return ACTION_LABELS[step.kind] % {"next": next_role}


def task_start(*, task, workflow_state, user=None):
    """Start (or skip) a step's task: the desk's ``Liputan`` says where the item stands."""
    liputan = Liputan.objects.select_for_update().get(page_id=int(workflow_state.object_id))
    page = workflow_state.content_object
    revision = page.get_latest_revision()
    number = task.sop_step.number
    state = SopTaskState(workflow_state=workflow_state, task=task, liputan=liputan, revision=revision)
    if liputan.status != Liputan.Status.ACTIVE or number > liputan.step:
        raise PermissionDenied(_("Langkah %(step)s belum waktunya.") % {"step": number})
    if number < liputan.step:
        # Passed before a return to a later step; the item resumes where it was sent back to.
        state.status = TaskState.STATUS_SKIPPED
        state.finished_at = timezone.now()
        state.comment = _("Sudah dilalui sebelum pengembalian.")
    else:
        defn = liputan.sop_version.definition()
        if liputan.phase < len(defn.step(number).actors) - 1:
            try:
                services.record_submission(liputan=liputan, user=user, revision=revision)
            except rules.InvalidTransition as exc:
                raise PermissionDenied(str(exc)) from exc
            liputan.refresh_from_db()
        state.status = TaskState.STATUS_IN_PROGRESS
        state.holder_id = liputan.holder_id
    state.save()
    task_submitted.send(sender=SopTaskState, instance=state, user=user)
    return state


def task_actions(*, task, page, user):
    """What the Wagtail editor offers ``user``: exactly what the rules allow the holder now."""
    liputan = Liputan.objects.filter(page_id=page.pk).select_related("sop_version").first()
    if liputan is None or liputan.holder_id != user.pk or liputan.step != task.sop_step.number:
        return []
    defn = liputan.sop_version.definition()
    step = defn.step(liputan.step)
    role = rules.actor_at(defn, liputan.position)
    actions = []
    for action in rules.allowed_actions(defn, liputan.position, role):
        if action == rules.Action.SUBMIT:
            continue
        needs_form = action in (rules.Action.RETURN, rules.Action.ASSIGN, rules.Action.FORWARD)
        actions.append((action.value, action_label(defn, step, action), needs_form))
    return actions


class ReturnForm(forms.Form):
    return_to = forms.TypedChoiceField(label=gettext_lazy("Kembalikan ke"), coerce=int)
    comment = forms.CharField(
        label=gettext_lazy("Alasan pengembalian"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Tuliskan alasan pengembalian.")},
    )

    def __init__(self, *args, defn: rules.SopDefinition, step: rules.Step, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_to"].choices = return_choices(defn, step)


def return_choices(defn: rules.SopDefinition, step: rules.Step):
    choices = []
    for number in rules.return_targets(defn, rules.Position(step.number, len(step.actors) - 1)):
        target = defn.step(number)
        choices.append(
            (number, _("Langkah %(step)s — %(role)s") % {"step": number, "role": target.actors[0].label})
        )
    return choices


class AssignUploaderForm(forms.Form):
    uploader = forms.ModelChoiceField(
        label=gettext_lazy("Staf yang mengunggah"),
        queryset=None,
        error_messages={"required": gettext_lazy("Pilih staf aktif yang akan mengunggah.")},
    )
    comment = forms.CharField(label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, role: rules.Role = rules.Role.STAF, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uploader"].queryset = users_with_role(role)
        self.fields["uploader"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class CommentForm(TaskStateCommentForm):
    comment = forms.CharField(label=gettext_lazy("Catatan (tidak wajib)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def task_form_for_action(*, task, action):
    defn = task.sop_step.version.definition()
    step = defn.step(task.sop_step.number)
    if action == rules.Action.RETURN:
        return type("SopReturnForm", (ReturnForm,), {"__init__": _bind_init(ReturnForm, defn=defn, step=step)})
    if action == rules.Action.ASSIGN and step.next is not None:
        # Any task state can be named in Wagtail's action URL; only a step with a next one has
        # someone to assign (the action itself is refused afterwards if the step has no assign).
        role = defn.step(step.next).actors[0]
        return type("SopAssignForm", (AssignUploaderForm,), {"__init__": _bind_init(AssignUploaderForm, role=role)})
    return CommentForm


def _bind_init(form_class, **bound):
    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **bound, **kwargs)

    return __init__


def task_on_action(*, task, task_state, user, action_name, **kwargs):
    liputan = task_state.specific.liputan
    try:
        services.liputan_act(
            liputan=liputan,
            user=user,
            action=action_name,
            comment=kwargs.get("comment", ""),
            return_to=kwargs.get("return_to"),
            uploader=kwargs.get("uploader"),
            task_state_id=task_state.pk,
        )
    except (rules.InvalidTransition, ValidationError) as exc:
        raise PermissionDenied(_message(exc)) from exc
    # After acting, the holder usually may no longer edit the page; the item's timeline is where
    # they can see what happened.
    return reverse("desk:liputan", args=[liputan.pk])


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
