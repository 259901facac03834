"""The SOP rules, checked against the real definition file, without a database.

The bad definitions below are all made by editing the text of the real file, so when the real file
changes these tests either still describe it or fail loudly (every edit checks that the text it
replaces is there exactly once).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sop import rules
from sop.rules import DONE, Action, InvalidTransition, Position, Role, SopDefinitionError, StepKind

REAL_FILE = Path(__file__).resolve().parents[1] / "definitions" / "065-0812-ORG.toml"
REAL_TEXT = REAL_FILE.read_text(encoding="utf-8")
STEP_HEADER = "[[langkah]]"


# --- editing the real file -----------------------------------------------------------------------


def replace_once(text: str, old: str, new: str) -> str:
    count = text.count(old)
    assert count == 1, f"expected {old!r} exactly once in the definition text, found {count}"
    return text.replace(old, new)


def _split_steps(text: str) -> tuple[str, list[str]]:
    head, *blocks = text.split(STEP_HEADER)
    return head, blocks


def _block_index(blocks: list[str], number: int) -> int:
    found = [i for i, block in enumerate(blocks) if re.search(rf"^nomor = {number}$", block, re.MULTILINE)]
    assert len(found) == 1, f"expected one [[langkah]] with nomor = {number}, found {len(found)}"
    return found[0]


def _join_steps(head: str, blocks: list[str]) -> str:
    return head + "".join(STEP_HEADER + block.rstrip("\n") + "\n\n" for block in blocks)


def edit_step(number: int, old: str, new: str, *, text: str = REAL_TEXT) -> str:
    """Replace ``old`` by ``new`` inside the [[langkah]] table whose nomor is ``number``."""
    head, blocks = _split_steps(text)
    i = _block_index(blocks, number)
    blocks[i] = replace_once(blocks[i], old, new)
    return _join_steps(head, blocks)


def remove_step(number: int, *, text: str = REAL_TEXT) -> str:
    head, blocks = _split_steps(text)
    del blocks[_block_index(blocks, number)]
    return _join_steps(head, blocks)


def swap_kinds(a: int, b: int, *, text: str = REAL_TEXT) -> str:
    head, blocks = _split_steps(text)
    ia, ib = _block_index(blocks, a), _block_index(blocks, b)
    kind = re.compile(r'^tindakan = "[a-z]+"$', re.MULTILINE)
    ka, kb = kind.search(blocks[ia]).group(0), kind.search(blocks[ib]).group(0)
    blocks[ia] = replace_once(blocks[ia], ka, kb)
    blocks[ib] = replace_once(blocks[ib], kb, ka)
    return _join_steps(head, blocks)


def without_section(name: str, next_name: str, *, text: str = REAL_TEXT) -> str:
    """Cut ``[name]`` and everything up to (not including) ``[next_name]``."""
    start = text.index(f"\n[{name}]\n")
    end = text.index(f"\n[{next_name}]\n")
    assert start < end
    return text[:start] + text[end:]


def append_step(block: str, *, text: str = REAL_TEXT) -> str:
    return text.rstrip("\n") + "\n\n" + STEP_HEADER + "\n" + block.strip("\n") + "\n"


@dataclass(frozen=True)
class BadDefinition:
    """A definition file with one mistake, the field the error must name and the problem it must state."""

    name: str
    text: str
    field: str
    problem: str


FINAL_REVIEW = """
nomor = 11
kegiatan = "Memeriksa kembali berita yang sudah diunggah"
pelaksana = ["kabid"]
tindakan = "telaah"
kelengkapan = "Berita"
waktu_menit = 10
output = "Berita"
"""

# 1 → 2 → 3 → 4 → 6 → 5 → 7 …: every step is reached once, but step 6 (which may return to 5) comes
# before step 5, so "return to 5" would send the berita forward past the Kadis.
STEP_6_BEFORE_5 = edit_step(
    4,
    "berikutnya = 5",
    "berikutnya = 6",
    text=edit_step(6, "berikutnya = 7", "berikutnya = 5", text=edit_step(5, "berikutnya = 6", "berikutnya = 7")),
)

BAD_DEFINITIONS = [
    BadDefinition(
        "unknown role in a step",
        edit_step(4, 'pelaksana = ["kabid"]', 'pelaksana = ["kabag"]'),
        "langkah 4.pelaksana",
        "peran tidak dikenal 'kabag'",
    ),
    BadDefinition(
        "unknown role in [pelaksana]",
        replace_once(REAL_TEXT, 'kadis = "Kepala Dinas"', 'kadis = "Kepala Dinas"\nbupati = "Bupati Tabanan"'),
        "pelaksana.bupati",
        "peran tidak dikenal 'bupati'",
    ),
    BadDefinition(
        "duplicate step number",
        edit_step(5, "nomor = 5", "nomor = 4"),
        "langkah 4.nomor",
        "nomor langkah ganda",
    ),
    BadDefinition(
        "missing step number",
        edit_step(4, "berikutnya = 5", "berikutnya = 6", text=remove_step(5)),
        "langkah",
        "tidak ada langkah 5",
    ),
    BadDefinition(
        "zero minutes",
        edit_step(4, "waktu_menit = 30", "waktu_menit = 0"),
        "langkah 4.waktu_menit",
        "harus bilangan bulat positif, bukan 0",
    ),
    BadDefinition(
        "negative minutes",
        edit_step(7, "waktu_menit = 10", "waktu_menit = -10"),
        "langkah 7.waktu_menit",
        "harus bilangan bulat positif, bukan -10",
    ),
    BadDefinition(
        "missing time",
        edit_step(4, "waktu_menit = 30\n", ""),
        "langkah 4.waktu_menit",
        "standar waktu wajib diisi (dalam menit)",
    ),
    BadDefinition(
        "fractional minutes",
        edit_step(4, "waktu_menit = 30", "waktu_menit = 30.5"),
        "langkah 4.waktu_menit",
        "harus bilangan bulat positif, bukan 30.5",
    ),
    BadDefinition(
        "minutes as text",
        edit_step(4, "waktu_menit = 30", 'waktu_menit = "30"'),
        "langkah 4.waktu_menit",
        "harus bilangan bulat positif, bukan '30'",
    ),
    BadDefinition(
        "minutes as a boolean",
        edit_step(4, "waktu_menit = 30", "waktu_menit = true"),
        "langkah 4.waktu_menit",
        "harus bilangan bulat positif, bukan True",
    ),
    BadDefinition(
        "step never reached",
        edit_step(4, "berikutnya = 5", "berikutnya = 6"),
        "langkah 5",
        "tidak pernah dicapai",
    ),
    BadDefinition(
        "next step does not exist",
        edit_step(9, "berikutnya = 10", "berikutnya = 12"),
        "langkah 9.berikutnya",
        "langkah 12 tidak ada",
    ),
    BadDefinition(
        "next step is itself",
        edit_step(9, "berikutnya = 10", "berikutnya = 9"),
        "langkah 9.berikutnya",
        "tidak boleh menunjuk dirinya sendiri",
    ),
    BadDefinition(
        "steps form a loop",
        edit_step(5, "berikutnya = 6", "berikutnya = 3"),
        "langkah 5.berikutnya",
        "membentuk putaran kembali ke langkah 3",
    ),
    BadDefinition(
        "steps not passed in the order of their numbers",
        STEP_6_BEFORE_5,
        "langkah 6.berikutnya",
        "langkah 5 bernomor lebih kecil; langkah harus dijalankan menurut nomornya",
    ),
    BadDefinition(
        "return to a later step",
        edit_step(4, "kembali_ke = [3]", "kembali_ke = [5]"),
        "langkah 4.kembali_ke",
        "langkah 5 bukan langkah sebelumnya",
    ),
    BadDefinition(
        "return to itself (one pelaksana)",
        edit_step(4, "kembali_ke = [3]", "kembali_ke = [4]"),
        "langkah 4.kembali_ke",
        "langkah 4 bukan langkah sebelumnya",
    ),
    BadDefinition(
        "return to a step that does not exist",
        edit_step(6, "kembali_ke = [3, 4, 5]", "kembali_ke = [3, 4, 12]"),
        "langkah 6.kembali_ke",
        "langkah 12 bukan langkah sebelumnya",
    ),
    BadDefinition(
        "return to step 2, before the page exists",
        edit_step(4, "kembali_ke = [3]", "kembali_ke = [2]"),
        "langkah 4.kembali_ke",
        "langkah 2 terjadi sebelum naskah ditulis",
    ),
    BadDefinition(
        "return to step 1, before the page exists",
        edit_step(6, "kembali_ke = [3, 4, 5]", "kembali_ke = [1, 3]"),
        "langkah 6.kembali_ke",
        "langkah 1 terjadi sebelum naskah ditulis",
    ),
    BadDefinition(
        "malformed TOML",
        replace_once(REAL_TEXT, 'nomor = "065/0812/ORG"', 'nomor = "065/0812/ORG'),
        "berkas",
        "bukan TOML yang sah",
    ),
    BadDefinition(
        "missing [identitas]",
        without_section("identitas", "pelaksana"),
        "identitas",
        "bagian [identitas] tidak ada",
    ),
    BadDefinition(
        "NIP of 17 digits",
        replace_once(REAL_TEXT, 'nip = "197310261993021003"', 'nip = "19731026199302100"'),
        "identitas.pengesahan.nip",
        "NIP harus 18 angka",
    ),
    BadDefinition(
        "NIP with a letter",
        replace_once(REAL_TEXT, 'nip = "197310261993021003"', 'nip = "l97310261993021003"'),
        "identitas.pengesahan.nip",
        "NIP harus 18 angka",
    ),
    BadDefinition(
        "unknown key in a step",
        edit_step(4, "waktu_menit = 30", "waktu_menit = 30\nwaktu_jam = 1"),
        "langkah[4].waktu_jam",
        "kunci tidak dikenal",
    ),
    BadDefinition(
        "disposisi before rencana",
        swap_kinds(1, 2),
        "langkah",
        "urutan harus: rencana, disposisi, liputan, …, unggah",
    ),
    BadDefinition(
        "a page step before liputan",
        swap_kinds(3, 4),
        "langkah 3.tindakan",
        "langkah naskah sebelum 'liputan'",
    ),
    BadDefinition(
        "last step is not unggah",
        append_step(FINAL_REVIEW, text=edit_step(10, 'output = "Berita"', 'output = "Berita"\nberikutnya = 11')),
        "langkah 11",
        "langkah terakhir harus 'unggah'",
    ),
    BadDefinition(
        "unggah before tugaskan",
        swap_kinds(9, 10),
        "langkah 10",
        "langkah terakhir harus 'unggah'",
    ),
]


# --- the real definition -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def defn() -> rules.SopDefinition:
    return rules.parse_definition(REAL_TEXT)


def test_real_file_has_ten_steps_in_order(defn):
    """The real SOP has ten steps, numbered 1–10 and passed in that order."""
    assert len(defn.steps) == 10
    assert [s.number for s in defn.steps] == list(range(1, 11))
    assert [s.number for s in defn.in_order()] == list(range(1, 11))
    assert [s.next for s in defn.steps] == [2, 3, 4, 5, 6, 7, 8, 9, 10, None]


def test_real_file_time_standards(defn):
    """The time standards are those of the signed SOP: 330 minutes in total, 180 for the gathering."""
    assert [s.minutes for s in defn.in_order()] == [10, 10, 180, 30, 30, 30, 10, 10, 10, 10]
    assert defn.total_minutes == 330


def test_real_file_page_steps(defn):
    """Steps 3–10 are done on the page (inside the Wagtail workflow); steps 1 and 2 are not."""
    assert [s.number for s in defn.page_steps()] == [3, 4, 5, 6, 7, 8, 9, 10]


def test_real_file_actors_and_kinds(defn):
    """Each step has the pelaksana and the kind of the SOP table; only step 3 has two pelaksana."""
    assert {s.number: s.actors for s in defn.steps} == {
        1: (Role.KASI,),
        2: (Role.KASI,),
        3: (Role.STAF, Role.KASI),
        4: (Role.KABID,),
        5: (Role.SEKDIS,),
        6: (Role.KADIS,),
        7: (Role.SEKDIS,),
        8: (Role.KABID,),
        9: (Role.KASI,),
        10: (Role.STAF,),
    }
    assert [s.kind for s in defn.in_order()] == [
        StepKind.PLAN,
        StepKind.DISPOSE,
        StepKind.GATHER,
        StepKind.REVIEW,
        StepKind.REVIEW,
        StepKind.REVIEW,
        StepKind.HAND_OVER,
        StepKind.HAND_OVER,
        StepKind.ASSIGN_UPLOADER,
        StepKind.PUBLISH,
    ]
    assert defn.step(3).completing_actor == Role.KASI
    assert defn.step(3).actor_labels == "Staf → Kasi"
    assert defn.step_of_kind(StepKind.PUBLISH).number == 10


def test_real_file_returns_and_editing(defn):
    """Returns are declared at steps 3–6 only, and only the Kadis (step 6) may edit the text."""
    assert {s.number: s.returns_to for s in defn.steps if s.returns_to} == {3: (3,), 4: (3,), 5: (3, 4), 6: (3, 4, 5)}
    assert [s.number for s in defn.steps if s.may_edit] == [6]


def test_real_file_identity(defn):
    """The identity block is read in full; the approving official's NIP is kept as 18 digits."""
    identity = defn.identity
    assert identity["nomor"] == "065/0812/ORG"
    assert identity["judul"] == "Standar Operasional Prosedur (SOP) Pengelolaan Website"
    assert identity["instansi"] == "Dinas Komunikasi dan Informatika Kabupaten Tabanan"
    assert identity["tanggal_pembuatan"] == dt.date(2017, 1, 3)
    assert identity["tanggal_revisi"] == dt.date(2019, 10, 10)
    assert identity["tanggal_efektif"] is None
    assert len(identity["dasar_hukum"]) == 2
    assert identity["peralatan"] == ["Komputer", "Printer", "Kertas"]
    assert identity["keterkaitan"] == [] and identity["peringatan"] == [] and identity["pencatatan"] == []
    assert identity["pengesahan"] == {
        "jabatan": "Kepala Dinas Komunikasi dan Informatika Kabupaten Tabanan",
        "nama": "Drs. H. Putu Dian Setiawan",
        "pangkat": "Pembina Tk. I",
        "nip": "197310261993021003",
    }


