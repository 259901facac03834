"""Working days for the 10-day answer deadline of UU 14/2008 Pasal 22 ayat 7 (no database)."""

import datetime as dt

from django.test import SimpleTestCase

from ppid.hari_kerja import ANSWER_WORKING_DAYS, add_working_days, answer_deadline, holiday_name, is_working_day

D = dt.date


class WorkingDaysTest(SimpleTestCase):
    def test_weekends_and_national_holidays_are_not_working_days(self):
        self.assertTrue(is_working_day(D(2026, 12, 18)))  # Friday
        self.assertFalse(is_working_day(D(2026, 12, 19)))  # Saturday
        self.assertFalse(is_working_day(D(2026, 12, 20)))  # Sunday
        self.assertFalse(is_working_day(D(2026, 12, 25)))  # Hari Raya Natal, a Friday
        self.assertEqual(holiday_name(D(2026, 12, 25)), "Hari Raya Natal")
        self.assertFalse(is_working_day(D(2027, 1, 1)))  # Tahun Baru Masehi
        self.assertFalse(is_working_day(D(2027, 1, 5)))  # Isra Mikraj, a Tuesday
        self.assertFalse(is_working_day(D(2026, 3, 19)))  # Hari Suci Nyepi
        # Cuti bersama is not a national holiday (the library's "government" category).
        self.assertTrue(is_working_day(D(2026, 12, 24)))

    def test_a_request_on_friday_18_december_2026_is_due_on_6_january_2027(self):
        """Mon 21, Tue 22, Wed 23, Thu 24 (1–4); Fri 25 Natal; Mon 28 – Thu 31 (5–8); Fri 1 Jan
        Tahun Baru; Mon 4 Jan (9); Tue 5 Jan Isra Mikraj; Wed 6 Jan (10)."""
        self.assertEqual(ANSWER_WORKING_DAYS, 10)
        self.assertEqual(answer_deadline(D(2026, 12, 18)), D(2027, 1, 6))

    def test_the_day_of_receipt_is_not_counted_even_on_a_weekend(self):
        # Received on a Monday without holidays: two full weeks later, on the Monday.
        self.assertEqual(answer_deadline(D(2026, 11, 23)), D(2026, 12, 7))
        # Received on Saturday or Sunday: counting starts on Monday, as for a Friday receipt.
        self.assertEqual(answer_deadline(D(2026, 11, 21)), D(2026, 12, 4))
        self.assertEqual(answer_deadline(D(2026, 11, 22)), D(2026, 12, 4))
        self.assertEqual(answer_deadline(D(2026, 11, 20)), D(2026, 12, 4))

    def test_add_working_days_counts_forward_only(self):
        self.assertEqual(add_working_days(D(2026, 12, 24), 1), D(2026, 12, 28))
        with self.assertRaises(ValueError):
            add_working_days(D(2026, 12, 24), 0)
