"""The SOP record is append-only and tamper-evident: a hash chain over every entry, checked by
``manage.py verify_record``, which names the first broken entry; the ORM and the database refuse
to change or delete an entry; revisions the record cites are kept."""

import contextlib
import datetime as dt
import hashlib
import importlib
import io
import json
import types

from django.apps import apps
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.test import TestCase, TransactionTestCase
from django.urls import reverse
from wagtail.admin.viewsets import viewsets
from wagtail.management.commands.purge_revisions import purge_revisions
from wagtail.models import Page, Revision
from wagtail.snippets.models import get_snippet_models

from desk import record
from desk.models import AgendaItem, Liputan, RecordHead, StepEvent
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for
from lontar.testing import build_world


@contextlib.contextmanager
def triggers_dropped():
    """What an attacker with write access to the database does first."""
    record.drop_triggers(connection)
    try:
        yield
    finally:
        record.install_triggers(connection)


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_fails(test, **kwargs) -> str:
    with test.assertRaises(CommandError) as caught:
        call_command("verify_record", **kwargs)
    return str(caught.exception)


class ChainTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        D.publish_berita(cls.people, topic="Panen raya di Penebel")
        cls.item = D.build_item(cls.people, step=5, topic="Festival Tanah Lot").liputan
        cls.events = list(StepEvent.objects.order_by("seq"))

    def test_every_field_of_an_entry_is_hashed_or_deliberately_left_out(self):
        """A field added to StepEvent later must be placed in the chain's definition on purpose."""
        columns = {f.attname for f in StepEvent._meta.concrete_fields}
        self.assertEqual(columns, set(record.HASHED_FIELDS) | set(record.NOT_HASHED))

    def test_each_entry_links_to_the_one_before_and_the_head_names_the_last(self):
        self.assertGreater(len(self.events), 15)
        self.assertEqual([e.seq for e in self.events], list(range(1, len(self.events) + 1)))
        self.assertEqual([e.prev_hash for e in self.events], ["", *[e.hash for e in self.events[:-1]]])
        head = RecordHead.objects.get()
        self.assertEqual((head.seq, head.hash), (self.events[-1].seq, self.events[-1].hash))

    def test_the_hash_is_sha256_of_the_documented_canonical_json(self):
        """An auditor can recompute an entry's hash without Lontar (docs/security.md)."""
        event = StepEvent.objects.get(liputan=self.item, step=4)
        document = {name: getattr(event, name) for name in record.HASHED_FIELDS}
        for name in ("at", "step_started_at"):
            document[name] = document[name].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        self.assertEqual(hashlib.sha256(text.encode()).hexdigest(), event.hash)

    def test_verify_record_passes_an_intact_record_and_prints_its_head(self):
        out = io.StringIO()
        call_command("verify_record", stdout=out)
        last = self.events[-1]
        self.assertIn(f"Catatan SOP utuh: {len(self.events)} entri", out.getvalue())
        self.assertIn(f"{last.seq}:{last.hash}", out.getvalue())

    def test_an_entry_changed_in_the_database_is_named(self):
        """An attacker rewrites a Kabid's comment with raw SQL: exactly that entry is named."""
        target = self.events[7]
        with triggers_dropped():
            raw("UPDATE desk_stepevent SET comment = %s WHERE id = %s", ["Disetujui tanpa catatan.", target.pk])
        message = verify_fails(self)
        self.assertIn("[hash_mismatch]", message)
        self.assertIn(f"entri id {target.pk}, seq {target.seq},", message)
        self.assertIn(f"{target.seq - 1} entri sebelumnya utuh", message)
        result = record.verify()
        self.assertEqual((result.broken.event_id, result.broken.seq), (target.pk, target.seq))

    def test_a_changed_actor_is_named_even_when_the_attacker_recomputes_that_entrys_hash(self):
        """Rewriting one entry consistently breaks the link of the next one."""
        target, following = self.events[4], self.events[5]
        with triggers_dropped():
            raw("UPDATE desk_stepevent SET actor_id = %s WHERE id = %s", [self.people["admin"].pk, target.pk])
            target.refresh_from_db()
            forged = record.entry_hash(record.event_values(target))
            raw("UPDATE desk_stepevent SET hash = %s WHERE id = %s", [forged, target.pk])
        result = record.verify()
        self.assertEqual(result.broken.problem, record.Problem.BROKEN_LINK)
        self.assertEqual(result.broken.event_id, following.pk)
        self.assertIn(f"seq {following.seq}", verify_fails(self))

    def test_a_deleted_entry_in_the_middle_leaves_a_gap_that_is_named(self):
        removed, following = self.events[10], self.events[11]
        with triggers_dropped():
            raw("DELETE FROM desk_stepevent WHERE id = %s", [removed.pk])
        message = verify_fails(self)
        self.assertIn("[seq_gap]", message)
        self.assertIn(f"entri id {following.pk}, seq {following.seq},", message)
        self.assertIn(f"dari seq {removed.seq - 1} ke {following.seq}; 1 entri hilang", message)

    def test_deleted_entries_at_the_end_are_noticed_through_the_head(self):
        with triggers_dropped():
            raw("DELETE FROM desk_stepevent WHERE seq >= %s", [self.events[-2].seq])
        message = verify_fails(self)
        self.assertIn("[head_mismatch]", message)
        self.assertIn(f"seq {self.events[-1].seq}", message)

    def test_a_whole_chain_rewritten_from_the_database_fails_against_an_anchor_kept_outside(self):
        """Someone who recomputes every hash after their change defeats the chain alone, not the
        head noted down earlier."""
        anchor = self.events[-1]
        call_command("verify_record", anchor=[f"{anchor.seq}:{anchor.hash}"], stdout=io.StringIO())
        target = self.events[3]
        with triggers_dropped():
            raw("UPDATE desk_stepevent SET comment = %s WHERE id = %s", ["Ditulis ulang.", target.pk])
            prev = self.events[2].hash
            for seq, _prev, digest in record.chain(
                StepEvent.objects.filter(seq__gte=target.seq).order_by("seq").values_list(*record.HASHED_FIELDS[2:]),
                seq=target.seq - 1,
                prev_hash=prev,
            ):
                raw("UPDATE desk_stepevent SET prev_hash = %s, hash = %s WHERE seq = %s", [_prev, digest, seq])
                last = (seq, digest)
            RecordHead.objects.filter(pk=record.HEAD_PK).update(seq=last[0], hash=last[1])
        self.assertTrue(record.verify().ok)
        message = verify_fails(self, anchor=[f"{anchor.seq}:{anchor.hash}"])
        self.assertIn("[anchor_mismatch]", message)
        self.assertIn(f"entri id {anchor.pk}, seq {anchor.seq},", message)


class AppendOnlyTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.item = D.build_item(cls.people, step=4, topic="Rapat koordinasi subak")

    def setUp(self):
        self.event = StepEvent.objects.filter(liputan=self.item.liputan).latest("seq")
        self.before = list(StepEvent.objects.order_by("seq").values_list("pk", "comment", "actor_id", "at", "hash"))

    def tearDown(self):
        self.assertEqual(
            list(StepEvent.objects.order_by("seq").values_list("pk", "comment", "actor_id", "at", "hash")), self.before
        )
        self.assertTrue(record.verify().ok)

    def test_the_orm_refuses_to_save_an_entry_again(self):
        self.event.comment = "Diubah lewat ORM."
        with self.assertRaises(record.RecordIsAppendOnly) as caught:
            self.event.save()
        self.assertIn("tidak dapat diubah atau dihapus", str(caught.exception))

    def test_the_orm_refuses_to_delete_an_entry(self):
        with self.assertRaises(record.RecordIsAppendOnly):
            self.event.delete()

    def test_querysets_refuse_update_delete_and_bulk_writes(self):
        events = StepEvent.objects.filter(pk=self.event.pk)
        with self.assertRaises(record.RecordIsAppendOnly):
            events.update(comment="Diubah massal.")
        with self.assertRaises(record.RecordIsAppendOnly):
            events.delete()
        with self.assertRaises(record.RecordIsAppendOnly):
            StepEvent.objects.bulk_update([self.event], ["comment"])
        copy = StepEvent.objects.get(pk=self.event.pk)
        copy.pk, copy._state.adding = None, True
        with self.assertRaises(record.RecordIsAppendOnly):
            StepEvent.objects.bulk_create([copy])

    def test_the_database_refuses_update_and_delete_whoever_asks(self):
        self.assertTrue(record.triggers_installed(connection))
        for sql in (
            "UPDATE desk_stepevent SET comment = 'diubah' WHERE id = %s",
            "DELETE FROM desk_stepevent WHERE id = %s",
        ):
            with self.subTest(sql=sql), self.assertRaises(IntegrityError) as caught, transaction.atomic():
                raw(sql, [self.event.pk])
            self.assertIn("append-only", str(caught.exception))

    def test_an_agenda_or_item_with_a_record_cannot_be_deleted(self):
        with self.assertRaises(ProtectedError):
            Liputan.objects.get(pk=self.item.liputan.pk).delete()
        with self.assertRaises(ProtectedError):
            AgendaItem.objects.get(pk=self.item.agenda.pk).delete()

    def test_no_admin_screen_edits_the_record(self):
        """Neither Django's admin, nor a snippet, nor a Wagtail model viewset offers the record."""
        for model in (StepEvent, RecordHead):
            self.assertFalse(admin.site.is_registered(model))
            self.assertNotIn(model, get_snippet_models())
            self.assertNotIn(model, [getattr(v, "model", None) for v in viewsets.viewsets])
        editable = {f.name for f in StepEvent._meta.concrete_fields if f.editable}
        self.assertFalse({"seq", "prev_hash", "hash"} & editable)

    def test_a_lost_head_row_is_made_again_from_the_last_entry(self):
        """A database emptied of its head (``flush``, a restore of part of the tables) goes on
        from the last entry it holds instead of starting a second chain."""
        last = StepEvent.objects.latest("seq")
        RecordHead.objects.all().delete()
        D.agenda_planned(self.people["kasi"], topic="Rapat setelah pemulihan")
        new = StepEvent.objects.latest("seq")
        self.assertEqual((new.seq, new.prev_hash), (last.seq + 1, last.hash))
        self.before = list(StepEvent.objects.order_by("seq").values_list("pk", "comment", "actor_id", "at", "hash"))

    def test_a_new_entry_saved_through_the_orm_is_linked_to_the_chain(self):
        """Whoever creates an entry (a service, a fixture, a shell) gets it chained."""
        head = RecordHead.objects.get()
        event = StepEvent.objects.get(pk=self.event.pk)
        event.pk, event._state.adding = None, True
        event.comment = "Entri baru."
        event.flagged, event.step = 1, str(event.step)  # what the database returns is what is hashed
        event.save()
        self.assertEqual((event.seq, event.prev_hash), (head.seq + 1, head.hash))
        self.assertEqual(RecordHead.objects.get().hash, event.hash)
        self.before = list(StepEvent.objects.order_by("seq").values_list("pk", "comment", "actor_id", "at", "hash"))


