from sop.models import SopVersion


def sop_current(*, nomor: str | None = None) -> SopVersion | None:
    qs = SopVersion.objects.filter(is_current=True).prefetch_related("steps")
    if nomor:
        qs = qs.filter(nomor=nomor)
    return qs.order_by("nomor").first()


def sop_versions(*, nomor: str):
    return SopVersion.objects.filter(nomor=nomor).order_by("-version")


def sop_version(pk: int) -> SopVersion | None:
    """One loaded version, current or not; the document needs no steps rows (it reads the file)."""
    return SopVersion.objects.filter(pk=pk).first()
