from django.dispatch import Signal

# Sent inside the loader's transaction after a new SOP version and its steps are stored, so the
# desk can build the Wagtail workflow for it; an exception from a receiver rolls the load back.
sop_version_loaded = Signal()  # kwargs: version
