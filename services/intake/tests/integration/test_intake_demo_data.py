"""The demo county's intake data (``make run``, ``make up``): Höxter's target groups and a few
dozen people across every access path and depth, some admitted; fixed ids; seeding twice
writes nothing; and no name of them in any event."""

from __future__ import annotations

import collections
from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake_helpers import events, outbox_rows
from lotse_demo import COUNTY
from lotse_demo.county import demo_id
from lotse_intake.adapters import orm
from lotse_intake.bootstrap import IntakeService
from lotse_intake.service_layer.seed import ADMITTED, PEOPLE
from lotse_intake.settings import IntakeSettings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def seeded(databases, broker_url, tmp_path_factory):
    database = databases.create("intake_demo")
    service = IntakeService(IntakeSettings(database_url=database.app_url,
                                           migration_database_url=database.owner_url,
                                           broker_url=broker_url,
                                           key_dir=tmp_path_factory.mktemp("demo-keys")))
    service.migrate()
    first = service.seed_demo(COUNTY)
    second = service.seed_demo(COUNTY)
    yield service, first, second
    service.engine.dispose()


def count(service, table) -> int:
    with service.uow(COUNTY.tenant_id) as uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(table))


def test_seeding_writes_the_demo_once(seeded):
    service, first, second = seeded

    assert first > 100
    assert second == 0
    assert count(service, orm.intakes) == 39
    assert count(service, orm.target_groups) == 4
    assert count(service, orm.anonymous_contacts) == 5


def test_the_demo_counts_short_queries_and_information_events_without_names(seeded):
    # 001 L134: "maximal 20 Minuten"; L205: "personenunabhängig … Informationsveranstaltungen"
    from lotse_intake.service_layer.anonymous import count_anonymous_contacts

    service, _, _ = seeded
    with service.uow(COUNTY.tenant_id) as uow:
        today = uow.today()
    short, information = count_anonymous_contacts(
        today - timedelta(days=365), today, None, service.uow(COUNTY.tenant_id))

    assert (short.records, short.minutes) == (3, 45)
    assert (information.records, information.people) == (2, 41)


def test_the_demo_covers_every_access_path_and_every_counselling_depth(seeded):
    service, _, _ = seeded
    tenant = COUNTY.tenant_id

    paths = {e.access_path for e in events(service, tenant, "intake.contact.recorded.v1")}
    depths = collections.Counter(
        e.depth for e in events(service, tenant, "intake.counselling_depth.decided.v1"))

    assert paths == set(range(1, 10))
    assert set(depths) == set(range(1, 8))
    assert any(e.referral_org_id for e in events(service, tenant,
                                                  "intake.counselling_depth.decided.v1"))


def test_ten_to_fifteen_people_are_admitted_with_their_consents_under_fixed_ids(seeded):
    service, _, _ = seeded
    admitted = events(service, COUNTY.tenant_id, "intake.case.admitted.v1")

    assert 10 <= len(admitted) <= 15
    assert sorted(e.intake_id for e in admitted) == sorted(str(demo_id(f"intake:{n}"))
                                                          for n in ADMITTED)
    with service.uow(COUNTY.tenant_id) as uow:
        first = uow.intakes.get(demo_id("intake:1"))
        assert first.person.family_name == "Khalil"
        assert {c.id for c in first.consents} == {demo_id(f"intake:1:consent:{k}")
                                                  for k in (1, 2, 3)}
        assert first.admission.target_group_ids == [str(demo_id(
            "target-group:recognised-refugees"))]


def test_the_demo_has_work_on_every_list(seeded):
    service, _, _ = seeded
    from lotse_intake.service_layer import queries

    # units without a principal: the service itself, which sees every area's intakes
    awaiting = queries.intakes_awaiting_decision(service.uow(COUNTY.tenant_id))
    expiring = queries.consents_expiring(30, service.uow(COUNTY.tenant_id))
    nieheim_cm = str(COUNTY.user("cm.nieheim").id)
    open_in_nieheim = queries.open_intakes(nieheim_cm, service.uow(COUNTY.tenant_id))

    assert len(awaiting) >= 2
    assert len(expiring) >= 3
    assert sorted(i.id for i in open_in_nieheim) == sorted(
        demo_id(f"intake:{n}") for n in (30, 32, 33))


def test_no_name_or_birth_date_of_the_demo_people_is_in_any_event(seeded):
    service, _, _ = seeded
    payloads = b"".join(r.payload for r in outbox_rows(service, COUNTY.tenant_id))

    for person in PEOPLE:
        for secret in (*person.name, person.born):
            if secret:
                assert secret.encode() not in payloads, secret


def test_a_demo_person_is_already_counselled_by_another_service(seeded):
    # 000 L170: "Parallelbetreuungen"
    service, _, _ = seeded
    with service.uow(COUNTY.tenant_id) as uow:
        yohannes = uow.intakes.get(demo_id("intake:2"))
        assert [(s.org_id, s.kind) for s in yohannes.other_services] == [
            (str(COUNTY.organisation("caritas").id), "refugee_counselling")]


def test_a_demo_person_has_a_language_level_with_its_evidence(seeded):
    # 004 L144: "offizielle Nachweise für den Sprachstand"
    service, _, _ = seeded
    with service.uow(COUNTY.tenant_id) as uow:
        rania = uow.intakes.get(demo_id("intake:1"))
        assert [(lv.language, lv.level, lv.evidence) for lv in rania.person.language_levels] == [
            ("ar", "C2", "self_assessment")]


def test_the_demo_family_is_one_household_of_two_adults_and_a_child(seeded):
    # 001 L562: "mit einer größeren Bedarfsgemeinschaft arbeiten"; 002 L217: "Familien"
    service, _, _ = seeded
    with service.uow(COUNTY.tenant_id) as uow:
        household = uow.households.get(demo_id("household:1"))
        assert household.kind == "family"
        assert sorted((m.intake_id, m.relation) for m in household.members) == sorted([
            (demo_id("intake:23"), "applicant"), (demo_id("intake:24"), "partner"),
            (demo_id("intake:39"), "child")])
    changed = events(service, COUNTY.tenant_id, "intake.household.membership_changed.v1")
    assert {e.intake_id for e in changed} == {str(demo_id(f"intake:{n}")) for n in (23, 24, 39)}
def test_the_demo_shows_a_signed_consent_and_release_sealed_with_the_countys_key(seeded):
    # 000 L98: "die Schweigepflichtentbindung … werden unterzeichnet" — make run shows the
    # scanned forms of the first demo person, and they open with the county's key
    from lotse_intake.service_layer.signed_copies import download_signed_copy, signed_copies_of

    service, _, _ = seeded
    intake_id = demo_id("intake:1")

    copies = signed_copies_of(intake_id, service.uow(COUNTY.tenant_id))
    opened = [download_signed_copy(intake_id, c.id, service.uow(COUNTY.tenant_id),
                                   envelopes=service.envelopes)[1] for c in copies]

    assert [c.form for c in copies] == ["data_protection_consent", "confidentiality_release"]
    assert all(content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
               for content in opened)