class RevisionsKeptTest(TestCase):
    """The revisions the record cites are evidence of what each official approved."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        liputan = D.start_item(cls.people, topic="Pasar murah di Kediri")
        for n in range(3):  # drafts nobody approved
            D.write(liputan, title=f"Pasar murah di Kediri (draf {n})")
        # The Kabid returns the first text the Kasi approved; the record keeps citing it.
        D.advance(liputan, cls.people, to_step=4)
        D.act(liputan, "return", return_to=3, comment="Harga per kilogram belum disebut.")
        D.write(liputan, title="Pasar murah di Kediri, beras Rp10.000/kg")
        cls.page = D.publish(liputan, cls.people)
        cls.liputan = liputan

    def test_purge_revisions_keeps_every_revision_the_record_cites(self):
        cited = set(StepEvent.objects.filter(revision__isnull=False).values_list("revision_id", flat=True))
        drafts = Revision.objects.filter(object_id=str(self.page.pk)).exclude(pk__in=cited).count()
        self.assertGreater(drafts, 0)
        returned = StepEvent.objects.get(liputan=self.liputan, action="return").revision_id
        self.assertNotEqual(returned, self.page.live_revision_id)
        deleted, protected = purge_revisions()
        self.assertEqual(deleted, drafts)
        self.assertGreater(protected, 0)  # Wagtail counts the ones it had to leave
        self.assertEqual(set(Revision.objects.filter(pk__in=cited).values_list("pk", flat=True)), cited)
        self.assertTrue(record.verify().ok)

    def test_a_recorded_page_cannot_be_deleted_by_anyone(self):
        with self.assertRaises(ProtectedError), transaction.atomic():
            Page.objects.get(pk=self.page.pk).delete()
        admin_client = client_for(self.people["admin"])
        response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[self.page.pk]))
        self.assertRedirects(response, reverse("desk:liputan", args=[self.liputan.pk]), fetch_redirect_response=False)
        self.assertTrue(Page.objects.filter(pk=self.page.pk).exists())
        # Nor its section, whose deletion would take it along.
        section = self.page.get_parent()
        admin_client.post(reverse("wagtailadmin_pages:delete", args=[section.pk]))
        self.assertTrue(Page.objects.filter(pk=section.pk).exists())
        # Nor through the bulk action, which does not ask before_delete_page.
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete")) + f"?id={self.page.pk}"
        response = admin_client.post(url)
        self.assertEqual(response.status_code, 403)
        self.assertIn("tercatat dalam catatan SOP", response.content.decode())
        self.assertTrue(Page.objects.filter(pk=self.page.pk).exists())

    def test_a_draft_the_record_does_not_cite_can_still_be_deleted_by_the_administrator(self):
        liputan = D.start_item(self.people, topic="Rapat yang batal")
        page = D.write(liputan)
        response = client_for(self.people["admin"]).post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Page.objects.filter(pk=page.pk).exists())


class ChainMigrationTest(TestCase):
    """Migration 0007 links the entries written before the chain existed, in (at, id) order."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        for topic in ("Donor darah", "Lomba ogoh-ogoh"):
            D.build_item(cls.people, step=6, topic=topic)

    def test_existing_entries_are_chained_in_the_order_they_happened(self):
        fill_chain = importlib.import_module("desk.migrations.0007_record_chain_fill").fill_chain
        before = list(StepEvent.objects.order_by("at", "id").values_list("pk", "hash"))
        with triggers_dropped():
            raw("UPDATE desk_stepevent SET seq = seq + 100000, prev_hash = '', hash = ''")
            RecordHead.objects.all().delete()
            fill_chain(apps, types.SimpleNamespace(connection=connection))
        after = list(StepEvent.objects.order_by("seq").values_list("pk", "hash"))
        self.assertEqual(after, before)  # the same order and, recomputed, the same hashes
        self.assertTrue(record.verify().ok)


class FlushTest(TransactionTestCase):
    serialized_rollback = True

    def test_flush_empties_the_record_and_keeps_its_guard(self):
        """Transactional tests (and ``manage.py flush``) empty every table, the record included."""
        people = build_world()
        D.build_item(people, step=3, phase=1, topic="Sosialisasi keterbukaan informasi")
        self.assertTrue(StepEvent.objects.exists())
        # As TransactionTestCase flushes: the serialized rollback restores what migrations made,
        # with the ids it had, so the sequences must not restart under it.
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True)
        self.assertFalse(StepEvent.objects.exists())
        self.assertTrue(record.triggers_installed(connection))
        out = io.StringIO()
        call_command("verify_record", stdout=out)
        self.assertIn("Catatan SOP masih kosong", out.getvalue())
