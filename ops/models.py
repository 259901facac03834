from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A database task worker (``manage.py db_worker``) that is alive.

    Written when the worker starts, touched every few seconds by a thread of its own and removed
    when it stops. django-tasks-db records which worker claimed a task (``worker_ids``) but not
    whether that worker still lives; a task left RUNNING by a worker whose row has gone stale was
    abandoned (SIGKILL, out of memory, a lost machine) and is put back in the queue
    (``ops.workers.tasks_requeue_abandoned``)."""

    worker_id = models.CharField(max_length=64, unique=True)  # db_worker's --worker-id (at most 64)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pekerja tugas")
        verbose_name_plural = _("pekerja tugas")
        indexes = [models.Index(fields=["seen_at"])]

    def __str__(self):
        return f"{self.worker_id} ({self.host}:{self.pid})"
