"""The public PPID pages, served as routes of ``PpidIndexPage``: the DIP, the request form and
its receipt. Thin: parse the form, call one service, redirect."""

from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from ppid import ratelimit, selectors
from ppid.forms import DipFilterForm, PermohonanForm
from ppid.hari_kerja import ANSWER_WORKING_DAYS
from ppid.models import KategoriInformasi
from ppid.services import permohonan_create


def dip(request, *, page):
    """The Daftar Informasi Publik, optionally one category (``?kategori=berkala``)."""
    form = DipFilterForm(request.GET)
    kategori, notice = None, None
    if form.is_valid():
        kategori = form.cleaned_data["kategori"] or None
    else:
        notice = _("Kategori tidak dikenal; semua informasi ditampilkan.")
    return page.render(
        request,
        context_overrides={
            "entries": selectors.dip_entries(parent=page, kategori=kategori),
            "kategori": kategori,
            "kategori_label": KategoriInformasi(kategori).label if kategori else None,
            "kategori_choices": KategoriInformasi.choices,
            "notice": notice,
            "permohonan_url": page.subpage_url(request, "permohonan"),
        },
    )


def _refused(request, page, *, message: str, status: int):
    response = page.render(
        request,
        template="ppid/permohonan_ditolak.html",
        context_overrides={"message": message, "dip_url": page.get_url(request)},
    )
    response.status_code = status
    return response


def permohonan(request, *, page):
    context = {
        "dip_url": page.get_url(request),
        "working_days": ANSWER_WORKING_DAYS,
    }
    if request.method == "POST":
        if not ratelimit.take(request):
            return _refused(
                request,
                page,
                message=_(
                    "Terlalu banyak permohonan dari alamat Anda dalam satu jam terakhir. "
                    "Silakan coba lagi nanti, atau hubungi PPID secara langsung."
                ),
                status=429,
            )
        form = PermohonanForm(request.POST)
        if form.honeypot_filled:
            # A field no person sees was filled in: an automated submission. Nothing is stored.
            return _refused(request, page, message=_("Permohonan tidak dapat diproses."), status=400)
        if form.is_valid():
            permohonan = permohonan_create(**form.request_data())
            return HttpResponseRedirect(page.subpage_url(request, "tanda_terima", permohonan.token))
        ratelimit.give_back(request)
    elif request.method in ("GET", "HEAD"):
        form = PermohonanForm()
    else:
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    context["form"] = form
    return page.render(request, template="ppid/permohonan_form.html", context_overrides=context)


def tanda_terima(request, *, page, token):
    """The receipt: the number, the deadline and what was asked for; no personal data."""
    permohonan = selectors.permohonan_for_receipt(token=token)
    if permohonan is None:
        raise Http404
    response = page.render(
        request,
        template="ppid/permohonan_tanda_terima.html",
        context_overrides={
            "permohonan": permohonan,
            "working_days": ANSWER_WORKING_DAYS,
            "dip_url": page.get_url(request),
        },
    )
    # Only the requester has the address; keep it out of shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response
