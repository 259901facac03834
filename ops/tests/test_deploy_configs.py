"""The nginx configurations in deploy/ are accepted by nginx itself (`nginx -t`): the local one
that `make prod` generates, and the reference one with a throw-away certificate in place of the
real one."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="Debian's nginx is not installed")


def nginx_test(conf: Path, prefix: Path):
    result = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(prefix)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_generated_local_config_is_valid(tmp_path):
    for sub in ("log", "nginx"):
        (tmp_path / sub).mkdir()
    text = (ROOT / "deploy/nginx/local.conf.in").read_text()
    for key, value in {"@VAR@": str(tmp_path), "@APP@": "127.0.0.1:8001", "@LISTEN@": "127.0.0.1:18080",
                       "@STATIC_ROOT@": str(tmp_path / "static"), "@MEDIA_ROOT@": str(tmp_path / "media"),
                       "@USER_LINE@": "user root;" if os.getuid() == 0 else ""}.items():
        text = text.replace(key, value)
    assert "@" not in text.replace("$", "")
    (tmp_path / "nginx.conf").write_text(text)
    nginx_test(tmp_path / "nginx.conf", tmp_path)


def test_reference_config_is_valid(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=tabanankab.go.id",
                    "-days", "1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    site = (ROOT / "deploy/nginx/lontar.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/tabanankab.go.id/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/tabanankab.go.id/privkey.pem", str(key))
    site = site.replace("/var/cache/nginx/lontar", str(tmp_path / "cache"))
    (tmp_path / "lontar.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.getuid() == 0 else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n client_body_temp_path {tmp_path}/cb;\n"
        f" proxy_temp_path {tmp_path}/proxy;\n include {tmp_path}/lontar.conf;\n}}\n"
    )
    nginx_test(tmp_path / "nginx.conf", tmp_path)
