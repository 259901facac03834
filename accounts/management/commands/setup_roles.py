from django.core.management.base import BaseCommand

from accounts.services import roles_sync
from desk.content_types import installed_content_types
from ppid.services import ppid_group_sync


class Command(BaseCommand):
    help = "Buat/perbarui grup peran SOP (Kasi, Staf, Kabid, Sekdis, Kadis, Administrator Situs) dan izinnya."

    def handle(self, *args, **options):
        ppid_group_sync()
        groups = roles_sync(section_roots=[ct.index_page() for ct in installed_content_types() if ct.index_page()])
        self.stdout.write(self.style.SUCCESS(f"Grup peran siap: {', '.join(g.name for g in groups.values())}."))
