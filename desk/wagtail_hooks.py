"""Admin wiring for the desk: its screens and menu, its audit-log actions, and the guards that keep
Wagtail's own page screens from becoming a way around the SOP."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.pages.workflow import CollectWorkflowActionDataView, WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from accounts.roles import user_roles
from desk import selectors, urls
from desk.content_types import installed_content_types
from desk.models import Liputan, SopItemPageMixin
from sop import rules

# Page-editor buttons that would move an SOP item outside the SOP's steps.
FORBIDDEN_EDITOR_ACTIONS = ("action-publish", "action-cancel-workflow", "action-restart-workflow", "action-unpublish")


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [path("meja/", include(urls, namespace="desk"))]


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(user_roles(request.user)) or request.user.is_superuser


@hooks.register("register_admin_menu_item")
def inbox_menu_item():
    return MenuItem(gettext_lazy("Tugas saya"), reverse("desk:inbox"), icon_name="tasks", order=1)


@hooks.register("register_admin_menu_item")
def agenda_menu_item():
    return DeskMenuItem(gettext_lazy("Agenda & disposisi"), reverse("desk:agenda_list"), icon_name="date", order=2)


@hooks.register("register_admin_menu_item")
def liputan_menu_item():
    return DeskMenuItem(gettext_lazy("Semua liputan"), reverse("desk:liputan_list"), icon_name="list-ul", order=3)


class InboxPanel(Component):
    name = "lontar_inbox"
    order = 10
    template_name = "desk/includes/inbox_panel.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {"entries": selectors.inbox_for(user=request.user, limit=10), "request": request}


class DueOverviewPanel(Component):
    """Counts per due state and the longest-waiting steps, scoped to the person's role."""

    name = "lontar_due_overview"
    order = 20
    template_name = "desk/includes/overview_panel.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        user = self.request.user
        if not (user_roles(user) or selectors.overview_scope(user) == selectors.OverviewScope.ALL):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        return {"overview": selectors.due_overview(user=self.request.user, oldest=3), "request": self.request}


@hooks.register("construct_homepage_panels")
def add_inbox_panel(request, panels):
    panels.insert(0, InboxPanel())
    panels.insert(1, DueOverviewPanel(request))


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("lontar.agenda.create", _("Rencana liputan dibuat"), _("Rencana liputan dibuat"))
    actions.register_action("lontar.agenda.plan", _("Rencana ditetapkan (langkah 1)"), _("Rencana ditetapkan"))
    actions.register_action("lontar.disposisi.send", _("Disposisi dikirim (langkah 2)"), _("Disposisi dikirim"))
    actions.register_action("lontar.sop.forward", _("Diteruskan ke langkah berikutnya"), _("Diteruskan"))
    actions.register_action("lontar.sop.assign", _("Staf pengunggah ditugaskan"), _("Pengunggah ditugaskan"))
    actions.register_action("lontar.sop.return", _("Dikembalikan ke langkah sebelumnya"), _("Dikembalikan"))
    actions.register_action("lontar.sop.publish", _("Diunggah pada langkah terakhir SOP"), _("Diunggah"))
    actions.register_action("lontar.sop.emergency_publish", _("TERBIT DARURAT oleh administrator"), _("Terbit darurat"))
    # Data of lontar.sop.* entries made by a Plt/Plh carry on_behalf_of(_name), acting_title.
    actions.register_action("lontar.sop.reassign", _("Langkah dialihkan (Plt/Plh)"), _("Dialihkan"))


def _sop_item(page):
    specific = page.specific
    if not isinstance(specific, SopItemPageMixin):
        return None, False
    return Liputan.objects.select_related("sop_version").filter(page_id=page.pk).first(), True


def _may_edit(liputan: Liputan | None, user) -> bool:
    if liputan is None or liputan.status != Liputan.Status.ACTIVE or liputan.holder_id != user.pk:
        return False
    step = liputan.sop_version.definition().step(liputan.step)
    writing = step.kind == rules.StepKind.GATHER and liputan.phase == 0
    return writing or step.may_edit


@hooks.register("before_edit_page")
def guard_sop_page_edit(request, page):
    """Only the holder of a step that may change the text edits an SOP item; everyone else reads it
    on the desk. Editor actions that would skip steps are refused on the server, not just hidden."""
    liputan, is_sop_page = _sop_item(page)
    if not is_sop_page:
        return None
    if request.method == "POST":
        forbidden = [name for name in FORBIDDEN_EDITOR_ACTIONS if name in request.POST]
        if forbidden or not _may_edit(liputan, request.user):
            return TemplateResponse(
                request,
                "desk/refused.html",
                {
                    "message": _(
                        "Naskah ini hanya dapat diubah oleh pemegang langkahnya, dan hanya terbit melalui langkah SOP."
                    ),
                    "back": reverse("desk:liputan", args=[liputan.pk]) if liputan else reverse("desk:inbox"),
                },
                status=403,
            )
        return None
    if not _may_edit(liputan, request.user):
        if liputan is None:
            messages.error(request, _("Halaman ini tidak terhubung ke disposisi mana pun."))
            return redirect("desk:inbox")
        messages.info(request, _("Anda melihat naskah ini tanpa mengubahnya."))
        return redirect("desk:review", liputan.pk)
    return None


