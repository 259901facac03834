import re

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ppid.models import KategoriInformasi, PermohonanInformasi

# What people type between groups of digits ("5102 0112 ...", "0361-811047", "(0361) 811047").
_SEPARATORS = re.compile(r"[\s.\-()/]")
_PHONE = re.compile(r"^(\+62|62|0)\d{7,13}$")

HONEYPOT_FIELD = "situs_web"


class DipFilterForm(forms.Form):
    kategori = forms.ChoiceField(
        label=_("Kategori"),
        required=False,
        choices=[("", _("Semua kategori"))] + KategoriInformasi.choices,
    )


def _required_message(label) -> str:
    return gettext("%(label)s wajib diisi.") % {"label": label}


def _required(label) -> dict:
    # Formatted when the error is shown, not when this module is imported, so the message follows
    # the visitor's language.
    return {"required": lazy(_required_message, str)(label)}


class PermohonanForm(forms.ModelForm):
    """The request form of Perki 1/2021 (Formulir Permohonan Informasi), with a honeypot."""

    # Bots fill every field; people never see this one (hidden by CSS, out of the tab order).
    situs_web = forms.CharField(label=_("Jangan isi kolom ini"), required=False)

    class Meta:
        model = PermohonanInformasi
        fields = [
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
        ]
        labels = {
            "nama": _("Nama lengkap"),
            "nik": _("NIK (Nomor Induk Kependudukan)"),
            "alamat": _("Alamat"),
            "pekerjaan": _("Pekerjaan"),
            "telepon": _("Nomor telepon/HP"),
            "email": _("Alamat email"),
            "rincian": _("Rincian informasi yang dibutuhkan"),
            "tujuan": _("Tujuan penggunaan informasi"),
            "cara_memperoleh": _("Cara memperoleh informasi"),
            "cara_mendapatkan_salinan": _("Cara mendapatkan salinan informasi"),
        }
        help_texts = {
            "nik": _("16 angka, sesuai KTP."),
            "telepon": _("Contoh: 081234567890."),
            "email": _("Wajib bila salinan dikirim melalui email."),
            "cara_mendapatkan_salinan": _("Diisi bila Anda meminta salinan informasi."),
        }
        error_messages = {
            "nama": _required(_("Nama")),
            "nik": _required(_("NIK")),
            "alamat": _required(_("Alamat")),
            "pekerjaan": _required(_("Pekerjaan")),
            "telepon": _required(_("Nomor telepon")),
            "email": {"invalid": _("Alamat email tidak valid.")},
            "rincian": _required(_("Rincian informasi yang dibutuhkan")),
            "tujuan": _required(_("Tujuan penggunaan informasi")),
            "cara_memperoleh": {
                "required": _("Pilih cara memperoleh informasi."),
                "invalid_choice": _("Pilih cara memperoleh informasi."),
            },
            "cara_mendapatkan_salinan": {"invalid_choice": _("Pilih cara mendapatkan salinan.")},
        }
        widgets = {
            "alamat": forms.Textarea(attrs={"rows": 3}),
            "rincian": forms.Textarea(attrs={"rows": 5}),
            "tujuan": forms.Textarea(attrs={"rows": 3}),
            "cara_memperoleh": forms.RadioSelect,
            "cara_mendapatkan_salinan": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # RadioSelect offers no empty choice; the model's blank choice would show as "---------".
        self.fields["cara_memperoleh"].choices = PermohonanInformasi.CaraMemperoleh.choices
        self.fields["cara_mendapatkan_salinan"].choices = PermohonanInformasi.CaraSalinan.choices
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": 24})
        self.fields["telepon"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel", "maxlength": 24})
        for name in ("nik", "telepon"):
            # People type separators; the length is checked once they are removed (clean_*).
            self.fields[name].max_length = None
            self.fields[name].validators = []
        self.fields["nama"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def full_clean(self):
        super().full_clean()
        # Point each invalid input at its message (ids as in ppid/includes/field.html); radio groups
        # get it on their fieldset in the template.
        for name in self.errors:
            if name in self.fields and not isinstance(self.fields[name].widget, forms.RadioSelect):
                ids = [f"id_{name}_error"] + ([f"id_{name}_helptext"] if self.fields[name].help_text else [])
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean_nik(self):
        nik = _SEPARATORS.sub("", self.cleaned_data["nik"])
        if not re.fullmatch(r"\d{16}", nik):
            raise forms.ValidationError(_("NIK harus terdiri atas 16 angka."), code="nik")
        return nik

    def clean_telepon(self):
        telepon = _SEPARATORS.sub("", self.cleaned_data["telepon"])
        if not _PHONE.fullmatch(telepon):
            raise forms.ValidationError(
                _("Nomor telepon tidak valid. Tulis nomor Indonesia, misalnya 081234567890."), code="telepon"
            )
        return telepon

    def clean(self):
        cleaned = super().clean()
        salinan = cleaned.get("cara_memperoleh") == PermohonanInformasi.CaraMemperoleh.SALINAN
        cara_salinan = cleaned.get("cara_mendapatkan_salinan")
        if salinan and not cara_salinan and "cara_mendapatkan_salinan" not in self.errors:
            self.add_error("cara_mendapatkan_salinan", _("Pilih cara mendapatkan salinan informasi."))
        if not salinan:
            cleaned["cara_mendapatkan_salinan"] = ""
        if (
            salinan
            and cara_salinan == PermohonanInformasi.CaraSalinan.EMAIL
            and not cleaned.get("email")
            and "email" not in self.errors
        ):
            self.add_error("email", _("Email wajib diisi bila salinan dikirim melalui email."))
        return cleaned

    def request_data(self) -> dict:
        """The cleaned request without the honeypot, as ``permohonan_create`` takes it."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
