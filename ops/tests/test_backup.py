"""Backup and restore through the real tools: pg_dump/pg_restore on PostgreSQL (a second,
empty database created for the test), SQLite's backup API on SQLite (an empty file), media
through a real filesystem storage. The content is made the way the office makes it: through the
SOP's steps."""

import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from wagtail.images.models import Image
from wagtail.models import Page, Revision, TaskState, WorkflowState

from desk import record
from desk.models import Liputan, StepEvent
from desk.tests import sop_driver as D
from lontar.testing import build_world

ALIAS = "restore_target"


def filesystem_storage(settings, location: Path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}}


def state(alias: str) -> dict:
    """Every record the restore must bring back, by primary key and state."""
    return {
        "pages": list(Page.objects.using(alias).order_by("pk").values_list("pk", "path", "title", "live", "live_revision_id")),
        "revisions": list(Revision.objects.using(alias).order_by("pk").values_list("pk", "object_id", "content")),
        "workflow_states": list(WorkflowState.objects.using(alias).order_by("pk").values_list("pk", "status", "current_task_state_id")),
        "task_states": list(TaskState.objects.using(alias).order_by("pk").values_list("pk", "status", "task_id")),
        "liputan": list(Liputan.objects.using(alias).order_by("pk").values_list("pk", "step", "status", "holder_id")),
        "step_events": list(StepEvent.objects.using(alias).order_by("pk").values_list("pk", "step", "action", "actor_id", "at")),
        "images": list(Image.objects.using(alias).order_by("pk").values_list("pk", "file")),
    }


@pytest.fixture
def empty_target(tmp_path):
    """A second, empty database reachable as ALIAS, dropped afterwards."""
    source = connection.settings_dict
    if connection.vendor == "postgresql":
        name = f"{source['NAME']}_restore"
        admin = {k: v for k, v in {"-h": source["HOST"], "-p": str(source["PORT"] or ""), "-U": source["USER"]}.items() if v}
        args = [x for pair in admin.items() for x in pair]
        subprocess.run(["dropdb", "--if-exists", *args, name], check=True, capture_output=True)
        subprocess.run(["createdb", *args, name], check=True, capture_output=True)
        target = {**source, "NAME": name}
    else:
        target = {**source, "NAME": str(tmp_path / "restored.sqlite3")}
    # Registered as a connection only, not as a configured alias: Django's test case refuses
    # configured aliases it was not told about, and this database exists only for this test.
    connections.settings[ALIAS] = target
    wrapper = connections.create_connection(ALIAS)
    del connections.settings[ALIAS]
    connections[ALIAS] = wrapper
    yield wrapper
    wrapper.close()
    del connections[ALIAS]
    if connection.vendor == "postgresql":
        subprocess.run(["dropdb", "--if-exists", *args, name], check=True, capture_output=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_every_page_revision_workflow_record_and_photo(settings, tmp_path, empty_target):
    filesystem_storage(settings, tmp_path / "media-before")
    people = build_world()
    photo = D.make_image("Melasti di Pantai Yeh Gangga")
    published = D.publish_berita(people, topic="Melasti di Pantai Yeh Gangga", image=photo, caption="Umat menuju pantai.")
    in_progress = D.build_item(people, step=6, topic="Festival Tanah Lot").liputan  # at the Kadis
    before = state("default")
    assert published.live and in_progress.step == 6
    assert any(s == "in_progress" for _, s, _ in before["workflow_states"])
    assert len(before["step_events"]) >= 15
    photo_bytes = (tmp_path / "media-before" / photo.file.name).read_bytes()

    backup_dir = tmp_path / "cadangan"
    call_command("backup", str(backup_dir))
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["media"]["files"] >= 1
    assert ["desk", "0001_initial"] in manifest["migrations"]
    assert manifest["counts"]["step_events"] == len(before["step_events"])
    assert len(manifest["lontar_commit"]) in (40, 7)  # a commit hash ("unknown" only outside git)

    # A fresh server: empty database, empty media.
    filesystem_storage(settings, tmp_path / "media-after")
    call_command("restore", str(backup_dir), database=ALIAS)

    after = state(ALIAS)
    assert after == before
    # The SOP record comes back still chained and still guarded by its triggers.
    assert record.verify(using=ALIAS).ok
    assert record.triggers_installed(connections[ALIAS])
    assert (tmp_path / "media-after" / photo.file.name).read_bytes() == photo_bytes
    restored_page = Page.objects.using(ALIAS).get(pk=published.pk)
    assert restored_page.live and restored_page.live_revision_id == published.live_revision_id
    restored_item = Liputan.objects.using(ALIAS).get(pk=in_progress.pk)
    assert (restored_item.step, restored_item.status, restored_item.holder_id) == (6, in_progress.status, people["kadis"].pk)

    # Only into an empty database: the restored one now has tables and is refused, untouched.
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("restore", str(backup_dir), database=ALIAS)
    assert state(ALIAS) == before


def test_restore_refuses_a_damaged_backup(tmp_path):
    (tmp_path / "database.dump").write_bytes(b"dump")
    (tmp_path / "media.tar").write_bytes(b"tar")
    manifest = {
        "database": {"vendor": "postgresql", "file": "database.dump", "sha256": "0" * 64},
        "media": {"file": "media.tar", "sha256": "0" * 64},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="Checksum database.dump tidak cocok"):
        call_command("restore", str(tmp_path))
    with pytest.raises(CommandError, match="bukan folder cadangan"):
        call_command("restore", str(tmp_path / "kosong"))


@pytest.mark.django_db
def test_backup_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "lama.txt").write_text("isi")
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("backup", str(tmp_path))
