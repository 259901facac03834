"""The desk's screens, inside the Wagtail admin. Each view parses a form, calls one service and
redirects with a message; refused actions answer 403 with the reason and change nothing."""

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Revision

from accounts.roles import has_role, may_act_as, user_roles
from desk import selectors, services
from desk.forms import AgendaForm, DisposisiForm, EmergencyPublishForm, ItemActionForm
from desk.models import AgendaItem, Liputan
from desk.workflow import action_label, return_choices
from sop import rules


def _refused(request, message: str, *, back: str):
    return TemplateResponse(request, "desk/refused.html", {"message": message, "back": back}, status=403)


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _require_desk_user(request):
    if not (user_roles(request.user) or request.user.is_superuser):
        raise PermissionDenied(_("Halaman ini hanya untuk pelaksana SOP."))


def refuse_forbidden(view):
    """Wagtail's admin turns a ``PermissionDenied`` into a redirect to its dashboard; on the desk a
    refusal is a 403 that says why (``desk.urls`` wraps every desk view with this)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return _refused(request, str(exc) or _("Tidak diizinkan."), back=reverse("desk:inbox"))

    return wrapped


# --- inbox -------------------------------------------------------------------------------------


# Cards per inbox page: only these are built (with their item, page and holder); every open step
# is still counted per state and sorted, on a few columns (desk.selectors.inbox_view).
INBOX_PAGE_SIZE = 50


def inbox(request):
    view = selectors.inbox_view(
        user=request.user,
        state=request.GET.get("keadaan"),
        order=request.GET.get("urut"),
        page=request.GET.get("halaman"),
        per_page=INBOX_PAGE_SIZE,
    )
    by_state = {state: param for param, state in selectors.STATE_PARAMS.items()}
    keep = {"keadaan": by_state[view.state]} if view.state else {}
    return TemplateResponse(
        request,
        "desk/inbox.html",
        {
            "view": view,
            "entries": view.entries,
            "page_obj": view.page,
            # The page links keep the chosen state and order.
            "page_query": urlencode({**keep, "urut": view.order.value}),
            "state_filters": _state_filters(view),
            "orders": [
                {"value": order.value, "label": label, "current": order == view.order}
                for order, label in selectors.INBOX_ORDER_LABELS.items()
            ],
        },
    )


def _state_filters(view) -> list[dict]:
    """One link per state with its count (and "all"), keeping the chosen order."""
    by_state = {state: param for param, state in selectors.STATE_PARAMS.items()}
    filters = [{"param": "", "label": _("Semua"), "count": view.total, "current": view.state is None, "state": ""}]
    for state, count in view.counts.items():
        filters.append(
            {
                "param": by_state[state],
                "label": selectors.DUE_STATE_LABELS[state],
                "count": count,
                "current": view.state == state,
                "state": state.value,
            }
        )
    return filters


def overview(request):
    """What is due, for the person's role: counts per state and the longest-waiting steps."""
    if selectors.overview_scope(request.user) != selectors.OverviewScope.ALL:
        _require_desk_user(request)
    return TemplateResponse(request, "desk/overview.html", {"overview": selectors.due_overview(user=request.user)})


# --- step 1 and 2: agenda and disposisi ---------------------------------------------------------


def agenda_list(request):
    _require_desk_user(request)
    agendas = selectors.agenda_list(user=request.user)[:200]
    return TemplateResponse(
        request,
        "desk/agenda_list.html",
        {"agendas": agendas, "can_plan": has_role(request.user, rules.Role.KASI)},
    )


