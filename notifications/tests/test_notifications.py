"""Who hears of what on the desk: the named holder of each step, the person an item is returned
to (with the reason), the writer on publication — in the app and by e-mail, in Indonesian."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.urls import reverse

from accounts.roles import GROUP_NAMES
from desk import services
from desk.models import Liputan
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world, freeze_clock
from notifications.models import Notification
from notifications.selectors import unread_count
from sop.rules import Role

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)


def name(user) -> str:
    return user.get_full_name()


class NotificationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def setUp(self):
        freeze_clock(self, START)

    def new_notifications(self, since_pk: int):
        return list(Notification.objects.filter(pk__gt=since_pk).select_related("recipient").order_by("pk"))

    def last_pk(self) -> int:
        return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class InAppNotificationTest(NotificationTestCase):
    def test_the_disposisi_notifies_the_staf_not_the_kasi(self):
        liputan = D.start_item(self.people, topic="Panen raya Jatiluwih")
        [n] = Notification.objects.all()
        self.assertEqual(n.recipient, self.people["staf"])
        self.assertEqual(n.kind, Notification.Kind.STEP)
        self.assertEqual(n.title, "Langkah 3 menunggu Anda: Panen raya Jatiluwih")
        self.assertEqual(n.message, f"Dikirim oleh {name(self.people['kasi'])}.")
        self.assertEqual(n.url, reverse("desk:liputan", args=[liputan.pk]))
        self.assertEqual(n.url, f"/admin/meja/liputan/{liputan.pk}/")
        self.assertIsNone(n.read_at)

    def test_a_disposisi_to_two_staf_notifies_each(self):
        agenda = D.agenda_planned(self.people["kasi"], topic="Festival Tanah Lot")
        services.disposisi_send(
            agenda=agenda, user=self.people["kasi"], recipients=[self.people["staf"], self.people["staf2"]],
            instruction="Liput berdua.", sifat="biasa", batas_waktu=START + dt.timedelta(hours=5),
        )
        items = {i.writer: i for i in Liputan.objects.filter(agenda=agenda)}
        got = {(n.recipient, n.url) for n in Notification.objects.all()}
        self.assertEqual(
            got,
            {(staf, reverse("desk:liputan", args=[items[staf].pk])) for staf in (self.people["staf"], self.people["staf2"])},
        )

    def test_every_step_notifies_its_named_holder_and_never_the_actor(self):
        p = self.people
        liputan = D.start_item(p, topic="Panen raya Jatiluwih")
        D.write(liputan, title="Petani Jatiluwih Mulai Panen")
        url = reverse("desk:liputan", args=[liputan.pk])
        # (step the item arrives at, who acts to get it there, who must be told)
        chain = [
            (3, "staf", "kasi"),
            (4, "kasi", "kabid"),
            (5, "kabid", "sekdis"),
            (6, "sekdis", "kadis"),
            (7, "kadis", "sekdis"),
            (8, "sekdis", "kabid"),
            (9, "kabid", "kasi"),
            (10, "kasi", "staf2"),
        ]
        for step, actor, holder in chain:
            with self.subTest(step=step, actor=actor):
                before = self.last_pk()
                liputan.refresh_from_db()
                self.assertEqual(liputan.holder, p[actor])
                if step == 3:
                    services.liputan_submit(liputan=liputan, user=p[actor])
                elif step == 10:
                    D.act(liputan, "assign", uploader=p["staf2"])
                else:
                    D.act(liputan, "forward", comment=f"Catatan langkah {step - 1}.")
                [n] = self.new_notifications(before)
                self.assertEqual(n.recipient, p[holder])
                self.assertNotEqual(n.recipient, p[actor])
                self.assertEqual(n.kind, Notification.Kind.STEP)
                self.assertEqual(n.title, f"Langkah {step} menunggu Anda: Petani Jatiluwih Mulai Panen")
                self.assertIn(f"Dikirim oleh {name(p[actor])}.", n.message)
                if step not in (3, 10):
                    self.assertIn(f"Catatan langkah {step - 1}.", n.message)
                self.assertEqual(n.url, url)

        # Step 10: the uploader publishes; the writer hears of it, the uploader (the actor) does not.
        before = self.last_pk()
        D.act(liputan, "publish")
        [n] = self.new_notifications(before)
        page = liputan.page.specific
        page.refresh_from_db()
        self.assertEqual(n.recipient, p["staf"])
        self.assertEqual(n.kind, Notification.Kind.PUBLISHED)
        self.assertEqual(n.title, "Terbit: Petani Jatiluwih Mulai Panen")
        self.assertEqual(n.url, page.url)
        self.assertEqual(self.client.get(n.url).status_code, 200)
        self.assertFalse(Notification.objects.filter(recipient=p["staf2"], kind=Notification.Kind.PUBLISHED).exists())

    def test_when_the_writer_uploads_it_too_nobody_is_told_of_their_own_publication(self):
        liputan = D.start_item(self.people, topic="Rapat koordinasi")
        D.advance(liputan, self.people, to_step=10, uploader="staf")
        before = self.last_pk()
        D.act(liputan, "publish")
        self.assertEqual(self.new_notifications(before), [])

    def test_a_return_tells_the_returned_to_person_the_reason(self):
        p = self.people
        liputan = D.start_item(p, topic="Vaksinasi anak sekolah")
        D.advance(liputan, p, to_step=5)
        before = self.last_pk()
        D.act(liputan, "return", return_to=3, comment="Lengkapi jumlah siswa yang divaksin.")
        [n] = self.new_notifications(before)
        self.assertEqual(n.recipient, p["staf"])
        self.assertEqual(n.kind, Notification.Kind.RETURNED)
        self.assertEqual(n.title, "Dikembalikan ke langkah 3: Vaksinasi anak sekolah")
        self.assertIn("Lengkapi jumlah siswa yang divaksin.", n.message)
        self.assertIn(name(p["sekdis"]), n.message)
        self.assertEqual(n.url, reverse("desk:liputan", args=[liputan.pk]))
        self.assertFalse(Notification.objects.filter(recipient=p["sekdis"], pk__gt=before).exists())

        # Back up to the Kadis, who returns it to the Kabid this time.
        D.advance(liputan, p, to_step=6)
        before = self.last_pk()
        D.act(liputan, "return", return_to=4, comment="Judul terlalu panjang.")
        [n] = self.new_notifications(before)
        self.assertEqual((n.recipient, n.kind), (p["kabid"], Notification.Kind.RETURNED))
        self.assertIn("Judul terlalu panjang.", n.message)

    def test_an_acting_official_is_not_told_of_the_step_they_hand_to_themselves(self):
        # The Kabid also acts as Sekdis (Plt): after their own step 4 they hold step 5 too.
        p = self.people
        p["kabid"].groups.add(Group.objects.get(name=GROUP_NAMES[Role.SEKDIS]))
        liputan = D.start_item(p, topic="Pelantikan pejabat")
        D.advance(liputan, p, to_step=4)
        before = self.last_pk()
        D.act(liputan, "forward")
        liputan.refresh_from_db()
        self.assertEqual((liputan.step, liputan.holder), (5, p["kabid"]))
        self.assertEqual(self.new_notifications(before), [])
        # The next person in the chain is told as usual.
        D.act(liputan, "forward")
        [n] = self.new_notifications(before)
        self.assertEqual((n.recipient, n.title), (p["kadis"], "Langkah 6 menunggu Anda: Pelantikan pejabat"))

    def test_notices_name_the_item_by_its_latest_title(self):
        liputan = D.start_item(self.people, topic="Topik rencana")
        D.write(liputan, title="Judul naskah yang sebenarnya")
        services.liputan_submit(liputan=liputan, user=self.people["staf"])
        n = Notification.objects.get(recipient=self.people["kasi"])
        self.assertEqual(n.title, "Langkah 3 menunggu Anda: Judul naskah yang sebenarnya")


class EmailTest(NotificationTestCase):
    def test_a_notice_is_mailed_after_commit_in_indonesian_with_the_link(self):
        p = self.people
        liputan = D.start_item(p, topic="Panen raya Jatiluwih")
        D.advance(liputan, p, to_step=4)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            D.act(liputan, "forward", comment="Layak diteruskan.")
        # Nothing is sent inside the transaction; the mail waits for the commit.
        self.assertEqual(mail.outbox, [])
        self.assertEqual(len(callbacks), 1)
        for callback in callbacks:
            callback()
        [message] = mail.outbox
        self.assertEqual(message.to, [p["sekdis"].email])
        self.assertEqual(message.subject, "[Lontar] Langkah 5 menunggu Anda: Panen raya Jatiluwih")
        self.assertEqual(message.from_email, settings.DEFAULT_FROM_EMAIL)
        link = f"{settings.WAGTAILADMIN_BASE_URL}{reverse('desk:liputan', args=[liputan.pk])}"
        self.assertIn(f"Buka: {link}", message.body)
        self.assertIn(f"Yth. {name(p['sekdis'])},", message.body)
        self.assertIn(f"Dikirim oleh {name(p['kabid'])}.", message.body)
        self.assertIn("Layak diteruskan.", message.body)

    def test_a_return_mail_carries_the_reason(self):
        p = self.people
        liputan = D.start_item(p, topic="Vaksinasi anak sekolah")
        D.advance(liputan, p, to_step=4)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            D.act(liputan, "return", return_to=3, comment="Sebutkan nama sekolahnya.")
        [message] = mail.outbox
        self.assertEqual(message.to, [p["staf"].email])
        self.assertEqual(message.subject, "[Lontar] Dikembalikan ke langkah 3: Vaksinasi anak sekolah")
        self.assertIn("Sebutkan nama sekolahnya.", message.body)

    def test_a_rolled_back_action_sends_no_mail_and_leaves_no_notice(self):
        p = self.people
        liputan = D.start_item(p, topic="Panen raya Jatiluwih")
        D.advance(liputan, p, to_step=4)
        mail.outbox.clear()
        before = self.last_pk()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with self.assertRaises(RuntimeError):
                with transaction.atomic():
                    D.act(liputan, "forward")
                    self.assertEqual(len(self.new_notifications(before)), 1)
                    raise RuntimeError("something later in the same request failed")
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.new_notifications(before), [])
        liputan.refresh_from_db()
        self.assertEqual((liputan.step, liputan.holder), (4, p["kabid"]))

    def test_no_mail_for_a_person_without_an_address(self):
        p = self.people
        p["kabid"].email = ""
        p["kabid"].save(update_fields=["email"])
        liputan = D.start_item(p, topic="Panen raya Jatiluwih")
        D.advance(liputan, p, to_step=3, to_phase=1)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            D.act(liputan, "forward")
        self.assertEqual(mail.outbox, [])
        self.assertTrue(Notification.objects.filter(recipient=p["kabid"], kind=Notification.Kind.STEP).exists())

    def test_only_lontar_mails_go_out_over_a_whole_item(self):
        """Wagtail's stock workflow mails (submitted for moderation, approved, rejected) go to
        every superuser in English and name no step holder; Lontar replaces them."""
        p = self.people
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            liputan = D.start_item(p, topic="Panen raya Jatiluwih")
            D.write(liputan)
            D.advance(liputan, p, to_step=6)  # the submit starts the Wagtail workflow
            D.act(liputan, "return", return_to=4, comment="Periksa angka.")  # cancels and restarts it
            D.advance(liputan, p, to_step=10)
            D.act(liputan, "publish")  # the workflow finishes
        liputan.refresh_from_db()
        self.assertEqual(liputan.status, Liputan.Status.PUBLISHED)

        subjects = [m.subject for m in mail.outbox]
        self.assertTrue(subjects)
        for subject in subjects:
            self.assertTrue(subject.startswith("[Lontar] "), subject)
            self.assertNotRegex(subject, re.compile(r"moderation|submitted|approved|rejected|moderasi", re.I))
        # One mail per notice, each to the notice's recipient; none to the superuser.
        self.assertEqual(
            sorted((m.to[0], m.subject) for m in mail.outbox),
            sorted((n.recipient.email, f"[Lontar] {n.title}") for n in Notification.objects.select_related("recipient")),
        )
        self.assertNotIn(p["admin"].email, [address for m in mail.outbox for address in m.to])
        self.assertIn(("[Lontar] Terbit: Panen raya Jatiluwih"), subjects)


class NotificationPagesTest(NotificationTestCase):
    def setUp(self):
        super().setUp()
        p = self.people
        self.liputan = D.start_item(p, topic="Panen raya Jatiluwih")  # staf: step 3
        D.advance(self.liputan, p, to_step=4)
        D.act(self.liputan, "return", return_to=3, comment="Tambahkan foto kegiatan.")  # staf: returned
        self.other = D.start_item(p, topic="Rapat koordinasi", staf="staf2")  # not for staf

    def test_the_list_shows_my_notices_newest_first(self):
        r = client_for(self.people["staf"]).get("/admin/pemberitahuan/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(reverse("notifications:list"), "/admin/pemberitahuan/")
        text = text_of(r)
        returned = text.index("Dikembalikan ke langkah 3: Panen raya Jatiluwih")
        step = text.index("Langkah 3 menunggu Anda: Panen raya Jatiluwih")
        self.assertLess(returned, step)
        self.assertIn("Tambahkan foto kegiatan.", text)
        self.assertIn(f'href="{reverse("desk:liputan", args=[self.liputan.pk])}"', text)
        self.assertEqual(text.count(" · baru"), 2)
        self.assertIn("Tandai semua sudah dibaca", text)
        self.assertNotIn("Rapat koordinasi", text)

    def test_mark_all_read(self):
        staf = self.people["staf"]
        client = client_for(staf)
        self.assertEqual(unread_count(user=staf), 2)
        self.assertEqual(client.get(reverse("notifications:mark_read")).status_code, 405)
        r = client.post(reverse("notifications:mark_read"))
        self.assertRedirects(r, reverse("notifications:list"))
        self.assertEqual(unread_count(user=staf), 0)
        self.assertFalse(Notification.objects.filter(recipient=staf, read_at__isnull=True).exists())
        self.assertEqual(set(Notification.objects.filter(recipient=staf).values_list("read_at", flat=True)), {START})
        text = text_of(client.get(reverse("notifications:list")))
        self.assertNotIn(" · baru", text)
        self.assertIn("Tambahkan foto kegiatan.", text)  # read notices stay listed
        # Another person's notices are untouched.
        self.assertEqual(unread_count(user=self.people["staf2"]), 1)

    def test_an_empty_list_says_so(self):
        r = client_for(self.people["sekdis"]).get(reverse("notifications:list"))
        self.assertIn("Belum ada pemberitahuan.", text_of(r))

    def test_the_list_needs_a_login(self):
        r = self.client.get(reverse("notifications:list"))
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("wagtailadmin_login"), r["Location"])

    def test_the_admin_menu_shows_the_unread_count(self):
        staf = self.people["staf"]
        client = client_for(staf)
        self.assertEqual(menu_label(client, "pemberitahuan"), "Pemberitahuan (2)")
        # Each person sees their own count.
        self.assertEqual(menu_label(client_for(self.people["staf2"]), "pemberitahuan"), "Pemberitahuan (1)")
        client.post(reverse("notifications:mark_read"))
        self.assertEqual(menu_label(client, "pemberitahuan"), "Pemberitahuan")
        self.assertEqual(menu_label(client_for(self.people["sekdis"]), "pemberitahuan"), "Pemberitahuan")


def menu_label(client, item_name: str) -> str:
    """The label of a main-menu item in the admin sidebar (rendered as JSON props on every page)."""
    r = client.get(reverse("desk:inbox"))
    assert r.status_code == 200, r.status_code
    match = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', r.content.decode(), re.S)
    assert match, "sidebar props not found"
    props = json.loads(match.group(1))

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type") == "wagtail.sidebar.LinkMenuItem" and args and args[0].get("name") == item_name:
                yield args[0]["label"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    labels = list(walk(props))
    assert len(labels) == 1, labels
    return labels[0]
