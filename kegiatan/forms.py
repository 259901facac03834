from wagtail.admin.forms import WagtailAdminPageForm

REQUIRED_IN_EDITOR = ("start", "end")


class KegiatanPageForm(WagtailAdminPageForm):
    """The editor asks for the start and end of an event. Wagtail lifts the requirement while a
    draft is saved and enforces it when the Staf submits; the model may be blank so the desk can
    create the empty draft the Staf then fills in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUIRED_IN_EDITOR:
            if name in self.fields:
                self.fields[name].required = True
