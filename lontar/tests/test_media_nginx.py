"""nginx, as ``make prod`` configures it (deploy/nginx/local.conf.in), never hands out document
files or pending uploads from /media/ — only Django's /dokumen/ does, with its checks — while
images are still served, with ``nosniff`` and a sandboxing policy."""

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lontar.testing import free_port
from ops.tests.test_deploy_configs import generate_local

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="Debian's nginx is not installed")


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_documents_and_pending_uploads_are_not_served_from_media(tmp_path):
    for sub in ("log", "nginx", "static", "media/documents", "media/wagtail_uploads", "media/original_images"):
        (tmp_path / sub).mkdir(parents=True)
    (tmp_path / "media/documents/surat.pdf").write_bytes(b"%PDF-1.4 draf")
    (tmp_path / "media/wagtail_uploads/foto.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "media/original_images/foto.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    listen = f"127.0.0.1:{free_port()}"
    # The configuration exactly as `make prod` writes it (deploy/local-stack.sh).
    generate_local(tmp_path, listen=listen)
    subprocess.run([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], check=True, timeout=30)
    try:
        for _ in range(50):
            try:
                socket.create_connection(tuple(listen.split(":")), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        assert fetch(f"http://{listen}/media/documents/surat.pdf")[0] == 404
        assert fetch(f"http://{listen}/media/wagtail_uploads/foto.jpg")[0] == 404
        status, headers = fetch(f"http://{listen}/media/original_images/foto.png")
        assert status == 200
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in headers["Content-Security-Policy"]
    finally:
        pid = int((tmp_path / "nginx.pid").read_text())
        os.kill(pid, 15)