def test_real_file_role_titles(defn):
    """Every role has its full title from [pelaksana]."""
    assert set(defn.role_titles) == set(Role)
    assert defn.role_titles[Role.KASI] == "Kepala Seksi Pengelolaan Informasi Publik"
    assert defn.role_titles[Role.KADIS] == "Kepala Dinas"


def test_definition_keeps_its_source(defn):
    """The parsed definition carries the exact text it came from (stored with each version)."""
    assert defn.source == REAL_TEXT


def test_unknown_step_number_is_a_key_error(defn):
    """Asking for a step the SOP does not have is a programming error, not a silent None."""
    with pytest.raises(KeyError):
        defn.step(11)


def test_nip_may_be_written_with_spaces():
    """A NIP written in its usual grouped form is accepted and stored as 18 digits."""
    text = replace_once(REAL_TEXT, 'nip = "197310261993021003"', 'nip = "19731026 199302 1 003"')
    assert rules.parse_definition(text).identity["pengesahan"]["nip"] == "197310261993021003"


def test_order_of_step_tables_in_the_file_does_not_matter(defn):
    """Listing the [[langkah]] tables in another order gives the same procedure (it follows 'berikutnya')."""
    head, blocks = _split_steps(REAL_TEXT)
    reordered = rules.parse_definition(_join_steps(head, list(reversed(blocks))))
    assert [s.number for s in reordered.in_order()] == list(range(1, 11))
    assert [s.number for s in reordered.page_steps()] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert reordered.total_minutes == 330
    assert rules.allowed_actions(reordered, Position(6), Role.KADIS) == (Action.FORWARD, Action.RETURN)


