"""The password policy: at least 12 characters, not like the person's name, not a common or an
all-digit password, and nothing made of the guesses tried first against this office
(accounts.passwords). Messages in Indonesian, wherever a password is set in the admin."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import get_default_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import translation

from accounts.passwords import GuessablePasswordValidator
from lontar.testing import build_world


def codes(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


class GuessablePasswordValidatorTest(SimpleTestCase):
    def refused(self, password, user=None):
        try:
            GuessablePasswordValidator().validate(password, user)
        except ValidationError as error:
            return error.code
        return None

    def test_office_and_region_words_with_digits_and_years_are_refused(self):
        for password in [
            "Tabanan2024!!",
            "tabanan123456",
            "Diskominfo@123",
            "DISKOMINFO2025",
            "kominfo_tabanan_1",
            "Lontar#Bali#2025",
            "bali12345678",
            "Password2024!",
            "P4ssw0rd2024",
            "sandi12345678",
            "katasandi2025",
            "admin@tabanan1",
            "Administrator1!",
            "qwerty2024bali",
            "Indonesia1945!",
            "BismillahSandi99",
            "tabanankab2025!",
        ]:
            with self.subTest(password=password):
                self.assertEqual(self.refused(password), "password_guessable")

    def test_keyboard_and_alphabet_runs_are_refused(self):
        for password in ["qwertyuiop1234", "asdfghjkl;'1234", "1234567890abcd", "zyxwvutsrqpo", "0987654321qwer"]:
            with self.subTest(password=password):
                self.assertEqual(self.refused(password), "password_sequence")

    def test_one_repeated_character_is_refused(self):
        for password in ["aaaaaaaaaaaaaa", "111111111111", "............"]:
            with self.subTest(password=password):
                self.assertEqual(self.refused(password), "password_repeated")

    def test_dates_are_refused(self):
        for password in ["17-08-1945 17.08", "17081945-1708", "2024/12/31 2025", "31.12.1999 00:00"]:
            with self.subTest(password=password):
                self.assertEqual(self.refused(password), "password_date")

    def test_the_persons_own_names_count_as_guessable(self):
        user = get_user_model()(username="wirawan", first_name="I Putu", last_name="Wirawan", email="putu.w@example.id")
        self.assertEqual(self.refused("Wirawan2025!!", user), "password_guessable")
        self.assertEqual(self.refused("wirawan-tabanan-1", user), "password_guessable")
        self.assertIsNone(self.refused("Wirawan2025!!"))  # someone else may use the word

    def test_passphrases_of_ones_own_pass(self):
        for password in [
            "kopi-hitam-pagi-7",
            "Subak Jatiluwih panen",
            "Bali-indah-sekali-2024",  # the region's name, but with words of one's own
            "meja biru di lantai dua",
            "9Gx!vT2#pLq7",
        ]:
            with self.subTest(password=password):
                self.assertIsNone(self.refused(password))

    def test_help_text_is_indonesian(self):
        self.assertIn("urutan papan ketik", GuessablePasswordValidator().get_help_text())


class PasswordPolicyTest(TestCase):
    """The validators in force (AUTH_PASSWORD_VALIDATORS) and where they apply."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_the_policy_in_force(self):
        names = [type(v).__name__ for v in get_default_password_validators()]
        self.assertEqual(
            names,
            [
                "UserAttributeSimilarityValidator",
                "MinimumLengthValidator",
                "CommonPasswordValidator",
                "NumericPasswordValidator",
                "GuessablePasswordValidator",
            ],
        )
        self.assertEqual(get_default_password_validators()[1].min_length, 12)
        self.assertEqual(len(settings.AUTH_PASSWORD_VALIDATORS), 5)

    def test_each_rule_refuses_with_an_indonesian_message(self):
        user = self.people["kadis"]
        self.assertIn("password_too_short", codes("Xq7#pL2v", user))
        self.assertIn("password_too_common", codes("leavemealone", user))  # Django's list of leaked passwords
        self.assertIn("password_entirely_numeric", codes("482915730264", user))
        self.assertIn("password_too_similar", codes("kadis@tabanankab", user))
        self.assertIn("password_guessable", codes("Tabanan2024!!", user))
        self.assertEqual(codes("kopi hitam di meja biru", user), set())
        with translation.override("id"):
            with self.assertRaises(ValidationError) as caught:
                validate_password("Xq7#pL2v", user)
        self.assertIn("Kata sandi terlalu pendek", " ".join(caught.exception.messages))
        self.assertIn("12 karakter", " ".join(caught.exception.messages))

    def test_wagtail_refuses_a_weak_password_when_creating_a_user(self):
        """The administrator's user form in Wagtail applies the policy."""
        self.client.force_login(self.people["admin"])
        response = self.client.post(
            reverse("wagtailusers_users:add"),
            {
                "username": "pegawai-baru",
                "email": "baru@tabanankab.go.id",
                "first_name": "Pegawai",
                "last_name": "Baru",
                "password1": "Tabanan2024!!",
                "password2": "Tabanan2024!!",
                "is_active": "on",
            },
            HTTP_ACCEPT_LANGUAGE="id",
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(get_user_model().objects.filter(username="pegawai-baru").exists())
        self.assertIn("Kata sandi ini mudah ditebak", response.content.decode())

    def test_changing_ones_own_password_applies_the_policy(self):
        from lontar.testing import PASSWORD

        self.client.force_login(self.people["kasi"])
        response = self.client.post(
            reverse("wagtailadmin_account"),
            {
                "password-old_password": PASSWORD,
                "password-new_password1": "qwertyuiop1234",
                "password-new_password2": "qwertyuiop1234",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.people["kasi"].refresh_from_db()
        self.assertTrue(self.people["kasi"].check_password(PASSWORD))
        self.assertIn("urutan tombol papan ketik", response.content.decode())
