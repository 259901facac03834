from django.dispatch import Signal

# A Plt/Plh appointment was made or revoked; the desk moves the steps waiting at the people
# concerned. Sent inside the transaction. kwargs: appointment, actor
acting_changed = Signal()
