from django.core.management.commands import flush
from django.db import connections

from desk import record


class Command(flush.Command):
    """Django's ``flush``, which empties every table on purpose — the SOP record included.

    On PostgreSQL it TRUNCATEs, which the record's row triggers do not see. On SQLite it DELETEs
    row by row, which the triggers refuse; they step aside for the flush and are put back after
    it. Transactional tests flush between tests, so they need this too.
    """

    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite" or not record.triggers_installed(connection):
            return super().handle(**options)
        record.drop_triggers(connection)
        try:
            return super().handle(**options)
        finally:
            record.install_triggers(connection)
