"""The probes against real services: the test database, the Redis on 127.0.0.1:6379, and real
failures (a database path/port that cannot be opened, a Redis port nobody listens on)."""

from unittest.mock import patch

import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import override_settings

from ops.tests.support import database_unreachable

REAL_REDIS = "redis://127.0.0.1:6379/15"
DEAD_REDIS = "redis://127.0.0.1:1/0"


def redis_cache(url, renditions=None):
    """Both aliases production has (lontar.settings.production): the page cache and Wagtail's
    renditions cache, each on its own Redis URL."""

    def alias(location, prefix):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            # A dead cache must fail the probe quickly, not hold it for the OS's connect timeout.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }

    return {"default": alias(url, "lontar"), "renditions": alias(renditions or url, "lontar-renditions")}


DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_QUEUE = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def assert_plain_failure(response, failing):
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "gagal"
    assert body["pesan"].startswith("Belum siap melayani")
    assert {name for name, check in body["checks"].items() if check["status"] == "gagal"} == failing
    # No stack trace, no exception text, no connection strings in what a load balancer logs.
    text = response.content.decode()
    assert "Traceback" not in text and "Error" not in text and "127.0.0.1" not in text


def test_liveness_answers_without_touching_the_database(client):
    # No django_db mark: any database access in this request would raise instead of answering.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@override_settings(CACHES=redis_cache(REAL_REDIS), TASKS=DB_QUEUE)
def test_ready_when_database_cache_and_queue_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache:default", "cache:renditions", "queue"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert check["ms"] >= 0
    assert "basis data" in body["checks"]["queue"]["pesan"]
    assert body["checks"]["cache:renditions"]["pesan"] == "Cache 'renditions' menyimpan dan membaca."


# serialized_rollback: the flush after a transactional test re-creates content types unless told
# not to, and the serialized tests that follow (browser, concurrency) would then collide with them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(CACHES=redis_cache(REAL_REDIS))
def test_database_down_gives_503_and_recovers_by_itself(client):
    with database_unreachable() as saved_connection:
        assert_plain_failure(client.get("/readyz"), {"database"})
        assert_plain_failure(client.get("/readyz"), {"database"})
    # Nothing is reset by hand: the next probe connects again and is ready.
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert connection.connection is not None and connection.connection is not saved_connection
    if saved_connection is not None:
        saved_connection.close()


@pytest.mark.django_db
def test_cache_down_gives_503_and_real_redis_gives_200(client):
    with override_settings(CACHES=redis_cache(DEAD_REDIS)):
        assert_plain_failure(client.get("/readyz"), {"cache:default", "cache:renditions"})
    with override_settings(CACHES=redis_cache(REAL_REDIS)):
        assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_each_cache_alias_is_checked_and_named(client):
    """The renditions cache on a Redis that is down fails readiness even though the page cache
    answers, and the body says which one."""
    with override_settings(CACHES=redis_cache(REAL_REDIS, renditions=DEAD_REDIS)):
        response = client.get("/readyz")
        assert_plain_failure(response, {"cache:renditions"})
        body = response.json()
        assert body["checks"]["cache:renditions"]["pesan"] == "Cache 'renditions' tidak dapat dihubungi."
        assert body["checks"]["cache:default"]["pesan"] == "Cache 'default' menyimpan dan membaca."
        assert body["pesan"] == "Belum siap melayani: Cache 'renditions' tidak dapat dihubungi."
    with override_settings(CACHES=redis_cache(DEAD_REDIS, renditions=REAL_REDIS)):
        assert_plain_failure(client.get("/readyz"), {"cache:default"})
    # Redis is back for both: ready again, nothing reset by hand.
    with override_settings(CACHES=redis_cache(REAL_REDIS)):
        assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_probe_keys_are_unique_and_removed(client):
    """Each probe writes its own key per alias (app servers probe one shared Redis at the same
    time) and deletes it."""
    written = []
    original_set = RedisCache.set

    def recording_set(self, key, *args, **kwargs):
        written.append(self.make_key(key))
        return original_set(self, key, *args, **kwargs)

    with override_settings(CACHES=redis_cache(REAL_REDIS)), patch.object(RedisCache, "set", recording_set):
        assert client.get("/readyz").status_code == 200
        assert client.get("/readyz").status_code == 200
    assert len(written) == 4 and len(set(written)) == 4
    assert {key.split(":")[0] for key in written} == {"lontar", "lontar-renditions"}
    server = redis.Redis.from_url(REAL_REDIS)
    assert server.exists(*written) == 0


@pytest.mark.django_db
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_a_cache_turned_off_does_not_block_readiness(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache:default"]["pesan"] == "Cache 'default' sengaja tidak menyimpan apa pun."


@pytest.mark.django_db
@override_settings(CACHES=redis_cache(REAL_REDIS), TASKS=RQ_QUEUE)
def test_redis_task_queue_is_pinged(client):
    with override_settings(RQ_QUEUES={"default": {"URL": DEAD_REDIS, "SOCKET_CONNECT_TIMEOUT": 1}}):
        assert_plain_failure(client.get("/readyz"), {"queue"})
    with override_settings(RQ_QUEUES={"default": {"URL": REAL_REDIS}}):
        response = client.get("/readyz")
        assert response.status_code == 200
        assert "Redis" in response.json()["checks"]["queue"]["pesan"]
