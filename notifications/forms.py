from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Kirim lewat e-mail"), required=False)
    webhook = forms.BooleanField(
        label=_("Kirim ke webhook kantor"),
        required=False,
        help_text=_(
            "Sistem lain milik kantor (misalnya gateway pesan) menerima pemberitahuan Anda, ditandatangani HMAC."
        ),
    )