def test_single_pelaksana_may_be_written_as_text():
    """``pelaksana = "kabid"`` means the same as ``pelaksana = ["kabid"]``."""
    text = edit_step(4, 'pelaksana = ["kabid"]', 'pelaksana = "kabid"')
    assert rules.parse_definition(text).step(4).actors == (Role.KABID,)


def test_time_standard_change_is_read():
    """A changed time standard is what the parsed definition reports (and changes the total)."""
    text = edit_step(4, "waktu_menit = 30", "waktu_menit = 45")
    changed = rules.parse_definition(text)
    assert changed.step(4).minutes == 45
    assert changed.total_minutes == 345


# --- who may act: every step x every role --------------------------------------------------------

ALL_POSITIONS = [Position(1), Position(2), Position(3, 0), Position(3, 1)] + [Position(n) for n in range(4, 11)]

# What the holder of each position may do; everybody else may do nothing.
EXPECTED_ACTIONS = {
    Position(1): (Role.KASI, (Action.PLAN,)),
    Position(2): (Role.KASI, (Action.DISPOSE,)),
    Position(3, 0): (Role.STAF, (Action.SUBMIT,)),
    Position(3, 1): (Role.KASI, (Action.FORWARD, Action.RETURN)),
    Position(4): (Role.KABID, (Action.FORWARD, Action.RETURN)),
    Position(5): (Role.SEKDIS, (Action.FORWARD, Action.RETURN)),
    Position(6): (Role.KADIS, (Action.FORWARD, Action.RETURN)),
    Position(7): (Role.SEKDIS, (Action.FORWARD,)),
    Position(8): (Role.KABID, (Action.FORWARD,)),
    Position(9): (Role.KASI, (Action.ASSIGN,)),
    Position(10): (Role.STAF, (Action.PUBLISH,)),
}

