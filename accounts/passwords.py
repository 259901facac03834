"""A password validator for the guesses an attacker tries first against a regency office.

Django's validators refuse short, all-digit, common and name-like passwords. What they let through
is what credential-stuffing lists and people in an office actually use: the office's or the
region's name with a year (``Tabanan2024!``, ``Diskominfo@123``), the word for password
(``sandi``, ``password``, ``admin``) with digits, a keyboard run (``qwertyuiop123``), a date
(``17-08-1945-17``) or one character repeated. ``GuessablePasswordValidator`` takes those parts
out of the password and refuses it when fewer than ``min_rest`` characters of its own are left.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Lower case, after undoing the usual substitutions (see _plain). Longer words first, so that
# "diskominfo" is taken whole before "kominfo" or "info" could match inside it.
GUESSABLE_WORDS = sorted(
    {
        # the office, the regency, the province, the application
        "diskominfo",
        "kominfo",
        "dinas",
        "kabupaten",
        "pemkab",
        "tabanankab",
        "tabanan",
        "bali",
        "denpasar",
        "lontar",
        "indonesia",
        "nusantara",
        "merdeka",
        "garuda",
        "pancasila",
        # "password" in both languages, and what people put instead
        "password",
        "passwd",
        "pass",
        "sandi",
        "katasandi",
        "kata",
        "rahasia",
        "admin",
        "administrator",
        "root",
        "login",
        "masuk",
        "user",
        "pengguna",
        "welcome",
        "selamat",
        "datang",
        "default",
        "test",
        "testing",
        "coba",
        # keyboard rows typed as words
        "qwerty",
        "qwertz",
        "azerty",
        "asdf",
        "zxcv",
        # the commonest words in Indonesian password leaks
        "bismillah",
        "sayang",
        "cinta",
        "iloveyou",
        "rahayu",
        "astungkara",
        "swastiastu",
    },
    key=len,
    reverse=True,
)

_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
# 4-digit years 1900–2099, and day-month-year in any order with or without separators.
_DATE = re.compile(
    r"(?:(?:0?[1-9]|[12]\d|3[01])[-/._ ]?(?:0?[1-9]|1[0-2])[-/._ ]?(?:19|20)?\d\d"
    r"|(?:19|20)\d\d[-/._ ]?(?:0?[1-9]|1[0-2])[-/._ ]?(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:19|20)\d\d)"
)


def _plain(text: str) -> str:
    """Lower case, with the digits and symbols that stand in for letters turned back."""
    return text.lower().translate(_LEET)


def _runs(text: str, minimum: int = 4):
    """(start, end) of every keyboard or alphabet run of at least ``minimum`` characters in
    ``text``, forwards or backwards ("1234", "qwer", "lkjh", "abcd")."""
    spans = []
    for row in _KEYBOARD_ROWS:
        for seq in (row, row[::-1]):
            i = 0
            while i < len(text):
                j = i
                while j + 1 < len(text) and text[j] in seq and seq.find(text[j + 1]) == seq.find(text[j]) + 1:
                    j += 1
                if j - i + 1 >= minimum:
                    spans.append((i, j + 1))
                    i = j + 1
                else:
                    i += 1
    return spans


def _blank(text: str, spans) -> str:
    chars = list(text)
    for start, end in spans:
        for k in range(start, end):
            chars[k] = " "
    return "".join(chars)


class GuessablePasswordValidator:
    """Refuse a password made of guessable parts (see the module): a single repeated character,
    a keyboard or alphabet run, a date, or the office's words (and the user's own names) with
    digits and symbols around them. What remains after removing those parts must hold at least
    ``min_rest`` characters."""

    def __init__(self, min_rest: int = 4):
        self.min_rest = min_rest

    def validate(self, password, user=None):
        lowered = password.lower()
        if len(set(lowered)) <= 1:
            raise ValidationError(_("Kata sandi ini hanya satu karakter yang diulang-ulang."), code="password_repeated")
        compact = re.sub(r"[\W_]+", "", lowered)
        if compact and sum(end - start for start, end in _runs(compact, 4)) == len(compact):
            raise ValidationError(
                _("Kata sandi ini hanya urutan tombol papan ketik atau abjad (seperti qwerty atau 12345)."),
                code="password_sequence",
            )
        if re.fullmatch(r"[\d\W_]+", lowered) and _DATE.search(re.sub(r"\D", "", lowered)):
            raise ValidationError(_("Kata sandi ini hanya sebuah tanggal."), code="password_date")
        words = [*self._user_words(user), *GUESSABLE_WORDS]
        # Digits and symbols are read both as letters ("P4ssw0rd") and as mere padding
        # ("Diskominfo@123"); the password must hold enough of its own either way.
        if min(len(self._rest(password, words, leet=flag)) for flag in (True, False)) < self.min_rest:
            raise ValidationError(
                _(
                    "Kata sandi ini mudah ditebak: isinya kata umum (nama kantor atau daerah, "
                    "“sandi”, “admin”, nama Anda) dengan angka, tahun, tanggal atau urutan papan "
                    "ketik. Tambahkan kata-kata lain yang hanya Anda ketahui."
                ),
                code="password_guessable",
            )

    @staticmethod
    def _rest(password: str, words: list[str], *, leet: bool) -> str:
        """What is left of the password once the guessable parts are taken out."""
        # Dates and keyboard runs are found on the characters as typed, before 1→i and 0→o.
        text = password.lower()
        text = _DATE.sub(" ", text)
        text = _blank(text, _runs(text, 4))
        text = _plain(text) if leet else re.sub(r"[^a-z]", " ", text)
        for word in words:
            text = text.replace(word, " ")
        text = _blank(text, _runs(text, 4))
        text = re.sub(r"[^a-z]", "", text)
        # "aaaa" adds nothing: count each run of one letter once.
        return re.sub(r"(.)\1+", r"\1", text)

    @staticmethod
    def _user_words(user) -> list[str]:
        if user is None:
            return []
        parts = []
        for attr in ("username", "first_name", "last_name", "email"):
            value = str(getattr(user, attr, "") or "")
            parts += re.split(r"[\W_@.]+", _plain(value))
        return sorted({p for p in parts if len(p) >= 3}, key=len, reverse=True)

    def get_help_text(self):
        return _(
            "Kata sandi tidak boleh berupa nama kantor atau daerah, “sandi”, “admin” atau nama Anda "
            "dengan angka atau tahun, urutan papan ketik, tanggal, atau satu karakter yang diulang."
        )