def _delete_refusal(user, page) -> tuple[str, Liputan | None] | None:
    """Why ``user`` may not delete ``page`` (with the pages below it), if they may not."""
    liputan, is_sop_page = _sop_item(page)
    if selectors.record_cites_page_tree(page=page):
        return (
            _(
                "Halaman ini (atau halaman di bawahnya) memuat naskah yang tercatat dalam catatan SOP; "
                "revisi yang disetujui disimpan sebagai bukti, sehingga halaman tidak dapat dihapus."
            ),
            liputan,
        )
    if is_sop_page and liputan is not None and not user.is_superuser:
        return _("Naskah dalam alur SOP tidak dapat dihapus."), liputan
    return None


@hooks.register("before_delete_page")
def guard_sop_page_delete(request, page):
    refusal = _delete_refusal(request.user, page)
    if refusal is None:
        return None
    message, liputan = refusal
    messages.error(request, message)
    if liputan is not None:
        return redirect("desk:liputan", liputan.pk)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_bulk_action")
def guard_sop_page_bulk_delete(request, action_type, objects, action_class_instance):
    """Wagtail's bulk delete does not call ``before_delete_page``; the same rules apply."""
    if action_type != "delete":
        return None
    for obj in objects:
        refusal = _delete_refusal(request.user, obj) if isinstance(obj, Page) else None
        if refusal is not None:
            return TemplateResponse(
                request, "desk/refused.html", {"message": refusal[0], "back": reverse("desk:inbox")}, status=403
            )
    return None


@hooks.register("before_publish_page")
def guard_sop_page_publish(request, page):
    liputan, is_sop_page = _sop_item(page)
    if is_sop_page:
        return TemplateResponse(
            request,
            "desk/refused.html",
            {"message": _("Naskah SOP hanya terbit melalui langkah terakhir SOP."), "back": reverse("desk:inbox")},
            status=403,
        )
    return None


@hooks.register("construct_page_action_menu")
def hide_sop_bypass_actions(menu_items, request, context):
    page = context.get("page")
    if page is None or not isinstance(page.specific, SopItemPageMixin):
        return
    menu_items[:] = [item for item in menu_items if item.name not in FORBIDDEN_EDITOR_ACTIONS]


@hooks.register("construct_admin_api")
def guard_admin_api_page_actions(router):
    """Wagtail's admin API (``/admin/api/main/pages/<id>/action/<name>/``) acts on pages without
    the editor's hooks: an owner could revert an SOP item to another revision while an official
    reviews it, or copy, move, publish or delete it. On SOP items every action is refused there;
    the desk and the editor (with the guards above) are the ways in."""
    from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
    from wagtail.admin.api.views import PagesAdminAPIViewSet

    class SopGuardedPagesAdminAPIViewSet(PagesAdminAPIViewSet):
        def action_view(self, request, pk, action_name):
            if isinstance(self.get_object().specific, SopItemPageMixin):
                raise ApiPermissionDenied(
                    _("Naskah SOP hanya berubah melalui meja redaksi dan langkah SOP, bukan melalui API.")
                )
            return super().action_view(request, pk, action_name)

    router.register_endpoint("pages", SopGuardedPagesAdminAPIViewSet)


class _TaskStateOfThisPageMixin:
    """Wagtail's workflow action URL names a page and a task state but never checks that the one
    belongs to the other: the page decides which actions are offered, the task state which item
    is acted on. An SOP item's URL with another item's task state is answered 404."""

    def get_task_state(self):
        task_state = super().get_task_state()
        if task_state.workflow_state.object_id != str(self.object.pk):
            raise Http404
        return task_state


class SopWorkflowActionView(_TaskStateOfThisPageMixin, WorkflowActionView):
    pass


class SopCollectWorkflowActionDataView(_TaskStateOfThisPageMixin, CollectWorkflowActionDataView):
    pass


class SopPageViewSet(PageViewSet):
    """Wagtail's page views for the SOP's page types, with the workflow action views above."""

    workflow_action_view_class = SopWorkflowActionView
    collect_workflow_action_data_view_class = SopCollectWorkflowActionDataView


@hooks.register("register_admin_viewset")
def register_sop_page_viewsets():
    page_classes = {content_type.page_class() for content_type in installed_content_types()}
    return [
        SopPageViewSet(name=f"lontar_sop_{model._meta.app_label}_{model._meta.model_name}", model=model)
        for model in sorted(page_classes, key=lambda model: model._meta.label)
    ]


@hooks.register("before_serve_document")
def serve_published_documents_only(document, request):
    """A document reaches the public once a published page uses it (``selectors.document_published``):
    the id and file name of a draft's attachment are easy to guess (/dokumen/12/surat-edaran.pdf).
    People signed in to the admin keep reading every document, as the editor shows them."""
    user = request.user
    if user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return None
    if selectors.document_published(document):
        return None
    raise Http404
