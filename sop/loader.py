"""Load an SOP definition file into the database as a new version, or refuse and change nothing."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from sop import rules
from sop.models import SopStep, SopVersion
from sop.signals import sop_version_loaded

# The key of the definition file each stored column comes from, to name it when a value does not fit.
_SOURCE_KEYS = {
    "nomor": "identitas.nomor",
    "judul": "identitas.judul",
    "instansi": "identitas.instansi",
    "alamat": "identitas.alamat",
    "pengesah_jabatan": "identitas.pengesahan.jabatan",
    "pengesah_nama": "identitas.pengesahan.nama",
    "pengesah_pangkat": "identitas.pengesahan.pangkat",
    "pengesah_nip": "identitas.pengesahan.nip",
    "activity": "kegiatan",
    "input": "kelengkapan",
    "minutes": "waktu_menit",
    "output": "output",
    "remarks": "keterangan",
}


def _refused(exc: ValidationError, where: str = "") -> rules.SopDefinitionError:
    name, messages = next(iter(exc.message_dict.items()))
    key = _SOURCE_KEYS.get(name, name)
    return rules.SopDefinitionError(f"{where}.{key}" if where else key, " ".join(messages))


@dataclass(frozen=True)
class LoadResult:
    version: SopVersion
    created: bool


def sop_load_file(*, path: Path | str) -> LoadResult:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise rules.SopDefinitionError("berkas", f"tidak dapat dibaca ({exc})") from exc
    return sop_load_text(text=text)


def sop_load_text(*, text: str) -> LoadResult:
    """Validate ``text`` and store it as the current version of its SOP.

    Loading the same text again is a no-op, so ``make run`` can load on every start. A changed text
    becomes version n+1; older versions stay for the items that started under them.
    """
    definition = rules.parse_definition(text)  # raises before anything is touched
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    identity = definition.identity
    with transaction.atomic():
        versions = SopVersion.objects.select_for_update().filter(nomor=identity["nomor"])
        current = versions.filter(is_current=True).first()
        if current and current.checksum == checksum:
            return LoadResult(version=current, created=False)
        latest = versions.order_by("-version").first()
        versions.filter(is_current=True).update(is_current=False)
        approval = identity["pengesahan"]
        version = SopVersion(
            nomor=identity["nomor"],
            version=(latest.version + 1) if latest else 1,
            judul=identity["judul"],
            instansi=identity["instansi"],
            alamat=identity["alamat"],
            tanggal_pembuatan=identity["tanggal_pembuatan"],
            tanggal_revisi=identity["tanggal_revisi"],
            tanggal_efektif=identity["tanggal_efektif"],
            pengesah_jabatan=approval["jabatan"],
            pengesah_nama=approval["nama"],
            pengesah_pangkat=approval["pangkat"],
            pengesah_nip=approval["nip"],
            dasar_hukum=identity["dasar_hukum"],
            kualifikasi_pelaksana=identity["kualifikasi_pelaksana"],
            keterkaitan=identity["keterkaitan"],
            peralatan=identity["peralatan"],
            peringatan=identity["peringatan"],
            pencatatan=identity["pencatatan"],
            role_titles={role.value: title for role, title in definition.role_titles.items()},
            source=text,
            checksum=checksum,
            is_current=True,
        )
        try:
            version.full_clean(exclude=["workflow"])
        except ValidationError as exc:
            raise _refused(exc) from exc
        version.save()
        rows = [
            SopStep(
                version=version,
                number=step.number,
                activity=step.activity,
                actors=[role.value for role in step.actors],
                kind=step.kind.value,
                input=step.input,
                minutes=step.minutes,
                output=step.output,
                next_number=step.next,
                returns_to=list(step.returns_to),
                may_edit=step.may_edit,
                remarks=step.remarks,
            )
            for step in definition.steps
        ]
        for row in rows:
            try:
                row.full_clean(exclude=["version"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                raise _refused(exc, f"langkah {row.number}") from exc
        SopStep.objects.bulk_create(rows)
        sop_version_loaded.send(sender=SopVersion, version=version)
    return LoadResult(version=version, created=True)
