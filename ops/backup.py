"""Backup and restore of the whole site: the database and the media files, with a manifest.

A backup directory holds
  database.dump      PostgreSQL custom format (pg_dump -Fc), or
  database.sqlite3   a consistent copy made with SQLite's online backup API (safe while in use),
  media.tar          every file of the default storage (uploads, renditions, documents),
  manifest.json      SHA-256 and size of both, the Lontar commit, the applied migrations and counts.

Media are read and written through Django's storage API, so the same code covers the filesystem
and an object store. Restore goes only into an empty database: merging a dump into live data
would silently mix two sites, so a database with any table is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections

MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar"
FORMAT = 1


class BackupError(Exception):
    """A refusal or failure with a message for the operator (Indonesian, like the desk)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(settings_dict: dict) -> dict:
    # Connection details go through libpq's environment so the password never shows in `ps`.
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    return env


def _lontar_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _migrations(alias: str) -> list[list[str]]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def _counts(alias: str) -> dict[str, int]:
    from wagtail.models import Page, Revision, TaskState, WorkflowState

    from desk.models import Liputan, StepEvent

    models = {"pages": Page, "revisions": Revision, "workflow_states": WorkflowState, "task_states": TaskState,
              "liputan": Liputan, "step_events": StepEvent}
    return {name: model.objects.using(alias).count() for name, model in models.items()}


def _storage_files(storage, prefix: str = "") -> list[str]:
    directories, files = storage.listdir(prefix)
    names = [f"{prefix}{name}" for name in files]
    for directory in directories:
        names += _storage_files(storage, f"{prefix}{directory}/")
    return sorted(names)


def backup(target: Path, *, alias: str = "default") -> dict:
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Folder {target} tidak kosong; cadangan ditulis ke folder baru atau kosong.")
    target.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    vendor = connection.vendor

    if vendor == "postgresql":
        dump = target / "database.dump"
        result = subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "--no-acl", "-f", str(dump), connection.settings_dict["NAME"]],
            env=_pg_env(connection.settings_dict), capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump gagal: {result.stderr.strip()}")
    elif vendor == "sqlite":
        dump = target / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(dump)
        try:
            # The online backup API copies a consistent snapshot even while others write.
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        raise BackupError(f"Basis data {vendor} tidak didukung untuk cadangan.")

    media = target / MEDIA_TAR
    names = _storage_files(default_storage)
    with tarfile.open(media, "w") as tar:
        for name in names:
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "lontar_commit": _lontar_commit(),
        "database": {"vendor": vendor, "file": dump.name, "sha256": _sha256(dump), "size": dump.stat().st_size},
        "media": {"file": media.name, "sha256": _sha256(media), "size": media.stat().st_size, "files": len(names)},
        "migrations": _migrations(alias),
        "counts": _counts(alias),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def read_verified_manifest(source: Path) -> dict:
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{source} bukan folder cadangan Lontar: {MANIFEST} tidak ada.") from exc
    for part in ("database", "media"):
        path = source / manifest[part]["file"]
        if not path.exists():
            raise BackupError(f"Berkas {path.name} tidak ada di {source}.")
        if _sha256(path) != manifest[part]["sha256"]:
            raise BackupError(f"Checksum {path.name} tidak cocok: berkas cadangan rusak atau diubah.")
    return manifest


def restore(source: Path, *, alias: str = "default") -> dict:
    source = Path(source)
    manifest = read_verified_manifest(source)
    connection = connections[alias]
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(
            f"Cadangan dari {manifest['database']['vendor']} tidak dapat dipulihkan ke {connection.vendor}."
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"Basis data tujuan tidak kosong ({len(tables)} tabel). Pemulihan hanya ke basis data kosong: "
            "buat basis data baru lalu jalankan lagi."
        )

    dump = source / manifest["database"]["file"]
    if connection.vendor == "postgresql":
        connection.close()
        result = subprocess.run(
            ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
             "-d", connection.settings_dict["NAME"], str(dump)],
            env=_pg_env(connection.settings_dict), capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore gagal: {result.stderr.strip()}")
    else:
        connection.ensure_connection()
        backup_copy = sqlite3.connect(dump)
        try:
            backup_copy.backup(connection.connection)
        finally:
            backup_copy.close()

    with tarfile.open(source / manifest["media"]["file"]) as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                raise BackupError(f"Nama berkas tidak aman di arsip media: {member.name}")
            data = tar.extractfile(member).read()
            if default_storage.exists(member.name):
                default_storage.delete(member.name)
            saved = default_storage.save(member.name, ContentFile(data))
            if saved != member.name:
                raise BackupError(f"Berkas media {member.name} tersimpan sebagai {saved}.")

    if _migrations(alias) != manifest["migrations"]:
        raise BackupError("Migrasi pada basis data hasil pemulihan tidak sama dengan manifest.")
    counts = _counts(alias)
    if counts != manifest["counts"]:
        raise BackupError(f"Jumlah data setelah pemulihan {counts} tidak sama dengan manifest {manifest['counts']}.")
    return manifest