EXPECTED_RETURNS = {Position(3, 1): (3,), Position(4): (3,), Position(5): (3, 4), Position(6): (3, 4, 5)}

# Where each completing (or submitting) action leads.
EXPECTED_NEXT = {
    Position(1): Position(2),
    Position(2): Position(3, 0),
    Position(3, 0): Position(3, 1),
    Position(3, 1): Position(4),
    Position(4): Position(5),
    Position(5): Position(6),
    Position(6): Position(7),
    Position(7): Position(8),
    Position(8): Position(9),
    Position(9): Position(10),
    Position(10): DONE,
}


def _pos_id(position: Position) -> str:
    return f"{position.step}.{position.phase}"


def test_expectation_tables_cover_every_position():
    """The tables below describe every position an item can be at in the real SOP."""
    assert set(EXPECTED_ACTIONS) == set(ALL_POSITIONS) == set(EXPECTED_NEXT)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("position", ALL_POSITIONS, ids=_pos_id)
def test_allowed_actions_for_every_step_and_role(defn, position, role):
    """Only the pelaksana holding the step gets actions, and exactly the ones the SOP gives that step."""
    holder, actions = EXPECTED_ACTIONS[position]
    assert rules.actor_at(defn, position) == holder
    expected = actions if role == holder else ()
    assert rules.allowed_actions(defn, position, role) == expected
    for action in Action:
        assert rules.can_act(defn, position, role, action) == (action in expected)


