"""Running totals of the SOP record, so the compliance report reads a few thousand rows instead of
every ``StepEvent`` (bench/RESULTS.md: over a million events the direct queries took seconds).

Both tables are derived data: ``reports.rollup`` adds to them as each event is recorded, and
``manage.py reports_rebuild`` recomputes them from the record (after a bulk import, or to check).
Step events never change once written, so adding is all the upkeep there is."""

from django.db import models


class StepFigure(models.Model):
    """How many completed step runs of one breakdown key took exactly ``elapsed_minutes`` in one
    month (WITA): a histogram per month, from which counts, sums, shares and exact percentiles
    follow. ``key`` names the breakdown: ``step:3``, ``kind:berita``,
    ``person:<actor id>:<role>:<a.n. id or ->:<plt|plh or ->``."""

    month = models.DateField()
    key = models.CharField(max_length=80)
    elapsed_minutes = models.PositiveIntegerField()
    runs = models.PositiveIntegerField(default=0)
    within = models.PositiveIntegerField(default=0)  # runs no longer than their standard
    returns = models.PositiveIntegerField(default=0)  # runs that ended in a return

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "key", "elapsed_minutes"], name="reports_stepfigure_unique")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.key} {self.elapsed_minutes} mnt × {self.runs}"


class PublishedLead(models.Model):
    """One item published through step 10, with its lead time: the sum of the durations of all
    its completed step runs, planning (on its agenda) included."""

    liputan = models.OneToOneField("desk.Liputan", on_delete=models.CASCADE, primary_key=True, related_name="+")
    kind = models.CharField(max_length=20)
    published_at = models.DateTimeField(db_index=True)
    minutes = models.PositiveIntegerField()

    def __str__(self):
        return f"liputan {self.liputan_id}: {self.minutes} mnt"
