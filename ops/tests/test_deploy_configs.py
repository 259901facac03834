"""The nginx configurations in deploy/ are accepted by nginx itself (`nginx -t`): the local one
that `make prod` generates (through deploy/local-stack.sh itself, with and without the brotli
modules), and the reference one with a throw-away certificate in place of the real one. The local
one also runs and compresses static files with brotli and gzip."""

import gzip
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path

import brotli
import pytest

from lontar.testing import free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MODULES = Path("/usr/lib/nginx/modules")
BROTLI_MODULES = [MODULES / "ngx_http_brotli_filter_module.so", MODULES / "ngx_http_brotli_static_module.so"]
needs_nginx = pytest.mark.skipif(not Path(NGINX).exists(), reason="Debian's nginx is not installed")
needs_brotli = pytest.mark.skipif(
    not all(module.exists() for module in BROTLI_MODULES),
    reason="Debian's libnginx-mod-http-brotli-filter/-static are not installed",
)


def nginx_test(conf: Path, prefix: Path):
    result = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", str(prefix)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def generate_local(var: Path, modules: Path = MODULES, listen: str = "127.0.0.1:18080") -> str:
    """deploy/local-stack.sh writes var/nginx.conf and runs nginx -t on it, as `make prod` does."""
    env = {
        **os.environ,
        "LONTAR_PROD_VAR": str(var),
        "LONTAR_PROD_LISTEN": listen,
        "LONTAR_NGINX_MODULES": str(modules),
    }
    result = subprocess.run(
        [str(ROOT / "deploy/local-stack.sh"), "nginx-conf"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = (var / "nginx.conf").read_text()
    assert "@" not in text.replace("$", "")
    return text


def fetch_static(listen: str, name: str, encoding: str):
    request = urllib.request.Request(f"http://{listen}/static/{name}", headers={"Accept-Encoding": encoding})
    # nginx has forked its workers when `nginx` returns; a few tries cover a slow first accept.
    for _ in range(50):
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (local nginx)
                return response.headers, response.read()
        except urllib.error.URLError as error:
            if not isinstance(error.reason, ConnectionRefusedError):
                raise
            time.sleep(0.1)
    raise AssertionError("nginx did not answer")


def directives(text: str) -> list[str]:
    """The configuration without comments, one directive's words per line."""
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def gzip_types(lines: list[str], name: str) -> set[str]:
    joined = " ".join(lines)
    found = re.findall(rf"\b{name} ([^;]+);", joined)
    assert len(found) == 1, found
    return set(found[0].split())


def test_both_configs_compress_the_same_types_with_brotli_and_gzip():
    for path in ("deploy/nginx/lontar.conf", "deploy/nginx/local.conf.in"):
        lines = directives((ROOT / path).read_text().replace("@BROTLI@", ""))
        assert "brotli on;" in lines and "gzip on;" in lines, path
        assert gzip_types(lines, "brotli_types") == gzip_types(lines, "gzip_types"), path
        assert {"text/css", "application/javascript", "image/svg+xml"} <= gzip_types(lines, "gzip_types")
        # Precompressed files beside the hashed static files, if any, are served as they are.
        assert "brotli_static on;" in lines and "gzip_static on;" in lines, path


@needs_nginx
@needs_brotli
def test_generated_local_config_loads_brotli_and_is_valid(tmp_path):
    lines = directives(generate_local(tmp_path))
    assert f"load_module {BROTLI_MODULES[0]};" in lines and f"load_module {BROTLI_MODULES[1]};" in lines
    assert "brotli on;" in lines and "brotli_static on;" in lines


@needs_nginx
def test_generated_local_config_without_brotli_modules_keeps_gzip(tmp_path):
    """`make prod` still starts on an nginx without ngx_brotli: the brotli lines become comments."""
    lines = directives(generate_local(tmp_path, modules=tmp_path / "no-modules"))
    assert not [line for line in lines if "brotli" in line]
    assert "gzip on;" in lines and "gzip_static on;" in lines


@needs_nginx
@needs_brotli
def test_local_nginx_serves_static_files_with_brotli_and_gzip(tmp_path):
    listen = f"127.0.0.1:{free_port()}"
    generate_local(tmp_path, listen=listen)
    static = tmp_path / "static"
    static.mkdir()
    css = (".kartu-berita { margin: 0 auto; padding: 1rem; color: #1b1b1b; }\n" * 80).encode()
    (static / "app.css").write_bytes(css)
    # A precompressed file wins over compressing on the fly (brotli_static), byte for byte.
    precompressed = brotli.compress(css, quality=11)
    (static / "app.css.br").write_bytes(precompressed)
    (static / "lain.css").write_bytes(css)

    subprocess.run([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], check=True, timeout=30)
    try:
        get = partial(fetch_static, listen)
        headers, body = get("lain.css", "br, gzip")
        assert headers["Content-Encoding"] == "br"
        assert "Accept-Encoding" in headers["Vary"]
        assert brotli.decompress(body) == css

        headers, body = get("lain.css", "gzip")
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == css

        headers, body = get("app.css", "br")
        assert headers["Content-Encoding"] == "br"
        assert body == precompressed

        headers, body = get("lain.css", "identity")
        assert headers.get("Content-Encoding") is None and body == css
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    finally:
        subprocess.run([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-s", "quit"], timeout=30)
        for _ in range(50):
            if not (tmp_path / "nginx.pid").exists():
                break
            time.sleep(0.1)


@needs_nginx
def test_reference_config_is_valid(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=tabanankab.go.id",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    site = (ROOT / "deploy/nginx/lontar.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/tabanankab.go.id/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/tabanankab.go.id/privkey.pem", str(key))
    site = site.replace("/var/cache/nginx/lontar", str(tmp_path / "cache"))
    if all(module.exists() for module in BROTLI_MODULES):
        # Debian's nginx.conf loads them through modules-enabled/; this stand-in main file does
        # it by absolute path, since -p moves the prefix those snippets are relative to.
        modules = "".join(f"load_module {module};\n" for module in BROTLI_MODULES)
    else:
        # Without ngx_brotli the rest of the file must still be valid.
        modules = ""
        site, removed = re.subn(r"^\s*brotli\w*\s[^;]*;", "", site, flags=re.MULTILINE)
        assert removed == 5
    (tmp_path / "lontar.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        modules
        + ("user root;\n" if os.getuid() == 0 else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n client_body_temp_path {tmp_path}/cb;\n"
        f" proxy_temp_path {tmp_path}/proxy;\n include {tmp_path}/lontar.conf;\n}}\n"
    )
    nginx_test(tmp_path / "nginx.conf", tmp_path)
