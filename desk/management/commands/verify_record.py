import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from desk import record


def _anchor(text: str) -> tuple[int, str]:
    seq, _sep, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise CommandError(_("Jangkar harus berbentuk SEQ:HASH, misalnya 1024:%(example)s") % {"example": "ab" * 32})
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = gettext_lazy(
        "Periksa rantai hash catatan SOP dari awal sampai akhir. Keluar 0 bila utuh; bila tidak, keluar 1 "
        "dan sebutkan entri pertama yang rusak."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--chunk-size", type=int, default=5000)
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help=gettext_lazy("Hash entri yang dicatat di luar basis data (dari keluaran sebelumnya); boleh berulang."),
        )

    def handle(self, *args, **options):
        anchors = dict(_anchor(text) for text in options["anchor"])
        started = time.perf_counter()
        result = record.verify(using=options["database"], chunk_size=options["chunk_size"], anchors=anchors)
        seconds = time.perf_counter() - started
        if not result.ok:
            broken = result.broken
            raise CommandError(
                _(
                    "Catatan SOP RUSAK [%(code)s]: %(message)s %(count)s entri sebelumnya utuh (diperiksa dalam %(seconds).1f s)."
                )
                % {"code": broken.problem.value, "message": broken.message, "count": result.entries, "seconds": seconds}
            )
        if not result.entries:
            self.stdout.write(_("Catatan SOP masih kosong; tidak ada yang diperiksa."))
            return
        self.stdout.write(
            _(
                "Catatan SOP utuh: %(count)s entri, seq 1–%(last)s. Kepala rantai: %(last)s:%(hash)s "
                "(simpan di luar basis data sebagai jangkar). Diperiksa dalam %(seconds).1f s."
            )
            % {"count": result.entries, "last": result.last_seq, "hash": result.last_hash, "seconds": seconds}
        )
