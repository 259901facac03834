"""Media in an S3-compatible object store, against a real S3 server (moto's, in a thread on a free
port), with the STORAGES dict the production profile builds from the environment
(lontar.settings.storage): Wagtail images, their renditions and documents are written to the
bucket, read back from it, linked by URLs that answer, and taken into the backup."""

import io
import json
import re
import tarfile
import urllib.request

import boto3
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.test import override_settings
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from lontar.settings.storage import (
    FILESYSTEM_STORAGE,
    MEDIA_CACHE_CONTROL,
    S3_STORAGE,
    STATIC_STORAGE,
    media_storage,
    production_storages,
)

BUCKET = "lontar-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
    ],
}
KEYS = {"LONTAR_S3_ACCESS_KEY_ID": "lontar-test", "LONTAR_S3_SECRET_ACCESS_KEY": "lontar-test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="lontar-test",
        aws_secret_access_key="lontar-test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    # Public media: anyone may read objects, as the README tells the operator to set up the bucket.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    yield endpoint, client
    server.stop()


def jpeg_bytes(width=640, height=480) -> bytes:
    picture = PILImage.new("RGB", (width, height))
    # A gradient, not a flat colour: the rendition below really resamples something.
    picture.putdata([(x * 255 // width, y * 255 // height, 96) for y in range(height) for x in range(width)])
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a local test server)
        assert response.status == 200
        return response.read()


# The environment → STORAGES mapping.


def test_without_a_bucket_media_stay_on_the_filesystem():
    assert production_storages({}) == {
        "default": {"BACKEND": FILESYSTEM_STORAGE},
        "staticfiles": {"BACKEND": STATIC_STORAGE},
    }
    assert media_storage({"LONTAR_S3_BUCKET": "  ", "LONTAR_S3_REGION": "ap-southeast-3"}) == {
        "BACKEND": FILESYSTEM_STORAGE
    }


def test_every_variable_reaches_the_s3_storage():
    environ = {
        "LONTAR_S3_BUCKET": "tabanan-media",
        "LONTAR_S3_ENDPOINT_URL": "https://s3.diskominfo.internal",
        "LONTAR_S3_REGION": "ap-southeast-3",
        "LONTAR_S3_ADDRESSING_STYLE": "virtual",
        "LONTAR_S3_PREFIX": "/lontar/media/",
        "LONTAR_S3_PUBLIC_URL": "https://media.tabanankab.go.id/",
        "LONTAR_S3_QUERYSTRING_AUTH": "0",
        **KEYS,
    }
    assert production_storages(environ) == {
        "default": {
            "BACKEND": S3_STORAGE,
            "OPTIONS": {
                "bucket_name": "tabanan-media",
                "file_overwrite": False,
                "querystring_auth": False,
                "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
                "signature_version": "s3v4",
                "endpoint_url": "https://s3.diskominfo.internal",
                "addressing_style": "virtual",
                "region_name": "ap-southeast-3",
                "location": "lontar/media",
                "access_key": "lontar-test",
                "secret_key": "lontar-test-secret",
                "custom_domain": "media.tabanankab.go.id",
                "url_protocol": "https:",
            },
        },
        "staticfiles": {"BACKEND": STATIC_STORAGE},
    }


def test_a_bucket_alone_leaves_keys_region_and_addressing_to_boto3():
    assert media_storage({"LONTAR_S3_BUCKET": "tabanan-media"}) == {
        "BACKEND": S3_STORAGE,
        "OPTIONS": {
            "bucket_name": "tabanan-media",
            "file_overwrite": False,
            "querystring_auth": False,
            "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
            "signature_version": "s3v4",
        },
    }
    # An S3-compatible store at its own address is addressed by path unless told otherwise.
    options = media_storage({"LONTAR_S3_BUCKET": "m", "LONTAR_S3_ENDPOINT_URL": "http://minio:9000"})["OPTIONS"]
    assert options["addressing_style"] == "path"
    assert media_storage({"LONTAR_S3_BUCKET": "m", "LONTAR_S3_QUERYSTRING_AUTH": "yes"})["OPTIONS"]["querystring_auth"]


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LONTAR_S3_ACCESS_KEY_ID": "k"}, "Set both LONTAR_S3_ACCESS_KEY_ID and LONTAR_S3_SECRET_ACCESS_KEY"),
        ({"LONTAR_S3_SECRET_ACCESS_KEY": "s"}, "Set both LONTAR_S3_ACCESS_KEY_ID and LONTAR_S3_SECRET_ACCESS_KEY"),
        ({"LONTAR_S3_PUBLIC_URL": "media.tabanankab.go.id"}, "LONTAR_S3_PUBLIC_URL must be an http(s) address"),
        ({"LONTAR_S3_PUBLIC_URL": "https://cdn.example/?x=1"}, "LONTAR_S3_PUBLIC_URL must be an http(s) address"),
        ({"LONTAR_S3_ADDRESSING_STYLE": "dns"}, "LONTAR_S3_ADDRESSING_STYLE must be path, virtual or auto"),
    ],
)
def test_a_half_configured_bucket_is_refused(environ, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        media_storage({"LONTAR_S3_BUCKET": "tabanan-media", **environ})


def test_without_keys_boto3_finds_its_own(s3_endpoint, tmp_path, monkeypatch):
    """No LONTAR_S3_* keys: the credentials come from boto3's own chain (here its shared
    credentials file, as on a host provisioned with ~/.aws or an instance role)."""
    endpoint, _ = s3_endpoint
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_S3_ACCESS_KEY_ID",
        "AWS_S3_SECRET_ACCESS_KEY",
        "AWS_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    credentials = tmp_path / "credentials"
    credentials.write_text("[default]\naws_access_key_id = FROMSHAREDFILE\naws_secret_access_key = s3cret\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    environ = {
        "LONTAR_S3_BUCKET": BUCKET,
        "LONTAR_S3_ENDPOINT_URL": endpoint,
        "LONTAR_S3_REGION": "us-east-1",
        "LONTAR_S3_QUERYSTRING_AUTH": "1",
    }
    with override_settings(STORAGES=production_storages(environ)):
        name = default_storage.save("dokumen/kunci.txt", ContentFile(b"kunci dari berkas boto3"))
        # A signed URL names the key that signed it.
        url = default_storage.url(name)
        assert "X-Amz-Credential=FROMSHAREDFILE%2F" in url
        assert fetch(url) == b"kunci dari berkas boto3"


# Wagtail on the bucket.


# Transactional: the backup copies the SQLite test database with its online backup API, which
# does not finish while the test's own transaction is open.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wagtail_images_renditions_and_documents_live_in_the_bucket(s3_endpoint, client, tmp_path):
    endpoint, s3 = s3_endpoint
    environ = {
        "LONTAR_S3_BUCKET": BUCKET,
        "LONTAR_S3_ENDPOINT_URL": endpoint,
        "LONTAR_S3_REGION": "us-east-1",
        "LONTAR_S3_PREFIX": "media",
        **KEYS,
    }
    original = jpeg_bytes()
    with override_settings(STORAGES=production_storages(environ)):
        assert type(storages["default"]).__module__ == "storages.backends.s3"

        image = Image.objects.create(title="Pura Tanah Lot", file=ImageFile(io.BytesIO(original), name="pura.jpg"))
        assert (image.width, image.height) == (640, 480)
        stored = s3.get_object(Bucket=BUCKET, Key=f"media/{image.file.name}")
        assert stored["Body"].read() == original
        assert stored["CacheControl"] == MEDIA_CACHE_CONTROL

        # Same file name again: a new object, the first original is kept (django-storages would
        # overwrite by default).
        second = Image.objects.create(
            title="Pura lagi", file=ImageFile(io.BytesIO(jpeg_bytes(320, 240)), name="pura.jpg")
        )
        assert second.file.name != image.file.name
        assert s3.get_object(Bucket=BUCKET, Key=f"media/{image.file.name}")["Body"].read() == original

        # The rendition is made from the original read back from the bucket and written to it.
        rendition = image.get_rendition("fill-120x80")
        assert rendition.file.name.startswith("images/")
        body = s3.get_object(Bucket=BUCKET, Key=f"media/{rendition.file.name}")["Body"].read()
        made = PILImage.open(io.BytesIO(body))
        assert (made.format, made.size) == ("JPEG", (120, 80))
        assert (rendition.width, rendition.height) == (120, 80)
        # Asked again, the same rendition is found, not made again.
        assert image.get_rendition("fill-120x80").pk == rendition.pk

        # Public media: a plain, unsigned, path-style URL on the endpoint that answers with the bytes.
        assert rendition.url == f"{endpoint}/{BUCKET}/media/{rendition.file.name}"
        assert "?" not in rendition.url
        assert fetch(rendition.url) == body

        document = Document.objects.create(title="SOP", file=ContentFile(b"%PDF-1.4 SOP Tabanan", name="sop.pdf"))
        assert s3.get_object(Bucket=BUCKET, Key=f"media/{document.file.name}")["Body"].read() == b"%PDF-1.4 SOP Tabanan"
        # Downloads go through Django (WAGTAILDOCS_SERVE_METHOD = "serve_view": privacy and the rule
        # that a document no published page uses is for the admin only), streamed from the bucket.
        client.force_login(get_user_model().objects.create_superuser("admin-s3", password=None))
        response = client.get(document.url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 SOP Tabanan"

        # The backup takes its media from the bucket, through the same storage.
        call_command("backup", str(tmp_path / "cadangan"))
        with tarfile.open(tmp_path / "cadangan" / "media.tar") as tar:
            archived = {member.name: tar.extractfile(member).read() for member in tar.getmembers()}
        assert archived[image.file.name] == original
        assert archived[rendition.file.name] == body
        assert archived[document.file.name] == b"%PDF-1.4 SOP Tabanan"

    # Behind a CDN or the bucket's public host, URLs name that address and not the endpoint.
    with override_settings(
        STORAGES=production_storages({**environ, "LONTAR_S3_PUBLIC_URL": "https://media.tabanankab.go.id"})
    ):
        rendition.refresh_from_db()
        assert rendition.url == f"https://media.tabanankab.go.id/media/{rendition.file.name}"
