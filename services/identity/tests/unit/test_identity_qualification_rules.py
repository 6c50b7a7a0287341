"""Trainings and qualification records against an in-memory unit of work (seed 001 L361 "CM-
Schulungen des MKJFGFI", L384 "Organisation der Schulungen"), and the coordinating office's
assistant (002 L131 "0,5 Assistenzstelle"): what she may do in identity and what she may not
hand herself through an organisation's administrator (ADR 0081)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from identity_fakes import FakeIdentityUnitOfWork

from lotse_identity.bootstrap import IdentityService
from lotse_identity.domain import commands as c
from lotse_identity.domain.model import (
    AlreadyTaken,
    DomainError,
    NotGrantable,
    Organisation,
    OrganisationKind,
    Tenant,
    TenantKind,
    User,
    check_grantable,
)
from lotse_identity.domain.qualifications import (
    DEFAULT_TRAININGS,
    Qualification,
    Training,
    default_catalogue,
    missing_mandatory,
)
from lotse_identity.service_layer.tenants import add_default_trainings
from lotse_identity.settings import IdentitySettings
from lotse_platform.auth import TENANT_WIDE_ROLES
from lotse_platform.auth.principal import COORDINATION_ASSISTANT, ROLE_LABELS, ROLES, Principal
from lotse_platform.errors import Forbidden
from lotse_platform.messagebus import MessageBus
from lotse_platform.testing import today

TENANT = uuid.uuid4()
KREIS = Organisation(name="Kreis Höxter", kind=OrganisationKind.county_administration)
STADT = Organisation(name="Stadt Brakel", kind=OrganisationKind.municipality)
SETTINGS = IdentitySettings(database_url="sqlite://", issuer="http://127.0.0.1/lotse/identity")


def bus() -> MessageBus:
    return MessageBus(IdentityService.command_handlers, IdentityService.event_handlers,
                      {"settings": lambda: SETTINGS})


def caller(*roles: str, organisation: Organisation = KREIS) -> Principal:
    return Principal(subject=str(uuid.uuid4()), tenant=TENANT,
                     organisation=str(organisation.id), roles=frozenset(roles))


def case_manager(name: str = "cm.brakel", **fields) -> User:
    return User(**{"username": name, "display_name": name, "organisation_id": STADT.id,
                   "roles": ["case_manager"], **fields})


def mandatory() -> Training:
    return Training(key="cm-mkjfgfi", label_de="CM-Schulung des MKJFGFI",
                    label_en="Case-management training", mandatory=True)


def county(*records: object, principal: Principal | None = None) -> FakeIdentityUnitOfWork:
    return FakeIdentityUnitOfWork(TENANT, principal=principal).stored(KREIS, STADT, *records)


def test_the_assistant_is_a_role_of_the_platform_with_its_german_label_and_not_tenant_wide():
    """002 L131 "eine 0,5 Assistenzstelle": a role of its own, but no tenant-wide one — the
    services' rules only let tenant-wide roles past organisation and area."""
    assert COORDINATION_ASSISTANT in ROLES
    assert ROLE_LABELS[COORDINATION_ASSISTANT] == "Assistenz der Koordinierenden Stelle"
    assert set(ROLE_LABELS) == ROLES
    assert COORDINATION_ASSISTANT not in TENANT_WIDE_ROLES


def test_only_a_tenant_administrator_grants_the_assistant_role():
    """002 L131: the assistant reads every organisation's staff records, so an organisation's
    administrator may not hand her role out (like the office's own)."""
    check_grantable(frozenset({"tenant_admin"}), ["coordination_assistant"])
    with pytest.raises(NotGrantable):
        check_grantable(frozenset({"org_admin"}), ["coordination_assistant"])


def test_a_new_tenant_starts_with_the_mandatory_cm_training_and_optional_topical_ones():
    """001 L361 "CM-Schulungen des MKJFGFI" (mandatory) … "Schulungen nach Themen wie z. B.
    Asylrecht" (optional)."""
    catalogue = {t.key: t for t in default_catalogue()}
    assert catalogue["cm-mkjfgfi"].mandatory
    assert catalogue["cm-mkjfgfi"].label_de == "CM-Schulung des MKJFGFI"
    assert not catalogue["asylrecht"].mandatory
    assert len(catalogue) == len(DEFAULT_TRAININGS)


def test_the_assistant_adds_a_training_and_a_second_one_with_the_same_key_is_refused():
    """001 L384 "Organisation der Schulungen" by the office (and its assistant)."""
    uow = county(principal=caller(COORDINATION_ASSISTANT))
    training = bus().handle(c.CreateTraining("asylrecht", "Asylrecht", "Asylum law"), uow)

    assert uow.commits == 1 and not training.mandatory
    assert uow.audited == [("create", "training", training.id, None)]
    with pytest.raises(AlreadyTaken) as refused:
        bus().handle(c.CreateTraining("asylrecht", "Asylrecht II", "Asylum law II"), uow)
    assert refused.value.field == "key"
    with pytest.raises(DomainError) as bad:
        bus().handle(c.CreateTraining("Asyl Recht!", "Asylrecht", "Asylum law"), uow)
    assert bad.value.field == "key"


