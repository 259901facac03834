from django.core.management.base import BaseCommand

from accounts.services import roles_sync
from portal.models import BeritaIndexPage


class Command(BaseCommand):
    help = "Buat/perbarui grup peran SOP (Kasi, Staf, Kabid, Sekdis, Kadis, Administrator Situs) dan izinnya."

    def handle(self, *args, **options):
        groups = roles_sync(berita_roots=list(BeritaIndexPage.objects.all()))
        self.stdout.write(self.style.SUCCESS(f"Grup peran siap: {', '.join(g.name for g in groups.values())}."))