def test_staf_at_step_3_only_submits(defn):
    """At step 3 the Staf only reports to the Kasi; forwarding and returning are the Kasi's."""
    assert rules.allowed_actions(defn, Position(3, 0), Role.STAF) == (Action.SUBMIT,)
    assert rules.allowed_actions(defn, Position(3, 0), Role.KASI) == ()
    assert rules.allowed_actions(defn, Position(3, 1), Role.KASI) == (Action.FORWARD, Action.RETURN)
    assert rules.allowed_actions(defn, Position(3, 1), Role.STAF) == ()


def test_hand_over_steps_cannot_return(defn):
    """Steps 7 and 8 only hand the berita down; there is no return."""
    for number in (7, 8):
        holder = defn.step(number).actors[0]
        assert Action.RETURN not in rules.allowed_actions(defn, Position(number), holder)
        assert rules.return_targets(defn, Position(number)) == ()


@pytest.mark.parametrize("position", ALL_POSITIONS, ids=_pos_id)
def test_return_targets(defn, position):
    """Returns go only to earlier page steps: Kadis 3/4/5, Sekdis 3/4, Kabid 3, Kasi back to the Staf."""
    assert rules.return_targets(defn, position) == EXPECTED_RETURNS.get(position, ())


# --- where an item goes --------------------------------------------------------------------------


