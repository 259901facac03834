from django.core.management.base import BaseCommand

from portal.services import portal_setup


class Command(BaseCommand):
    help = "Siapkan situs publik (beranda dan daftar berita); aman dijalankan berulang."

    def handle(self, *args, **options):
        home = portal_setup()
        self.stdout.write(self.style.SUCCESS(f"Situs publik siap: {home.title}."))
