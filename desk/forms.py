from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import users_with_role
from desk.models import AgendaItem, Disposisi
from sop.rules import Role

# Free text on the desk (instructions, notes, reasons) goes into the SOP record, every notice and
# e-mail about the item and the exports: long enough for any real note, bounded against abuse.
TEXT_MAX_LENGTH = 4000


def _person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class AgendaForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["topic", "kind", "perangkat_daerah", "place", "planned_date", "notes"]
        widgets = {
            "planned_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "topic": {"required": _("Tuliskan topik liputan.")},
            "planned_date": {"required": _("Isi tanggal rencana."), "invalid": _("Tanggal tidak sah.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bound_text(self.fields["notes"])


class DisposisiForm(forms.Form):
    recipients = forms.ModelMultipleChoiceField(
        label=_("Kepada staf"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih setidaknya satu staf.")},
    )
    instruction = forms.CharField(
        label=_("Instruksi"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan instruksi disposisi.")},
    )
    sifat = forms.ChoiceField(label=_("Sifat"), choices=Disposisi.Sifat.choices, initial=Disposisi.Sifat.BIASA)
    batas_waktu = forms.DateTimeField(
        label=_("Batas waktu"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("Isi batas waktu."), "invalid": _("Batas waktu tidak sah.")},
    )
    catatan = forms.CharField(
        label=_("Catatan"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = users_with_role(Role.STAF)
        self.fields["recipients"].label_from_instance = _person_label
        if not self.is_bound:
            self.initial.setdefault("batas_waktu", (timezone.localtime() + timezone.timedelta(hours=3)).replace(second=0, microsecond=0))


class ItemActionForm(forms.Form):
    """The review screen's one form; which fields matter depends on the action."""

    action = forms.CharField(widget=forms.HiddenInput)
    task_state_id = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Catatan"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    return_comment = forms.CharField(label=_("Alasan pengembalian"), required=False, max_length=TEXT_MAX_LENGTH)
    return_to = forms.TypedChoiceField(label=_("Kembalikan ke"), coerce=int, required=False, empty_value=None)
    uploader = forms.ModelChoiceField(label=_("Staf yang mengunggah"), queryset=None, required=False)

    def __init__(self, *args, return_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_to"].choices = [("", "—")] + list(return_choices)
        if len(return_choices) == 1:
            self.fields["return_to"].initial = return_choices[0][0]
        self.fields["uploader"].queryset = users_with_role(Role.STAF)
        self.fields["uploader"].label_from_instance = _person_label

    def clean(self):
        cleaned = super().clean()
        # The return has its own reason box on the screen, so a note typed for "forward" is not
        # sent as the reason for a return by mistake.
        if cleaned.get("action") == "return":
            cleaned["comment"] = cleaned.get("return_comment", "")
            if cleaned.get("return_to") is None:
                self.add_error("return_to", _("Pilih langkah tujuan pengembalian."))
        return cleaned


class EmergencyPublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan terbit darurat"),
        min_length=10,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Tuliskan alasan terbit darurat (minimal 10 karakter)."),
            "min_length": _("Tuliskan alasan terbit darurat (minimal 10 karakter)."),
        },
    )


def _bound_text(field) -> None:
    """A model TextField has no length limit; the desk's form gives it the desk's one."""
    field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
    field.widget.attrs["maxlength"] = str(TEXT_MAX_LENGTH)
