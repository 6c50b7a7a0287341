"""The rules of a case conference's level and of persons without an organisation (seed 002
L347–L348, 001 L622), on the domain alone."""

from __future__ import annotations

from datetime import date

import pytest

from lotse_casework.domain.contacts import Conference
from lotse_casework.domain.errors import Incomplete, Refused
from lotse_casework.domain.model import Case, Consent

TODAY = date(2026, 6, 1)


def a_case() -> Case:
    return Case.open(intake_id="intake-1", operator_org_id="", area_id="a",
                     organisation_id="org-stadt-hoexter", case_manager_id="cm-lea",
                     opened_on=date(2026, 1, 1), topic_areas=["education"], target_group_ids=[])


def plan(case: Case, level: str, consents=()) -> Conference:
    return Conference.plan(case, list(consents), "someone", TODAY, planned_on=TODAY,
                           topics=["education"], agenda="Schule", participants=[], level=level)


def test_the_office_runs_only_the_county_conferences_and_the_case_manager_both():
    # 002 L347 "Auf Stadtebene … durch den städtischen CM", L348 "Auf Kreisebene … durch die KS"
    case = a_case()
    town, county = plan(case, "town"), plan(case, "county")
    assert not town.may_be_run_by(is_case_manager_of_case=False, is_coordinator=True)
    assert county.may_be_run_by(is_case_manager_of_case=False, is_coordinator=True)
    assert town.may_be_run_by(is_case_manager_of_case=True, is_coordinator=False)
    assert county.may_be_run_by(is_case_manager_of_case=True, is_coordinator=False)
    with pytest.raises(Incomplete) as unknown:
        plan(case, "state")
    assert unknown.value.fields == {"level": "one of town, county"}


def test_a_person_joins_with_the_clients_agreement_and_never_once_she_withdrew():
    # 001 L622 "Beteiligte: … Lehrende, … Ehrenamtliche u.a."
    case = a_case()
    conference = plan(case, "town")
    with pytest.raises(Incomplete) as missing:
        conference.add_person(case, [], {"role": "teacher", "client_agreed": False})
    assert set(missing.value.fields) == {"client_agreed"}
    conference.add_person(case, [], {"role": "teacher", "name": "  Frau Berg ",
                                     "client_agreed": True})
    assert conference.persons == [{"role": "teacher", "name": "Frau Berg"}]

    withdrawn = [Consent(case_id=case.id, consent_id="ca", kind="counselling_agreement",
                         withdrawn_on=TODAY)]
    with pytest.raises(Refused):
        conference.add_person(case, withdrawn, {"role": "volunteer", "client_agreed": True})
    conference.hold(case, TODAY, TODAY, "besprochen", [])
    with pytest.raises(Refused):
        conference.add_person(case, [], {"role": "volunteer", "client_agreed": True})
