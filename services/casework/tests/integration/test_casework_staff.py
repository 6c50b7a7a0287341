"""The case managers casework knows come from identity's user events: FTE share, employer,
areas, roles; stale or repeated events change nothing."""

from __future__ import annotations

import pytest

from lotse.identity.v1 import events_pb2 as identity
from lotse_platform.auth import COORDINATOR
from lotse_platform.testing import Running, poll

from casework_support import open_test_case, publish_event

pytestmark = pytest.mark.integration


def test_identity_user_events_feed_the_caseload_guideline_and_who_can_receive_a_case(
        casework, broker_url, tenant, as_user):
    koch = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis")
    lines = lambda: {line["case_manager_id"]: line  # noqa: E731
                     for line in koch.get("/caseload").get_json()["case_managers"]}
    for _ in range(3):
        open_test_case(casework, tenant, "u-nina", org="org-borgentreich")
    with Running(casework.consumer().run):
        publish_event(broker_url, tenant, identity.UserCreated(
            user_id="u-nina", organisation_id="org-borgentreich", roles=["case_manager"],
            area_ids=["area-borgentreich"], fte=0.5, version=1), )
        publish_event(broker_url, tenant, identity.UserCreated(
            user_id="u-steering", organisation_id="org-kreis", roles=["steering_member"],
            version=1))
        poll(lambda: lines().get("u-nina", {}).get("norm_high") == 30,
             message="the FTE share from identity")
        publish_event(broker_url, tenant, identity.UserStaffingChanged(
            user_id="u-nina", organisation_id="org-borgentreich", fte=0.75, version=3))
        publish_event(broker_url, tenant, identity.UserStaffingChanged(  # stale: ignored
            user_id="u-nina", organisation_id="org-borgentreich", fte=0.25, version=2))
        publish_event(broker_url, tenant, identity.UserMembershipChanged(
            user_id="u-nina", organisation_id="org-warburg",
            previous_organisation_id="org-borgentreich", version=4))
        poll(lambda: lines()["u-nina"]["organisation_id"] == "org-warburg",
             message="the new employer")
        assert (lines()["u-nina"]["fte"], lines()["u-nina"]["norm_high"]) == (0.75, 45)
        assert "u-steering" not in lines(), "only case managers count"

        lea = as_user("cm-lea")
        case_id = open_test_case(casework, tenant, "cm-lea")
        assert lea.post(f"/cases/{case_id}/transfers",
                        {"to_case_manager_id": "u-nina"}).status_code == 201
        publish_event(broker_url, tenant, identity.UserDisabled(
            user_id="u-nina", organisation_id="org-warburg", version=5))
        other = open_test_case(casework, tenant, "cm-lea")

        def disabled() -> bool:
            with casework.uow(tenant) as uow:
                return not uow.case_manager("u-nina").active

        # once the event is processed (a transfer offered before that would be pending, and
        # every later attempt a 409)
        poll(disabled, message="the disabled event to be processed")
        assert lea.post(f"/cases/{other}/transfers", {"to_case_manager_id": "u-nina"}
                        ).status_code == 422, "a disabled user receives nothing"
