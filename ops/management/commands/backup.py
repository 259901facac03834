from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Cadangkan basis data dan berkas media ke sebuah folder (baru atau kosong)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args, directory, database, **options):
        try:
            manifest = backup(directory, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{name} {count}" for name, count in manifest["counts"].items())
        self.stdout.write(
            f"Cadangan tersimpan di {directory}: basis data ({manifest['database']['vendor']}, "
            f"{manifest['database']['size']} bita), {manifest['media']['files']} berkas media; {counts}."
        )
