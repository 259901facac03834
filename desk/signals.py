from django.dispatch import Signal

# An item arrived at a step and ``holder`` must act; ``returned`` when it was sent back with
# ``comment`` as the reason. Sent inside the transaction; receivers that talk to the outside world
# should defer with transaction.on_commit.
step_entered = Signal()  # kwargs: liputan, holder, actor, returned, comment

# An item went live (at the last step, or by emergency publish).
item_published = Signal()  # kwargs: liputan, actor
