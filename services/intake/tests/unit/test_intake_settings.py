"""A provider's instance is configured as one or refuses to start: operator and routing-key
suffix come together (docs/provider-intake.md)."""

from __future__ import annotations

import uuid

import pytest

from lotse_intake.settings import IntakeSettings
from lotse_platform.settings import ConfigurationError, load_settings

AWO = "org-awo"


def test_a_provider_instance_without_its_routing_key_suffix_does_not_start(monkeypatch):
    monkeypatch.setenv("LOTSE_INTAKE_DATABASE_URL", "sqlite://")
    monkeypatch.setenv("LOTSE_INTAKE_OPERATOR", AWO)
    monkeypatch.delenv("LOTSE_ROUTING_KEY_SUFFIX", raising=False)

    with pytest.raises(ConfigurationError) as refused:
        load_settings(IntakeSettings)

    assert "LOTSE_ROUTING_KEY_SUFFIX" in str(refused.value)


def test_an_instance_with_a_suffix_but_without_its_operator_does_not_start(monkeypatch):
    monkeypatch.setenv("LOTSE_INTAKE_DATABASE_URL", "sqlite://")
    monkeypatch.delenv("LOTSE_INTAKE_OPERATOR", raising=False)
    monkeypatch.setenv("LOTSE_ROUTING_KEY_SUFFIX", "awo")

    with pytest.raises(ConfigurationError) as refused:
        load_settings(IntakeSettings)

    assert "LOTSE_INTAKE_OPERATOR must be set" in str(refused.value)


def test_a_tenants_admission_criteria_are_read_as_json_and_checked(monkeypatch):
    # 001 L128: "komplexe und zeitintensive Bedarfe, sowie strukturelle Themen"
    tenant = "6f1c2b8e-0000-4000-8000-000000000001"
    monkeypatch.setenv("LOTSE_INTAKE_DATABASE_URL", "sqlite://")
    monkeypatch.delenv("LOTSE_INTAKE_OPERATOR", raising=False)
    monkeypatch.delenv("LOTSE_ROUTING_KEY_SUFFIX", raising=False)
    monkeypatch.setenv("LOTSE_INTAKE_ADMISSION_CRITERIA",
                       f'{{"{tenant}": ["structural_themes", "long_term_need"]}}')

    settings = load_settings(IntakeSettings)

    assert [str(c) for c in settings.admission_criteria_of(uuid.UUID(tenant))] == [
        "structural_themes", "long_term_need"]
    assert len(settings.admission_criteria_of(uuid.uuid4())) == 5

    for wrong in (f'{{"{tenant}": []}}', f'{{"{tenant}": ["sorrows"]}}',
                  '{"county": ["long_term_need"]}',
                  f'{{"{tenant}": ["long_term_need", "long_term_need"]}}'):
        monkeypatch.setenv("LOTSE_INTAKE_ADMISSION_CRITERIA", wrong)
        with pytest.raises(ConfigurationError) as refused:
            load_settings(IntakeSettings)
        assert "admission_criteria" in str(refused.value).lower(), wrong


def test_who_decides_case_proposals_is_read_per_tenant_and_an_unknown_way_refused(monkeypatch):
    # 003 L25 "in regelmäßig terminierten Fallkonferenzen"; 002 L320 "melden Fälle an den CMS"
    tenant = "6f1c2b8e-0000-4000-8000-000000000002"
    monkeypatch.setenv("LOTSE_INTAKE_DATABASE_URL", "sqlite://")
    monkeypatch.delenv("LOTSE_INTAKE_OPERATOR", raising=False)
    monkeypatch.delenv("LOTSE_ROUTING_KEY_SUFFIX", raising=False)
    monkeypatch.setenv("LOTSE_INTAKE_CASE_PROPOSALS", f'{{"{tenant}": "case_conference"}}')

    settings = load_settings(IntakeSettings)

    assert settings.case_proposal_routing_of(uuid.UUID(tenant)) == "case_conference"
    assert settings.case_proposal_routing_of(uuid.uuid4()) == "coordinating_office"
    monkeypatch.setenv("LOTSE_INTAKE_CASE_PROPOSALS", f'{{"{tenant}": "by_lottery"}}')
    with pytest.raises(ConfigurationError) as refused:
        load_settings(IntakeSettings)
    assert "case_proposals" in str(refused.value).lower()
