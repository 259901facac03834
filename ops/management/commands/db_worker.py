"""django-tasks-db's ``db_worker`` with a heartbeat, so that a task whose worker died runs again.

The same command, options and behaviour (``ops`` comes before ``django_tasks_db`` in
INSTALLED_APPS, so ``manage.py db_worker`` is this one); the worker additionally registers itself,
beats every LONTAR_TASK_HEARTBEAT_SECONDS and puts tasks abandoned by dead workers back in the
queue, once (``ops.workers``)."""

import logging
import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from ops.workers import Heartbeat

logger = logging.getLogger("django_tasks_db")


class Worker(db_worker.Worker):
    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()


class Command(db_worker.Command):
    help = "Run a database background worker (with a heartbeat: tasks of dead workers run again once)"

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        # As django_tasks_db's Command.handle, with this module's Worker.
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("Warning: --reload and --batch cannot be specified together. Disabling autoreload.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
