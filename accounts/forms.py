from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.acting import offices_user_may_appoint
from accounts.models import ACTING_OFFICES, ActingAppointment
from accounts.roles import GROUP_NAMES, is_site_admin, wita_today


def _person_label(user) -> str:
    return user.get_full_name() or user.get_username()


def _officials():
    names = [GROUP_NAMES[role] for role in ACTING_OFFICES]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ActingAppointmentForm(forms.ModelForm):
    """Who is away, who stands in, as what, for which days. An official appointing for their own
    office is the absent one (the field is fixed to them); the rules are checked in
    ``accounts.acting``, which gives the messages."""

    class Meta:
        model = ActingAppointment
        fields = ["role", "absent", "acting", "kind", "start_date", "end_date", "reason", "note"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "absent": {"required": _("Pilih pejabat yang berhalangan."), "invalid_choice": _("Pilihan tidak sah.")},
            "acting": {"required": _("Pilih pejabat pelaksana."), "invalid_choice": _("Pilihan tidak sah.")},
            "start_date": {"required": _("Isi tanggal mulai."), "invalid": _("Tanggal tidak sah.")},
            "end_date": {"required": _("Isi tanggal selesai."), "invalid": _("Tanggal tidak sah.")},
            "role": {"required": _("Pilih jabatan."), "invalid_choice": _("Pilihan tidak sah.")},
        }
        help_texts = {
            "end_date": _("Tanggal terakhir berhalangan (termasuk), WITA."),
            "note": _("Wajib bila alasannya “lainnya”; misalnya nomor surat tugas."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offices = offices_user_may_appoint(user)
        self.fields["role"].choices = [(r.value, r.label) for r in offices]
        officials = _officials()
        if is_site_admin(user):
            self.fields["absent"].queryset = officials
        else:
            # An official appoints only for their own office: they are the one away.
            self.fields["absent"].queryset = get_user_model().objects.filter(pk=user.pk)
            self.fields["absent"].initial = user.pk
            self.fields["absent"].empty_label = None
        self.fields["acting"].queryset = officials.exclude(pk=user.pk) if not is_site_admin(user) else officials
        for name in ("absent", "acting"):
            self.fields[name].label_from_instance = _person_label
        if not self.is_bound:
            self.fields["start_date"].initial = wita_today()
            self.fields["end_date"].initial = wita_today()


class OneTimeCodeForm(forms.Form):
    """The 6-digit code from the authenticator app. On a phone the numeric keypad opens, and the
    browser may offer a code it received (autocomplete=one-time-code)."""

    code = forms.CharField(
        label=_("Kode 6 angka"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9 ]*",
                "class": "lontar-account__code",
            }
        ),
    )


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode cadangan (10 huruf dan angka)"),
        max_length=24,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "lontar-account__code",
            }
        ),
    )
