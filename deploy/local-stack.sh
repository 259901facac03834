#!/usr/bin/env bash
# The production-like stack on one machine (make prod / make prod-stop): the machine's PostgreSQL
# and Redis, gunicorn workers, RQ task workers, the reminder clock and nginx in front, all run as
# the current user with pids and logs under var/prod/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PY:-.venv/bin/python}
VAR=${LONTAR_PROD_VAR:-$ROOT/var/prod}
PGURL=${LONTAR_PROD_PG:-postgres://postgres@127.0.0.1:5432}
DBNAME=${LONTAR_PROD_DB:-lontar}
APP=${LONTAR_PROD_APP:-127.0.0.1:8001}
LISTEN=${LONTAR_PROD_LISTEN:-127.0.0.1:8080}
TASK_WORKERS=${LONTAR_PROD_TASK_WORKERS:-1}
# Demo content goes only into an empty site; LONTAR_PROD_DEMO=0 never loads it.
DEMO=${LONTAR_PROD_DEMO:-1}
# DATABASE_URL may name another database (bench/http_bench.py: the benchmark site, or SQLite
# for its smoke run); by default the machine's PostgreSQL database $DBNAME, created once.
DATABASE_URL=${DATABASE_URL:-$PGURL/$DBNAME}
# Where this nginx keeps its dynamic modules (Debian: /usr/lib/nginx/modules).
NGINX_MODULES=${LONTAR_NGINX_MODULES:-$( (nginx -V 2>&1 || true) | sed -n 's/.*--modules-path=\([^ ]*\).*/\1/p')}
NGINX_MODULES=${NGINX_MODULES:-/usr/lib/nginx/modules}

# $VAR/nginx.conf from deploy/nginx/local.conf.in. Brotli only when both ngx_brotli modules are
# installed (Debian: libnginx-mod-http-brotli-filter, libnginx-mod-http-brotli-static): @BROTLI@
# becomes nothing, or "# " so that the brotli lines are comments and nginx starts with gzip alone.
# The modules are loaded by absolute path: Debian's modules-enabled/*.conf name them relative to
# the prefix, and -p moves the prefix to $VAR.
render_nginx_conf() {
    local user_line="" brotli="# "
    [ "$(id -u)" = "0" ] && user_line="user root;"
    if [ -f "$NGINX_MODULES/ngx_http_brotli_filter_module.so" ] && [ -f "$NGINX_MODULES/ngx_http_brotli_static_module.so" ]; then
        brotli=""
    fi
    sed -e "s|@VAR@|$VAR|g" -e "s|@APP@|$APP|g" -e "s|@LISTEN@|$LISTEN|g" -e "s|@USER_LINE@|$user_line|" \
        -e "s|@STATIC_ROOT@|$VAR/static|g" -e "s|@MEDIA_ROOT@|${MEDIA_ROOT:-$VAR/media}|g" \
        -e "s|@NGINX_MODULES@|$NGINX_MODULES|g" -e "s|@BROTLI@|$brotli|g" deploy/nginx/local.conf.in >"$VAR/nginx.conf"
}

stop() {
    if [ -f "$VAR/nginx.pid" ]; then nginx -c "$VAR/nginx.conf" -p "$VAR" -s quit 2>/dev/null || true; fi
    for pidfile in "$VAR"/run/*.pid; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        # Still there after 20 s (gunicorn's graceful timeout): a stop must stop.
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
    echo "Lontar (production-like stack) stopped."
}

case "${1:-start}" in
    stop) stop; exit 0 ;;
    # Only write and check the nginx config (ops/tests/test_deploy_configs.py).
    nginx-conf) mkdir -p "$VAR"/{log,nginx}; render_nginx_conf; nginx -t -q -c "$VAR/nginx.conf" -p "$VAR"; exit 0 ;;
esac
stop >/dev/null

# A fresh start has an empty page micro-cache (nginx keeps it on disk across restarts).
rm -rf "$VAR/nginx/cache"
mkdir -p "$VAR"/{log,run,nginx,static,media}
[ -f "$VAR/secret.key" ] || "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" >"$VAR/secret.key"
chmod 600 "$VAR/secret.key"

# The machine's services; the default database is created once.
redis-cli -u "${REDIS_URL:-redis://127.0.0.1:6379/1}" ping >/dev/null || { echo "Redis does not answer"; exit 1; }
if [ "$DATABASE_URL" = "$PGURL/$DBNAME" ]; then
    pg_isready -d "$PGURL/postgres" -q || { echo "PostgreSQL does not answer at $PGURL"; exit 1; }
    if [ "$(psql "$PGURL/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" != "1" ]; then
        createdb -d "$PGURL/postgres" "$DBNAME" 2>/dev/null || psql "$PGURL/postgres" -qc "CREATE DATABASE \"$DBNAME\""
    fi
fi

export DJANGO_SETTINGS_MODULE=lontar.settings.production
export DJANGO_SECRET_KEY; DJANGO_SECRET_KEY=$(cat "$VAR/secret.key")
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
export DATABASE_URL
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/1}
# Plain HTTP on this machine: no redirect to HTTPS (a real deployment ends TLS at nginx).
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}
# LONTAR_PROD_MEDIA_ROOT: media kept elsewhere (bench/http_bench.py: the benchmark site's photos).
export STATIC_ROOT=$VAR/static MEDIA_ROOT=${LONTAR_PROD_MEDIA_ROOT:-$VAR/media}
export WAGTAILADMIN_BASE_URL=${WAGTAILADMIN_BASE_URL:-http://$LISTEN}
export LONTAR_PROXY_REFRESH_URLS=${LONTAR_PROXY_REFRESH_URLS:-http://$LISTEN}
export GUNICORN_BIND=$APP LONTAR_GUNICORN_PIDFILE=$VAR/run/gunicorn.pid
export GUNICORN_ACCESS_LOG=$VAR/log/gunicorn-access.log GUNICORN_ERROR_LOG=$VAR/log/gunicorn-error.log

"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_sop
"$PY" manage.py setup_portal
"$PY" manage.py setup_roles
# Demo content only into an empty site (a real deployment never runs this).
if [ "$DEMO" = "1" ] && [ "$("$PY" manage.py shell -c 'from desk.models import AgendaItem; print(AgendaItem.objects.exists())' | tail -n 1)" = "False" ]; then
    "$PY" manage.py load_demo --force
fi

BIN=$(dirname "$PY")
# In the foreground of a background job, as systemd would run it (gunicorn's --daemon loses
# start-up errors); gunicorn writes its own pid file.
nohup "$BIN/gunicorn" -c deploy/gunicorn.conf.py lontar.wsgi >>"$VAR/log/gunicorn-error.log" 2>&1 &
for i in $(seq "$TASK_WORKERS"); do
    nohup "$PY" manage.py rqworker default --job-class django_tasks_rq.Job >"$VAR/log/worker-$i.log" 2>&1 &
    echo $! >"$VAR/run/worker-$i.pid"
done
nohup "$PY" manage.py run_reminders --loop --interval 60 >"$VAR/log/reminders.log" 2>&1 &
echo $! >"$VAR/run/reminders.pid"

render_nginx_conf
nginx -t -q -c "$VAR/nginx.conf" -p "$VAR"
nginx -c "$VAR/nginx.conf" -p "$VAR"

# gunicorn loads Django before forking its workers: allow it half a minute.
for _ in $(seq 150); do
    if curl -fs -o /dev/null "http://$LISTEN/readyz"; then
        echo "Lontar (production-like): http://$LISTEN/  readiness: http://$LISTEN/readyz  logs: var/prod/log/  stop: make prod-stop"
        exit 0
    fi
    sleep 0.2
done
echo "The stack did not become ready; see var/prod/log/ and http://$LISTEN/readyz"
curl -sS "http://$LISTEN/readyz" || true
exit 1
