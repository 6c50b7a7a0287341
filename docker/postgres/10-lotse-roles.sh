#!/usr/bin/env bash
# PostgreSQL init script for `docker compose up` (mounted into /docker-entrypoint-initdb.d; runs
# once, when the data volume is first initialised). The same layout as `make up`
# (infra/local/ensure-services.sh, cluster.py) and as a production server:
#
#   lotse_owner  owns every service database and its tables; runs the migrations (setup job)
#   lotse_app    what APIs and workers connect as: not the owner, no superuser, no BYPASSRLS,
#                so row-level security applies to it
#   lotse_<service>  one database per service (LOTSE_DATABASES, space separated)
#
# Passwords come from the environment (.env, never committed): LOTSE_DB_OWNER_PASSWORD and
# LOTSE_DB_APP_PASSWORD. They are handed to psql as variables, never pasted into SQL text.
set -euo pipefail

: "${LOTSE_DB_OWNER_PASSWORD:?LOTSE_DB_OWNER_PASSWORD must be set (see .env.example)}"
: "${LOTSE_DB_APP_PASSWORD:?LOTSE_DB_APP_PASSWORD must be set (see .env.example)}"
: "${LOTSE_DATABASES:?LOTSE_DATABASES must list the service databases, e.g. 'lotse_example'}"

run_psql() {
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" "$@"
}

run_psql --dbname postgres \
    -v owner_password="$LOTSE_DB_OWNER_PASSWORD" -v app_password="$LOTSE_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE lotse_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE
    PASSWORD :'owner_password';
CREATE ROLE lotse_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE
    PASSWORD :'app_password';
SQL

for database in $LOTSE_DATABASES; do
    if [[ ! $database =~ ^lotse_[a-z][a-z0-9_]*$ ]]; then
        echo "10-lotse-roles: refusing database name '$database' (lotse_<service>)" >&2
        exit 1
    fi
    run_psql --dbname postgres <<SQL
CREATE DATABASE "$database" OWNER lotse_owner;
REVOKE ALL ON DATABASE "$database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE "$database" TO lotse_app;
SQL
    # PostgreSQL 15 no longer lets PUBLIC create in the public schema; the owner needs it.
    run_psql --dbname "$database" <<'SQL'
ALTER SCHEMA public OWNER TO lotse_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO lotse_app;
SQL
    echo "10-lotse-roles: database $database owned by lotse_owner, lotse_app may connect"
done
