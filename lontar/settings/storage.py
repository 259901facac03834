"""STORAGES for production, from the environment: uploaded media on the filesystem (MEDIA_ROOT,
served by nginx) unless LONTAR_S3_BUCKET names a bucket in an S3-compatible object store (AWS S3,
MinIO, Ceph RGW, …) that several app servers share.

A pure function of the environment mapping, so that the production profile and the tests build
exactly the same dict (ops/tests/test_s3_media.py runs it against a real S3 server)."""

from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"
S3_STORAGE = "storages.backends.s3.S3Storage"
STATIC_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
# The same lifetime nginx gives /media/ on the filesystem (deploy/nginx/lontar.conf: expires 7d).
MEDIA_CACHE_CONTROL = "max-age=604800"
TRUE = {"1", "true", "yes", "on"}


def _get(environ: Mapping[str, str], name: str) -> str:
    return environ.get(name, "").strip()


def media_storage(environ: Mapping[str, str]) -> dict:
    bucket = _get(environ, "LONTAR_S3_BUCKET")
    if not bucket:
        return {"BACKEND": FILESYSTEM_STORAGE}

    options: dict = {
        "bucket_name": bucket,
        # django-storages overwrites an object of the same name by default; Wagtail keeps the
        # original of every image and document, so a second "foto.jpg" must get a new name.
        "file_overwrite": False,
        # Public media (images in cached pages) need stable URLs: a signed URL expires while the
        # page that holds it is still in the page cache.
        "querystring_auth": _get(environ, "LONTAR_S3_QUERYSTRING_AUTH").lower() in TRUE,
        "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        # Signature version 4 everywhere: newer AWS regions (Jakarta, ap-southeast-3) and current
        # MinIO/Ceph accept nothing else, and botocore would sign URLs with version 2.
        "signature_version": "s3v4",
    }
    endpoint_url = _get(environ, "LONTAR_S3_ENDPOINT_URL")
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    # MinIO and Ceph answer the bucket as a path (http://minio:9000/bucket/key) unless DNS is set
    # up for bucket.minio; AWS itself picks its own style when left alone.
    addressing_style = _get(environ, "LONTAR_S3_ADDRESSING_STYLE") or ("path" if endpoint_url else "")
    if addressing_style:
        if addressing_style not in {"path", "virtual", "auto"}:
            raise ImproperlyConfigured("LONTAR_S3_ADDRESSING_STYLE must be path, virtual or auto.")
        options["addressing_style"] = addressing_style
    region = _get(environ, "LONTAR_S3_REGION")
    if region:
        options["region_name"] = region
    prefix = _get(environ, "LONTAR_S3_PREFIX").strip("/")
    if prefix:
        options["location"] = prefix

    # Keys only when both are given: without them boto3 finds its own (AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY, ~/.aws, an instance or task role), which is how a cloud host should
    # get them.
    access_key = _get(environ, "LONTAR_S3_ACCESS_KEY_ID")
    secret_key = _get(environ, "LONTAR_S3_SECRET_ACCESS_KEY")
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured("Set both LONTAR_S3_ACCESS_KEY_ID and LONTAR_S3_SECRET_ACCESS_KEY, or neither.")
    if access_key:
        options["access_key"] = access_key
        options["secret_key"] = secret_key

    # The address visitors load media from (a CDN or the bucket's own public host): URLs are then
    # built without asking S3, and the page never names the storage endpoint.
    public_url = _get(environ, "LONTAR_S3_PUBLIC_URL")
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
            raise ImproperlyConfigured(
                "LONTAR_S3_PUBLIC_URL must be an http(s) address, e.g. https://media.tabanankab.go.id."
            )
        options["custom_domain"] = parts.netloc + parts.path.rstrip("/")
        options["url_protocol"] = f"{parts.scheme}:"
    return {"BACKEND": S3_STORAGE, "OPTIONS": options}


def production_storages(environ: Mapping[str, str]) -> dict:
    # Static files stay on the app servers' disk with hashed names (app.3f2a1c.css): nginx serves
    # them with a one-year cache, and a new release gets new names.
    return {"default": media_storage(environ), "staticfiles": {"BACKEND": STATIC_STORAGE}}