@pytest.mark.parametrize("position", ALL_POSITIONS, ids=_pos_id)
def test_next_position_for_the_completing_action(defn, position):
    """The holder's main action moves the item to the next step (or within step 3 to the Kasi)."""
    holder, actions = EXPECTED_ACTIONS[position]
    assert rules.next_position(defn, position, holder, actions[0]) == EXPECTED_NEXT[position]


def test_publishing_at_step_10_ends_the_procedure(defn):
    """When the Staf publishes at step 10 the item has no next position: it is published."""
    assert DONE is None
    assert rules.next_position(defn, Position(10), Role.STAF, Action.PUBLISH) is DONE


def test_walk_through_all_ten_steps(defn):
    """Following the holder's action from step 1 reaches publication after eleven actions."""
    position, trail = Position(1), []
    while position is not DONE:
        role = rules.actor_at(defn, position)
        action = rules.allowed_actions(defn, position, role)[0]
        trail.append((position.step, role, action))
        position = rules.next_position(defn, position, role, action)
        assert len(trail) <= 11
    assert trail == [
        (1, Role.KASI, Action.PLAN),
        (2, Role.KASI, Action.DISPOSE),
        (3, Role.STAF, Action.SUBMIT),
        (3, Role.KASI, Action.FORWARD),
        (4, Role.KABID, Action.FORWARD),
        (5, Role.SEKDIS, Action.FORWARD),
        (6, Role.KADIS, Action.FORWARD),
        (7, Role.SEKDIS, Action.FORWARD),
        (8, Role.KABID, Action.FORWARD),
        (9, Role.KASI, Action.ASSIGN),
        (10, Role.STAF, Action.PUBLISH),
    ]


@pytest.mark.parametrize(
    ("position", "role", "target", "expected"),
    [
        (Position(3, 1), Role.KASI, 3, Position(3, 0)),
        (Position(4), Role.KABID, 3, Position(3, 0)),
        (Position(5), Role.SEKDIS, 3, Position(3, 0)),
        (Position(5), Role.SEKDIS, 4, Position(4, 0)),
        (Position(6), Role.KADIS, 3, Position(3, 0)),
        (Position(6), Role.KADIS, 4, Position(4, 0)),
        (Position(6), Role.KADIS, 5, Position(5, 0)),
    ],
    ids=lambda v: _pos_id(v) if isinstance(v, Position) else str(v),
)
def test_allowed_returns(defn, position, role, target, expected):
    """A return puts the item at the start of the target step; returning to step 3 gives it back to the Staf."""
    assert rules.next_position(defn, position, role, Action.RETURN, return_to=target) == expected


def test_kasi_return_at_step_3_goes_back_to_the_staf(defn):
    """The Kasi's return at step 3 hands the text back to the Staf who wrote it (phase 0)."""
    back = rules.next_position(defn, Position(3, 1), Role.KASI, Action.RETURN, return_to=3)
    assert back == Position(3, 0)
    assert rules.actor_at(defn, back) == Role.STAF
    assert rules.allowed_actions(defn, back, Role.STAF) == (Action.SUBMIT,)


@pytest.mark.parametrize(
    ("position", "role", "target", "allowed"),
    [
        (Position(6), Role.KADIS, 6, "3, 4, 5"),
        (Position(6), Role.KADIS, 7, "3, 4, 5"),
        (Position(6), Role.KADIS, 2, "3, 4, 5"),
        (Position(6), Role.KADIS, 1, "3, 4, 5"),
        (Position(6), Role.KADIS, None, "3, 4, 5"),
        (Position(5), Role.SEKDIS, 5, "3, 4"),
        (Position(5), Role.SEKDIS, 6, "3, 4"),
        (Position(4), Role.KABID, 4, "3"),
        (Position(4), Role.KABID, 2, "3"),
        (Position(3, 1), Role.KASI, 4, "3"),
        (Position(3, 1), Role.KASI, 2, "3"),
    ],
    ids=lambda v: _pos_id(v) if isinstance(v, Position) else str(v),
)
def test_bad_return_target_is_refused(defn, position, role, target, allowed):
    """A return to a step the SOP does not list is refused, and the message lists the steps that are allowed."""
    with pytest.raises(InvalidTransition) as exc:
        rules.next_position(defn, position, role, Action.RETURN, return_to=target)
    assert str(exc.value) == f"Dari langkah {position.step} naskah hanya dapat dikembalikan ke langkah {allowed}."