def agenda_create(request):
    if not has_role(request.user, rules.Role.KASI):
        return _refused(
            request, _("Menyusun rencana liputan hanya dapat dilakukan oleh Kasi."), back=reverse("desk:inbox")
        )
    form = AgendaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agenda = services.agenda_create(user=request.user, plan="plan" in request.POST, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except rules.InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            if agenda.status == AgendaItem.Status.PLANNED:
                messages.success(request, _("Rencana ditetapkan. Lanjutkan dengan disposisi."))
                return redirect("desk:disposisi_create", agenda.pk)
            messages.success(request, _("Rencana disimpan sebagai draf."))
            return redirect("desk:agenda_edit", agenda.pk)
    return TemplateResponse(request, "desk/agenda_form.html", {"form": form, "agenda": None})


def agenda_edit(request, pk):
    agenda = get_object_or_404(AgendaItem.objects.select_related("created_by"), pk=pk)
    if agenda.created_by_id != request.user.pk or agenda.status == AgendaItem.Status.DISPOSED:
        if request.method == "POST":
            # A write that is not allowed is refused with its reason, like every other desk action.
            return _refused(
                request,
                _("Hanya Kasi penyusun rencana ini yang dapat mengubahnya.")
                if agenda.created_by_id != request.user.pk
                else _("Rencana ini sudah didisposisikan dan tidak dapat diubah lagi."),
                back=reverse("desk:agenda_list"),
            )
        return redirect("desk:agenda_list")
    form = AgendaForm(request.POST or None, instance=agenda)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        agenda.refresh_from_db()
        try:
            with transaction.atomic():
                services.agenda_update(agenda=agenda, user=request.user, **fields)
                if "plan" in request.POST and agenda.status == AgendaItem.Status.DRAFT:
                    services.agenda_plan(agenda=agenda, user=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except rules.InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            if "plan" in request.POST:
                messages.success(request, _("Rencana ditetapkan. Lanjutkan dengan disposisi."))
                return redirect("desk:disposisi_create", agenda.pk)
            messages.success(request, _("Rencana disimpan."))
            return redirect("desk:agenda_edit", agenda.pk)
    return TemplateResponse(request, "desk/agenda_form.html", {"form": form, "agenda": agenda})


def disposisi_create(request, pk):
    agenda = get_object_or_404(AgendaItem, pk=pk)
    back = reverse("desk:agenda_list")
    if agenda.created_by_id != request.user.pk:
        return _refused(request, _("Hanya Kasi penyusun rencana ini yang dapat mendisposisikannya."), back=back)
    if agenda.status != AgendaItem.Status.PLANNED:
        return _refused(
            request,
            _("Tetapkan rencana (langkah 1) sebelum mendisposisikan.")
            if agenda.status == AgendaItem.Status.DRAFT
            else _("Agenda ini sudah didisposisikan."),
            back=back,
        )
    form = DisposisiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disposisi_send(agenda=agenda, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except rules.InvalidTransition as exc:
            return _refused(request, str(exc), back=back)
        else:
            messages.success(request, _("Disposisi dikirim ke staf."))
            return redirect("desk:agenda_list")
    return TemplateResponse(request, "desk/disposisi_form.html", {"form": form, "agenda": agenda})


# --- steps 3–10: the item ----------------------------------------------------------------------


def _liputan_or_404(request, pk) -> Liputan:
    _require_desk_user(request)
    try:
        return selectors.liputan_detail(pk=pk)
    except Liputan.DoesNotExist:
        raise Http404 from None


def liputan_list(request):
    _require_desk_user(request)
    items = selectors.liputan_list(status=request.GET.get("status") or None)[:200]
    return TemplateResponse(request, "desk/liputan_list.html", {"items": items})


def liputan_detail(request, pk):
    """The item's timeline and, for its holder, what they can do now."""
    liputan = _liputan_or_404(request, pk)
    context = _item_context(request, liputan)
    context["timeline"] = selectors.liputan_timeline(liputan=liputan)
    return TemplateResponse(request, "desk/liputan_detail.html", context)


def _item_context(request, liputan: Liputan, form=None) -> dict:
    defn = liputan.sop_version.definition()
    step = defn.step(liputan.step)
    page = liputan.page.specific if liputan.page_id else None
    is_holder = liputan.status == Liputan.Status.ACTIVE and liputan.holder_id == request.user.pk
    actions, task_state = [], None
    if is_holder and page is not None and page.current_workflow_state:
        task_state = page.current_workflow_state.current_task_state
        role = rules.actor_at(defn, liputan.position)
        actions = [
            (a.value, action_label(defn, step, a))
            for a in rules.allowed_actions(defn, liputan.position, role)
            if a != rules.Action.SUBMIT and may_act_as(request.user, role)
        ]
    writing = is_holder and step.kind == rules.StepKind.GATHER and liputan.phase == 0
    choices = return_choices(defn, step)
    if form is None and task_state is not None:
        form = ItemActionForm(initial={"task_state_id": task_state.pk}, return_choices=choices)
    return {
        "liputan": liputan,
        "page": page,
        "step": step,
        "is_holder": is_holder,
        "writing": writing,
        "actions": actions,
        "form": form,
        "task_state": task_state,
        "can_edit_page": is_holder and (writing or step.may_edit),
        "can_emergency_publish": liputan.status == Liputan.Status.ACTIVE
        and page is not None
        and request.user.has_perm("desk.emergency_publish"),
    }


def review(request, pk):
    """The holder's screen for steps 3–10: read the text, see what changed, act. Phone-first."""
    return _render_review(request, _liputan_or_404(request, pk))


def _render_review(request, liputan: Liputan, form=None, status=200):
    context = _item_context(request, liputan, form=form)
    page = context["page"]
    if page is not None:
        received = selectors.revision_at_step_start(liputan=liputan)
        latest = page.get_latest_revision()
        context["latest_revision"] = latest
        context["received_revision"] = received
        if received and latest and received.pk != latest.pk:
            context["diff"] = selectors.revision_diff(
                page=page, revision_a=received, revision_b=latest, request=request
            )
        context["content"] = content = latest.as_object() if latest else page
        context["review"] = selectors.review_sheet(page=content)
    return TemplateResponse(request, "desk/review.html", context, status=status)


@require_POST
def liputan_act(request, pk):
    liputan = _liputan_or_404(request, pk)
    back = reverse("desk:review", args=[liputan.pk])
    defn = liputan.sop_version.definition()
    form = ItemActionForm(request.POST, return_choices=return_choices(defn, defn.step(liputan.step)))
    if not form.is_valid():
        forged = (
            "action" in form.errors
            or "task_state_id" in form.errors
            or form.has_error("return_to", code="invalid_choice")
            or form.has_error("uploader", code="invalid_choice")
        )
        if forged:
            return _refused(request, _("Permintaan tidak lengkap atau tidak sah."), back=back)
        return _render_review(request, liputan, form=form, status=400)
    data = form.cleaned_data
    try:
        services.liputan_act(
            liputan=liputan,
            user=request.user,
            action=data["action"],
            comment=data["comment"],
            return_to=data["return_to"],
            uploader=data["uploader"],
            task_state_id=data["task_state_id"],
        )
    except ValidationError as exc:
        _apply_errors(form, exc)
        return _render_review(request, liputan, form=form, status=400)
    except rules.InvalidTransition as exc:
        return _refused(request, str(exc), back=back)
    messages.success(request, _("Tersimpan. Langkah berikutnya sudah diberitahukan."))
    return redirect("desk:liputan", liputan.pk)


@require_POST
def liputan_write(request, pk):
    """The Staf starts (or resumes) writing: open the page editor for the item's draft."""
    liputan = _liputan_or_404(request, pk)
    try:
        page = services.liputan_page_create(liputan=liputan, user=request.user)
    except rules.InvalidTransition as exc:
        return _refused(request, str(exc), back=reverse("desk:liputan", args=[liputan.pk]))
    return redirect("wagtailadmin_pages:edit", page.pk)


@require_POST
def liputan_submit(request, pk):
    liputan = _liputan_or_404(request, pk)
    try:
        services.liputan_submit(liputan=liputan, user=request.user)
    except (rules.InvalidTransition, PermissionDenied) as exc:
        return _refused(request, str(exc) or _("Tidak diizinkan."), back=reverse("desk:liputan", args=[liputan.pk]))
    messages.success(request, _("Hasil liputan dilaporkan ke Kasi."))
    return redirect("desk:liputan", liputan.pk)


def emergency_publish(request, pk):
    liputan = _liputan_or_404(request, pk)
    back = reverse("desk:liputan", args=[liputan.pk])
    if not request.user.has_perm("desk.emergency_publish"):
        return _refused(request, _("Hanya administrator situs yang dapat menerbitkan darurat."), back=back)
    form = EmergencyPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.liputan_emergency_publish(liputan=liputan, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        except rules.InvalidTransition as exc:
            return _refused(request, str(exc), back=back)
        else:
            messages.warning(request, _("Naskah diterbitkan darurat. Tindakan ini dicatat dan ditandai."))
            return redirect(back)
    return TemplateResponse(request, "desk/emergency_publish.html", {"form": form, "liputan": liputan})


def revision_compare(request, pk, revision_a, revision_b):
    """What changed between two revisions of an item, readable by everyone on the desk."""
    liputan = _liputan_or_404(request, pk)
    if not liputan.page_id:
        raise Http404
    page = liputan.page.specific
    revisions = Revision.objects.filter(object_id=str(page.pk), base_content_type_id=page.get_base_content_type().pk)
    a = get_object_or_404(revisions, pk=revision_a)
    b = get_object_or_404(revisions, pk=revision_b)
    diff = selectors.revision_diff(page=page, revision_a=a, revision_b=b, request=request)
    return TemplateResponse(
        request, "desk/revision_compare.html", {"liputan": liputan, "page": page, "a": a, "b": b, "diff": diff}
    )
