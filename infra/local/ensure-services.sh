#!/usr/bin/env bash
# Make sure PostgreSQL and RabbitMQ run on 127.0.0.1 and that Lotse's two database roles exist.
# Starts them when installed but stopped; installs them with apt-get when missing and root.
# Also installs HAProxy (the gateway's data plane), wrk (its benchmark), Chromium and Firefox ESR
# with the Node packages that drive it (the web console's browser tests) when missing.
set -euo pipefail

PGHOST=127.0.0.1
PGPORT=${LOTSE_PG_PORT:-5432}
AMQP_PORT=${LOTSE_AMQP_PORT:-5672}

log() { echo "[services] $*"; }
die() { echo "[services] error: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name port seconds
    local deadline=$((SECONDS + $3))
    until port_open "$2"; do
        (( SECONDS < deadline )) || die "$1 did not open port $2 within $3 s"
        sleep 0.5
    done
}

apt_install() {
    [[ $(id -u) -eq 0 ]] || die "$* missing and not root: install it (apt-get install $*) and retry"
    log "installing $* with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
    if port_open "$PGPORT"; then return; fi
    if ! command -v pg_ctlcluster >/dev/null; then
        apt_install postgresql
        local ver; ver=$(ls /etc/postgresql | sort -V | tail -1)
        # A development cluster: trust on loopback only, as on the project's machines.
        sed -i '1i host all all 127.0.0.1/32 trust' "/etc/postgresql/$ver/main/pg_hba.conf"
    fi
    local ver; ver=$(ls /etc/postgresql | sort -V | tail -1)
    log "starting PostgreSQL $ver"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    wait_for PostgreSQL "$PGPORT" 60
}

ensure_rabbitmq() {
    if port_open "$AMQP_PORT"; then return; fi
    command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
    log "starting RabbitMQ"
    rabbitmq-server -detached
    wait_for RabbitMQ "$AMQP_PORT" 120
}

ensure_roles() {
    # lotse_owner owns the tables and runs migrations; lotse_app is what the services connect
    # as: not the owner, no superuser, no BYPASSRLS, so row-level security applies to it.
    psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA >/dev/null <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotse_owner') THEN
    CREATE ROLE lotse_owner LOGIN NOSUPERUSER NOBYPASSRLS CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotse_app') THEN
    CREATE ROLE lotse_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB;
  END IF;
END $$;
SQL
}

ensure_haproxy() {
    # The gateway's data plane: HAProxy >= 2.6 (jwt_verify, jwt_payload_query, the Prometheus
    # exporter; Debian 12 has 2.6). wrk measures it (make bench). Installed, never started here:
    # `lotse-gateway run` starts HAProxy itself.
    local missing=()
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v wrk >/dev/null || missing+=(wrk)
    (( ${#missing[@]} == 0 )) || apt_install "${missing[@]}"
    local version; version=$(haproxy -v | sed -n 's/.*version \([0-9]*\.[0-9]*\).*/\1/p' | head -1)
    [[ $(printf '%s\n' 2.6 "$version" | sort -V | head -1) == 2.6 ]] \
        || die "HAProxy $version is too old for the gateway (needs 2.6 or newer)"
}

ensure_chromium() {
    # The web console's browser tests (services/console/tests/browser) drive Debian's Chromium
    # through Playwright; Playwright's own browser downloads are not used.
    command -v chromium >/dev/null || apt_install chromium
}

ensure_firefox() {
    # The web console's Firefox test (services/console/tests/browser/test_console_in_firefox.py)
    # drives Debian's firefox-esr over WebDriver BiDi with puppeteer-core (Node), pinned in
    # package.json/package-lock.json beside its script; puppeteer-core downloads no browser.
    local missing=()
    command -v firefox-esr >/dev/null || missing+=(firefox-esr)
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
    (( ${#missing[@]} == 0 )) || apt_install "${missing[@]}"
    local dir; dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/services/console/tests/browser/firefox"
    # npm ci again when the lock file changed since the last install
    if [[ ! -f $dir/node_modules/.package-lock.json || $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
        log "installing the Firefox test's Node packages (npm ci in $dir)"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
}

ensure_postgres
ensure_rabbitmq
ensure_roles
ensure_haproxy
ensure_chromium
ensure_firefox
log "PostgreSQL on $PGHOST:$PGPORT and RabbitMQ on $PGHOST:$AMQP_PORT are up; HAProxy $(haproxy -v | sed -n 's/.*version \([^ ]*\).*/\1/p' | head -1) installed"
