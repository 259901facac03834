from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Pulihkan cadangan (basis data dan media) ke basis data yang masih kosong."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args, directory, database, **options):
        try:
            manifest = restore(directory, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{name} {count}" for name, count in manifest["counts"].items())
        self.stdout.write(
            f"Cadangan {directory} dipulihkan: checksum cocok, {len(manifest['migrations'])} migrasi, "
            f"{manifest['media']['files']} berkas media; {counts}."
        )
