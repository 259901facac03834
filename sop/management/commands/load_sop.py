from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sop.loader import sop_load_file
from sop.rules import SopDefinitionError


class Command(BaseCommand):
    help = "Muat atau perbarui definisi SOP dari berkas TOML (bawaan: LONTAR_SOP_FILE)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.LONTAR_SOP_FILE))

    def handle(self, *args, path, **options):
        try:
            result = sop_load_file(path=path)
        except SopDefinitionError as exc:
            raise CommandError(f"Definisi SOP ditolak, tidak ada yang diubah. {exc.field}: {exc.problem}") from exc
        version = result.version
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"{version} dimuat: {version.steps.count()} langkah."))
        else:
            self.stdout.write(f"{version} sudah berlaku; tidak ada perubahan.")
