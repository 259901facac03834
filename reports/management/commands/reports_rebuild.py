from django.core.management.base import BaseCommand

from reports import rollup


class Command(BaseCommand):
    help = "Hitung ulang ringkasan laporan kepatuhan dari catatan langkah SOP (setelah impor massal)."

    def handle(self, *args, **options):
        figures, leads = rollup.rebuild()
        self.stdout.write(f"{figures} baris ringkasan, {leads} item terbit.")
