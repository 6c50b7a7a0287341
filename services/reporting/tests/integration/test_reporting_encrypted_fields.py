"""The two-week reports' words encrypted with the tenant's keys (issue 15 point 4, ADR 0104), on
the real PostgreSQL: after ``keys destroy`` the case manager's report answers 410; a reporting
service without a key store answers the saving of a report with 503 and writes nothing."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from lotse_platform.auth import CASE_MANAGER
from lotse_platform.cli import _keys
from lotse_platform.testing import (
    TokenCaller,
    frozen_clock,
    known_directory,
    put_directory,
    service_on,
)

from test_reporting_period_reports import FRIDAY, PERIOD

pytestmark = pytest.mark.integration

BODY = {"corrections": {}, "topics": [{"topic_area": "housing",
                                       "text": "Familie K. findet seit einem Jahr keine Wohnung"}],
        "network_minutes": 60, "system_minutes": 30}


class Args:
    def __init__(self, action: str, tenant: uuid.UUID, **more) -> None:
        self.action, self.tenant, self.yes, self.batch_size = action, tenant, False, 500
        self.__dict__.update(more)


def saved(cm: TokenCaller):
    read = cm.get(f"/period-reports/mine/{PERIOD}")
    assert read.status_code == 200, read.json
    return cm.client.put(f"/period-reports/mine/{PERIOD}", json=BODY,
                         headers={**cm.headers, "If-Match": read.headers["ETag"]})


def test_after_the_keys_are_destroyed_the_report_answers_410(reporting, tenant, as_user):
    put_directory(reporting, tenant, known_directory(users=[("cm-1", "org-kreis",
                                                             [CASE_MANAGER])]))
    cm = as_user("cm-1", roles=(CASE_MANAGER,))
    with frozen_clock(FRIDAY):
        answer = saved(cm)
        assert answer.status_code == 200, answer.json
        assert _keys("reporting", reporting, Args("destroy", tenant, yes=True)) == 0
        reporting.field_cipher.forget(tenant)  # as every process does within its cache time
        refused = cm.get(f"/period-reports/mine/{PERIOD}")
    assert refused.status_code == 410
    assert refused.get_json()["type"].endswith("encrypted-data-unreadable")


def test_without_a_key_store_saving_a_report_answers_503(reporting_db, broker_url, issuer,
                                                         superuser):
    from lotse_reporting.bootstrap import ReportingService

    tenant = uuid.uuid4()
    keyless = service_on(ReportingService, reporting_db, broker_url, issuer, key_dir=None)
    try:
        put_directory(keyless, tenant, known_directory(users=[("cm-1", "org-kreis",
                                                               [CASE_MANAGER])]))
        cm = TokenCaller(keyless.create_app().test_client(),
                         issuer.issue("cm-1", tenant, "org-kreis", [CASE_MANAGER], areas=[]))
        with frozen_clock(FRIDAY):
            refused = saved(cm)
        assert refused.status_code == 503, refused.json
        assert refused.headers["Content-Type"] == "application/problem+json"
    finally:
        keyless.engine.dispose()
    with superuser.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM period_report WHERE tenant_id "
                                          "= :t"), {"t": tenant}).scalar_one() == 0
