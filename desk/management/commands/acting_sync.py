from django.core.management.base import BaseCommand

from desk.services import acting_sync


class Command(BaseCommand):
    help = (
        "Pindahkan langkah yang menunggu ke Plt/Plh yang penunjukannya mulai hari ini, dan kembalikan "
        "ke pejabat definitif bila masanya berakhir. Jalankan tiap hari lewat tengah malam WITA."
    )

    def handle(self, *args, **options):
        moved = acting_sync()
        self.stdout.write(self.style.SUCCESS(f"{moved} langkah dipindahkan."))
