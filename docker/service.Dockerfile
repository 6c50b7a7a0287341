# syntax=docker/dockerfile:1
#
# The image of every Lotse service, from this one file (docs/adr/0030-containers-and-charts.md):
#
#   docker build -f docker/service.Dockerfile --build-arg SERVICE=example -t lotse/example .
#
# A new service needs no Dockerfile of its own: services/<name>/ with its pyproject.toml (console
# script lotse-<name>, migrations/ beside src/) is all this file expects. The build context is the
# repository root (.dockerignore keeps .git, .venv, .env, tests and local state out).
#
# One image, four commands (the CLI of lotse_platform.cli):
#   lotse-service setup     migrate as the table owner, declare the broker queues (one-shot, first)
#   lotse-service api       gunicorn on LOTSE_BIND (0.0.0.0:8000); PROMETHEUS_MULTIPROC_DIR on a tmpfs
#   lotse-service worker    outbox relay and consumers; metrics on LOTSE_WORKER_METRICS_PORT (9100)
#   lotse-service check-db  the start-up check alone
#
# The image holds no secret and no configuration beyond safe defaults: database and broker URLs,
# JWKS URL and issuer come from the environment at run time. It runs as uid 10001 and writes only
# to /tmp and /run/lotse, so it works with a read-only root filesystem when those two are tmpfs
# (compose) or emptyDir volumes (Kubernetes).

# Pinned by exact tag. Production builds pin the digest too:
#   --build-arg PYTHON_IMAGE=python:3.11.14-slim-bookworm@sha256:<digest>
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
RUN test -n "${SERVICE}" \
    || { echo "build with --build-arg SERVICE=<name> (a folder of services/)" >&2; exit 1; }
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/lotse
# The shared libraries first, in their own layer: it is the same for every service image.
COPY libs/demo /src/libs/demo
COPY libs/contracts /src/libs/contracts
COPY libs/platform /src/libs/platform
RUN /opt/lotse/bin/pip install /src/libs/demo /src/libs/contracts /src/libs/platform
# The service itself is installed editable at the path it keeps in the final image: its
# bootstrap finds migrations/ beside src/ (Path(__file__).parents[2] / "migrations"), which a
# plain wheel install into site-packages would leave behind. Byte-code is compiled here: the
# running container cannot write __pycache__ on a read-only filesystem.
COPY services/${SERVICE} /app/services/${SERVICE}
RUN /opt/lotse/bin/pip install -e /app/services/${SERVICE} \
    && test -x /opt/lotse/bin/lotse-${SERVICE} \
    && ln -s /opt/lotse/bin/lotse-${SERVICE} /opt/lotse/bin/lotse-service \
    && test -d /app/services/${SERVICE}/migrations \
    && /opt/lotse/bin/python -m compileall -q /opt/lotse/lib /app/services/${SERVICE}/src
COPY docker/healthcheck.py /opt/lotse/healthcheck.py


FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="lotse-${SERVICE}" \
      org.opencontainers.image.description="Lotse ${SERVICE} service (API, worker and setup in one image)" \
      org.opencontainers.image.source="services/${SERVICE}"
RUN groupadd --system --gid 10001 lotse \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin lotse \
    && install -d -o 10001 -g 10001 -m 0700 /run/lotse \
    && install -d -o 10001 -g 10001 -m 0700 /var/lib/lotse/keys
COPY --from=build /opt/lotse /opt/lotse
COPY --from=build /app/services/${SERVICE} /app/services/${SERVICE}
ENV PATH=/opt/lotse/bin:${PATH} \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LOTSE_SERVICE=${SERVICE} \
    LOTSE_MODE=local \
    LOTSE_LOG_FORMAT=json \
    LOTSE_BIND=0.0.0.0:8000 \
    LOTSE_WORKER_METRICS_PORT=9100 \
    LOTSE_WORKER_METRICS_ADDR=0.0.0.0
WORKDIR /app/services/${SERVICE}
USER 10001:10001
EXPOSE 8000 9100
# Liveness of the API (the default command). Compose overrides it for the worker and setup.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "/opt/lotse/healthcheck.py", "healthz"]
ENTRYPOINT ["lotse-service"]
CMD ["api"]
