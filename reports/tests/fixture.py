"""A small history written straight into the record (``StepEvent``) with durations chosen by hand,
so the report's figures can be worked out on paper (see test_report.py).

March 2026 (WITA) is the period. Standards (the SOP file): steps 1, 2, 7, 8, 9, 10: 10 min;
3: 180; 4, 5, 6: 30; total 330.

- A (berita): steps 1–2 on 28 Feb (outside the period, 5 and 8 min), then 3: 200, 4: 20, 5: 40,
  6: 30, 7: 10, 8: 12, 9: 5, 10: 25 — published in March; lead time 355.
- B (pengumuman): 1: 10 (at 00:30 WITA on 1 March, still 28 Feb in UTC), 2: 10, 3: 100,
  4: returned to 3 after 15 ("Foto kurang jelas"), 3: 60, 4: 25, 5: 20, 6: 35, 7: 5, 8: 5, 9: 10,
  10: 10 (at 23:30 WITA on 31 March); lead time 305.
- C (berita): 1: 3, 2: 4, 3: 150, then published in an emergency at step 4 by the administrator.
- D (berita): step 1 in April, outside the period.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from desk.models import AgendaItem, Disposisi, Liputan, StepEvent

WITA = ZoneInfo("Asia/Makassar")
STANDARD = {1: 10, 2: 10, 3: 180, 4: 30, 5: 30, 6: 30, 7: 10, 8: 10, 9: 10, 10: 10}
ROLE_OF_STEP = {
    1: "kasi",
    2: "kasi",
    3: "kasi",
    4: "kabid",
    5: "sekdis",
    6: "kadis",
    7: "sekdis",
    8: "kabid",
    9: "kasi",
    10: "staf",
}
EMERGENCY_REASON = "-Darurat: banjir bandang, informasi evakuasi harus segera tayang"
RETURN_REASON = "Foto kurang jelas"


def wita(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WITA)


class HistoryWriter:
    def __init__(self, people):
        self.people = people
        self.version = people["version"]

    def item(self, topic: str, kind: str) -> tuple[AgendaItem, Liputan]:
        agenda = AgendaItem.objects.create(
            sop_version=self.version,
            topic=topic,
            kind=kind,
            planned_date=dt.date(2026, 3, 1),
            created_by=self.people["kasi"],
            status=AgendaItem.Status.DISPOSED,
        )
        disposisi = Disposisi.objects.create(
            agenda=agenda, instruction="Liput.", batas_waktu=wita(3, 31, 16), created_by=self.people["kasi"]
        )
        liputan = Liputan.objects.create(
            disposisi=disposisi, agenda=agenda, sop_version=self.version, writer=self.people["staf"], step=3
        )
        return agenda, liputan

    def event(
        self,
        agenda,
        liputan,
        step,
        minutes,
        at,
        *,
        action=None,
        to_step=None,
        comment="",
        actor=None,
        flagged=False,
        **extra,
    ):
        if action is None:
            action = {1: "plan", 2: "dispose", 9: "assign", 10: "publish"}.get(step, "forward")
        role = ROLE_OF_STEP[step]
        return StepEvent.objects.create(
            agenda=agenda,
            liputan=liputan if step >= 3 else None,
            sop_version=self.version,
            step=step,
            action=action,
            to_step=to_step,
            actor=actor or self.people[role],
            actor_role=role,
            at=at,
            step_started_at=at - dt.timedelta(minutes=minutes or 0),
            elapsed_minutes=minutes,
            standard_minutes=STANDARD[step],
            comment=comment,
            flagged=flagged,
            **extra,
        )

    def run(self, agenda, liputan, durations: list[tuple[int, int]], start: dt.datetime) -> dt.datetime:
        at = start
        for step, minutes in durations:
            at = at + dt.timedelta(minutes=minutes)
            self.event(agenda, liputan, step, minutes, at)
        return at


def write_history(people) -> dict:
    w = HistoryWriter(people)
    a_agenda, a = w.item("Rapat koordinasi stunting", AgendaItem.Kind.BERITA)
    w.run(a_agenda, None, [(1, 5), (2, 8)], wita(2, 28, 23, 37))  # ends 23:50 WITA on 28 Feb
    w.run(a_agenda, a, [(3, 200), (4, 20), (5, 40), (6, 30), (7, 10), (8, 12), (9, 5), (10, 25)], wita(3, 2, 8))

    b_agenda, b = w.item("Jadwal pemadaman listrik", AgendaItem.Kind.PENGUMUMAN)
    w.run(b_agenda, None, [(1, 10)], wita(3, 1, 0, 20))  # ends 00:30 WITA on 1 March
    at = w.run(b_agenda, b, [(2, 10), (3, 100)], wita(3, 3, 8))
    at += dt.timedelta(minutes=15)
    w.event(b_agenda, b, 4, 15, at, action="return", to_step=3, comment=RETURN_REASON)
    at = w.run(b_agenda, b, [(3, 60), (4, 25), (5, 20), (6, 35), (7, 5), (8, 5), (9, 10)], at)
    w.event(b_agenda, b, 10, 10, wita(3, 31, 23, 30))

    c_agenda, c = w.item("Evakuasi banjir Kediri", AgendaItem.Kind.BERITA)
    at = w.run(c_agenda, c, [(1, 3), (2, 4), (3, 150)], wita(3, 10, 9))
    w.event(
        c_agenda,
        c,
        4,
        None,
        at + dt.timedelta(minutes=7),
        action="emergency_publish",
        comment=EMERGENCY_REASON,
        actor=people["admin"],
        flagged=True,
    )
    c.status, c.emergency_published = Liputan.Status.PUBLISHED, True
    c.save()

    d_agenda, d = w.item("Festival layang-layang", AgendaItem.Kind.BERITA)
    w.run(d_agenda, None, [(1, 9)], wita(4, 1, 8))
    return {"a": a, "b": b, "c": c, "d": d}
