from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lontar.demo import DEMO_PASSWORD, PEOPLE, demo_content, demo_people


class Command(BaseCommand):
    help = "Muat pengguna dan konten demo (hanya untuk pengembangan); aman dijalankan berulang."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Izinkan walau DEBUG mati.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Data demo hanya untuk pengembangan (DEBUG=True). Gunakan --force bila yakin.")
        people = demo_people()
        created = demo_content(people)
        if created:
            self.stdout.write(self.style.SUCCESS("Konten demo dibuat melalui langkah-langkah SOP."))
        self.stdout.write(f"\nAkun demo (kata sandi untuk semua: {DEMO_PASSWORD})")
        for username, first, last, role, title in PEOPLE:
            self.stdout.write(f"  {username:<8} {role.label:<7} {first} {last} — {title}")
        self.stdout.write("  admin    Administrator situs (superuser)\n")