WRONG_ROLE_CASES = [
    (position, role, action)
    for position, (holder, _actions) in EXPECTED_ACTIONS.items()
    for role in Role
    if role != holder
    for action in Action
]


@pytest.mark.parametrize(
    ("position", "role", "action"),
    WRONG_ROLE_CASES,
    ids=[f"{_pos_id(p)}-{r.value}-{a.value}" for p, r, a in WRONG_ROLE_CASES],
)
def test_wrong_role_is_refused(defn, position, role, action):
    """Nobody but the step's holder may act on it; the message names who holds the step."""
    holder = EXPECTED_ACTIONS[position][0]
    with pytest.raises(InvalidTransition) as exc:
        rules.next_position(defn, position, role, action, return_to=3)
    assert str(exc.value) == f"Langkah {position.step} dikerjakan oleh {holder.label}, bukan {role.label}."


def test_staf_cannot_forward_step_4(defn):
    """A Staf cannot forward step 4."""
    with pytest.raises(InvalidTransition, match=r"^Langkah 4 dikerjakan oleh Kabid, bukan Staf\.$"):
        rules.next_position(defn, Position(4), Role.STAF, Action.FORWARD)


def test_kasi_cannot_take_step_3_from_the_staf(defn):
    """Before the Staf reports, the Kasi cannot forward or return step 3."""
    for action in (Action.FORWARD, Action.RETURN):
        with pytest.raises(InvalidTransition, match=r"^Langkah 3 dikerjakan oleh Staf, bukan Kasi\.$"):
            rules.next_position(defn, Position(3, 0), Role.KASI, action, return_to=3)


WRONG_ACTION_CASES = [
    (position, holder, action)
    for position, (holder, actions) in EXPECTED_ACTIONS.items()
    for action in Action
    if action not in actions
]


@pytest.mark.parametrize(
    ("position", "role", "action"),
    WRONG_ACTION_CASES,
    ids=[f"{_pos_id(p)}-{r.value}-{a.value}" for p, r, a in WRONG_ACTION_CASES],
)
def test_wrong_action_is_refused(defn, position, role, action):
    """The holder may only take the actions of the step, e.g. no return at steps 7–9, no publish before 10."""
    with pytest.raises(InvalidTransition) as exc:
        rules.next_position(defn, position, role, action, return_to=3)
    assert str(exc.value) == f"Tindakan ini tidak tersedia pada langkah {position.step}."


def test_sekdis_cannot_return_at_step_7(defn):
    """The Sekdis hands the berita down at step 7 and cannot send it back."""
    with pytest.raises(InvalidTransition, match=r"^Tindakan ini tidak tersedia pada langkah 7\.$"):
        rules.next_position(defn, Position(7), Role.SEKDIS, Action.RETURN, return_to=3)


# --- time standards ------------------------------------------------------------------------------

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)


def after(**delta) -> dt.datetime:
    return START + dt.timedelta(**delta)


def test_elapsed_minutes_counts_whole_minutes():
    """Elapsed time is counted in whole minutes, rounded down."""
    assert rules.elapsed_minutes(START, START) == 0
    assert rules.elapsed_minutes(START, after(seconds=59)) == 0
    assert rules.elapsed_minutes(START, after(minutes=29, seconds=59)) == 29
    assert rules.elapsed_minutes(START, after(minutes=30)) == 30
    assert rules.elapsed_minutes(START, after(days=1, minutes=5)) == 1445


def test_elapsed_minutes_across_time_zones():
    """The same instant written in another time zone is no time at all."""
    assert rules.elapsed_minutes(START, START.astimezone(dt.UTC)) == 0
    assert rules.elapsed_minutes(START, after(minutes=45).astimezone(dt.UTC)) == 45


def test_end_before_start_is_an_error():
    """A step cannot end before it started; that is a bug, not a negative duration."""
    with pytest.raises(ValueError, match="end before start"):
        rules.elapsed_minutes(START, after(seconds=-1))
    with pytest.raises(ValueError, match="end before start"):
        rules.minutes_over(START, after(minutes=-10), 30)


