"""Registration numbers stay unique when many requests arrive at the same moment (PostgreSQL:
real concurrent connections; SQLite serialises writers anyway)."""

import threading

import pytest
from django.db import connection, connections
from django.test import TransactionTestCase

from ppid.models import PermohonanInformasi
from ppid.services import permohonan_create
from ppid.tests.utils import VALID

THREADS = 8
EACH = 3


@pytest.mark.postgres
class ConcurrentNumbersTest(TransactionTestCase):
    serialized_rollback = True

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("needs PostgreSQL (DATABASE_URL=postgres://...)")

    def test_simultaneous_requests_get_consecutive_unique_numbers(self):
        data = {k: v for k, v in VALID.items() if k != "situs_web"}
        data["telepon"] = "081239876543"
        barrier = threading.Barrier(THREADS)
        errors = []

        def submit(n):
            try:
                barrier.wait()
                for i in range(EACH):
                    permohonan_create(**{**data, "nama": f"Pemohon {n}-{i}"})
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=submit, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        numbers = sorted(PermohonanInformasi.objects.values_list("nomor", flat=True))
        self.assertEqual(len(numbers), THREADS * EACH)
        self.assertEqual(len(set(numbers)), THREADS * EACH)
        self.assertEqual([int(n.rsplit("/", 1)[1]) for n in numbers], list(range(1, THREADS * EACH + 1)))
