"""Admin wiring for PPID: the officials' list of information requests.

Only the group "PPID" (``ppid.services.ppid_group_sync``) and superusers see it. Requests come
from the public form only and are kept as records, so nobody adds or deletes them here; officials
read a request (inspect) and change its status and notes (edit); the permission policy that
refuses add and delete to everyone is registered in ``PpidConfig.ready`` (ppid/permissions.py).
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from ppid.models import PermohonanInformasi


class DeadlineColumn(Column):
    """The answer deadline, marked when an open request has passed it."""

    cell_template_name = "ppid/admin/deadline_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["terlambat"] = instance.terlambat
        return context


class PermohonanFilterSet(WagtailFilterSet):
    terlambat = django_filters.BooleanFilter(
        label=_("Lewat batas waktu"), method="filter_terlambat", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = PermohonanInformasi
        fields = ["status"]

    def filter_terlambat(self, queryset, name, value):
        overdue = {"status__in": PermohonanInformasi.OPEN_STATUSES, "deadline__lt": timezone.localdate()}
        if value is None:
            return queryset
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)


class PermohonanViewSet(ModelViewSet):
    model = PermohonanInformasi
    url_prefix = "ppid/permohonan"
    url_namespace = "ppid_permohonan"
    icon = "mail"
    menu_label = _("Permohonan informasi")
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "nomor",
        "nama",
        "created_at",
        DeadlineColumn("deadline", label=_("Batas waktu jawaban"), sort_key="deadline"),
        "status",
    ]
    filterset_class = PermohonanFilterSet
    search_fields = ["nomor", "nama"]
    search_backend_name = None  # plain database lookups; the model is not in the search index
    ordering = ["-created_at", "-id"]
    # Personal data and the request itself are read on the inspect screen; only the handling changes.
    form_fields = ["status", "catatan"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "nomor",
        "created_at",
        "deadline",
        "status",
        "nama",
        "nik",
        "alamat",
        "pekerjaan",
        "telepon",
        "email",
        "rincian",
        "tujuan",
        "cara_memperoleh",
        "cara_mendapatkan_salinan",
        "catatan",
    ]


@hooks.register("register_admin_viewset")
def register_permohonan_viewset():
    return PermohonanViewSet("ppid_permohonan")
