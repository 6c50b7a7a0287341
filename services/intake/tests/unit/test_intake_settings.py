"""A provider's instance is configured as one or refuses to start: operator and routing-key
suffix come together (docs/provider-intake.md)."""

from __future__ import annotations

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