def test_a_case_manager_keeps_no_catalogue_and_records_no_training():
    """001 L384: organising the trainings is the office's task, not the case manager's."""
    lea = case_manager()
    training = mandatory()
    uow = county(lea, training, principal=caller("case_manager", organisation=STADT))
    with pytest.raises(Forbidden):
        bus().handle(c.CreateTraining("asylrecht", "Asylrecht", "Asylum law"), uow)
    with pytest.raises(Forbidden):
        bus().handle(c.RecordQualification(lea.id, training.id, today()), uow)
    assert uow.commits == 0


def test_the_assistant_records_a_completed_training_audited_without_the_reference():
    """001 L361 "haben die CM-Schulungen des MKJFGFI durchlaufen": a record per person."""
    lea, training = case_manager(), mandatory()
    assistant = caller(COORDINATION_ASSISTANT)
    uow = county(lea, training, principal=assistant)

    record = bus().handle(c.RecordQualification(lea.id, training.id,
                                                today() - timedelta(days=30), "Nr. 2023-117"),
                          uow)

    assert (record.user_id, record.training_id, record.recorded_by) == (
        lea.id, training.id, assistant.subject)
    assert record.reference == "Nr. 2023-117"
    assert uow.audited == [("create", "qualification", lea.id, "recorded")]
    assert uow.published == [], "no service consumes qualifications: no event"


def test_a_training_completed_in_the_future_is_refused_naming_completed_on():
    """001 L361 "durchlaufen": recorded once completed — today (the tenant's day) at the latest."""
    lea, training = case_manager(), mandatory()
    uow = county(lea, training, principal=caller("coordinator"))
    bus().handle(c.RecordQualification(lea.id, training.id, today()), uow)
    with pytest.raises(DomainError) as refused:
        bus().handle(c.RecordQualification(lea.id, training.id, today() + timedelta(days=1)),
                     uow)
    assert refused.value.field == "completed_on"


def test_a_record_of_a_retired_or_unknown_training_is_refused_naming_training_id():
    lea, training = case_manager(), mandatory()
    training.change({"active": False})
    uow = county(lea, training, principal=caller("coordinator"))
    for training_id in (training.id, uuid.uuid4()):
        with pytest.raises(DomainError) as refused:
            bus().handle(c.RecordQualification(lea.id, training_id, today()), uow)
        assert refused.value.field == "training_id"


def test_a_record_made_in_error_is_taken_back_by_the_office():
    lea, training = case_manager(), mandatory()
    uow = county(lea, training, principal=caller(COORDINATION_ASSISTANT))
    record = bus().handle(c.RecordQualification(lea.id, training.id, today()), uow)
    bus().handle(c.RemoveQualification(lea.id, record.id), uow)

    assert uow.list_qualifications() == []
    assert uow.audited[-1] == ("delete", "qualification", lea.id, "removed")


def test_the_missing_list_names_the_active_case_managers_without_a_mandatory_training():
    """001 L361: every case manager has the MKJFGFI's training; the office sees who does not.
    A disabled user, another role, an optional or retired training do not count."""
    trained, untrained = case_manager("cm.hoexter"), case_manager("cm.nieheim")
    gone = case_manager("cm.alt", active=False)
    office = User(username="ks.koch", display_name="Miriam Koch", organisation_id=KREIS.id,
                  roles=["coordinator"])
    cm, topical = mandatory(), Training(key="asylrecht", label_de="Asylrecht",
                                        label_en="Asylum law")
    retired = Training(key="alt", label_de="Alt", label_en="Old", mandatory=True, active=False)
    done = Qualification(user_id=trained.id, training_id=cm.id, completed_on=today(),
                         recorded_by="ks")

    missing = missing_mandatory([trained, untrained, gone, office], [cm, topical, retired],
                                [done])

    assert [(m.user.username, [t.key for t in m.trainings]) for m in missing] == [
        ("cm.nieheim", ["cm-mkjfgfi"])]


def test_a_tenant_set_up_before_the_catalogue_gets_the_default_trainings_once():
    """001 L361: the county that upgrades gets the MKJFGFI's mandatory training by command
    (``lotse-identity default-trainings``); its own trainings stay, a second run adds none."""
    own = Training(key="asylrecht", label_de="Asylrecht (Kreis)", label_en="Asylum law")
    uow = county(Tenant(key="kreis-hoexter", name="Kreis Höxter", kind=TenantKind.county,
                        id=TENANT), own)

    class Service:
        def uow(self, tenant_id):
            assert tenant_id == TENANT
            return uow

    assert add_default_trainings(Service(), TENANT) == ["cm-mkjfgfi", "aufenthaltsrecht"]
    assert uow.training_by_key("cm-mkjfgfi").mandatory
    assert uow.training_by_key("asylrecht").label_de == "Asylrecht (Kreis)"
    assert add_default_trainings(Service(), TENANT) == []