def test_deadline():
    """The deadline of a step is its start plus its standard."""
    assert rules.deadline(START, 180) == dt.datetime(2026, 11, 23, 11, 0, tzinfo=WITA)
    assert rules.deadline(START, 0) == START
    assert rules.deadline(dt.datetime(2026, 11, 23, 23, 50, tzinfo=WITA), 30) == dt.datetime(
        2026, 11, 24, 0, 20, tzinfo=WITA
    )


def test_minutes_over():
    """Minutes over the standard are zero within the standard, then count whole minutes past it."""
    assert rules.minutes_over(START, after(minutes=25), 30) == 0
    assert rules.minutes_over(START, after(minutes=30), 30) == 0
    assert rules.minutes_over(START, after(minutes=30, seconds=59), 30) == 0
    assert rules.minutes_over(START, after(minutes=31), 30) == 1
    assert rules.minutes_over(START, after(minutes=45), 30) == 15
    assert rules.minutes_over(START, after(hours=4), 180) == 60


def test_is_on_time():
    """A step is on time up to and including its standard, late from one minute past."""
    assert rules.is_on_time(0, 30)
    assert rules.is_on_time(30, 30)
    assert not rules.is_on_time(31, 30)
    assert rules.is_on_time(160, 180)
    assert not rules.is_on_time(45, 30)


def test_deadline_and_on_time_agree():
    """Finishing exactly at the deadline is on time and zero minutes over."""
    end = rules.deadline(START, 30)
    assert rules.is_on_time(rules.elapsed_minutes(START, end), 30)
    assert rules.minutes_over(START, end, 30) == 0


# --- validation of the definition file -----------------------------------------------------------


def test_bad_definitions_are_edits_of_the_real_file():
    """Each bad definition differs from the real file, and the list has no duplicates."""
    texts = [bad.text for bad in BAD_DEFINITIONS]
    assert REAL_TEXT not in texts
    assert len(set(texts)) == len(texts)
    assert len({bad.name for bad in BAD_DEFINITIONS}) == len(BAD_DEFINITIONS)


@pytest.mark.parametrize("bad", BAD_DEFINITIONS, ids=lambda bad: bad.name)
def test_bad_definition_is_refused(bad):
    """A definition with a mistake is refused; the error names where the mistake is and says what it is."""
    with pytest.raises(SopDefinitionError) as exc:
        rules.parse_definition(bad.text)
    assert exc.value.field == bad.field
    assert bad.problem in exc.value.problem
    assert str(exc.value) == f"{exc.value.field}: {exc.value.problem}"


def test_return_to_a_step_later_in_the_procedure_is_refused():
    """A return target must come earlier in the procedure, not merely have a smaller number: a file
    that runs step 6 before step 5 (and lets 6 return to 5) is refused."""
    with pytest.raises(SopDefinitionError) as exc:
        rules.parse_definition(STEP_6_BEFORE_5)
    assert exc.value.field == "langkah 6.berikutnya"
    assert "menurut nomornya" in exc.value.problem


def test_definition_error_is_a_value_error():
    """Callers that only know ValueError still catch a bad definition."""
    with pytest.raises(ValueError):
        rules.parse_definition(BAD_DEFINITIONS[0].text)


def test_missing_time_message():
    """A missing time standard says so in Indonesian, naming the step."""
    with pytest.raises(SopDefinitionError) as exc:
        rules.parse_definition(edit_step(9, "waktu_menit = 10\n", ""))
    assert str(exc.value) == "langkah 9.waktu_menit: standar waktu wajib diisi (dalam menit)"


def test_empty_file_is_refused():
    """An empty file has no [identitas] and is refused."""
    with pytest.raises(SopDefinitionError) as exc:
        rules.parse_definition("")
    assert (exc.value.field, exc.value.problem) == ("identitas", "bagian [identitas] tidak ada")


def test_file_without_steps_is_refused():
    """A file with identity and roles but no [[langkah]] is refused."""
    head, _blocks = _split_steps(REAL_TEXT)
    with pytest.raises(SopDefinitionError) as exc:
        rules.parse_definition(head)
    assert exc.value.field == "langkah"
    assert "tidak ada langkah" in exc.value.problem
