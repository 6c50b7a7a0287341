"""Fixtures of the smoke tests: every installed service's app as embedded mode builds it
(SQLite files, in-memory bus, identity's keys), without serving it."""

from __future__ import annotations

import pytest
from flask import Flask

from lotse_platform.service import installed_services
from lotse_platform.settings import load_settings


@pytest.fixture(scope="module")
def service_apps(tmp_path_factory) -> dict[str, Flask]:
    """name -> the service's Flask app; building an app connects to nothing."""
    data = tmp_path_factory.mktemp("services")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LOTSE_MODE", "embedded")
        env.setenv("LOTSE_BROKER_URL", "memory://")
        env.setenv("LOTSE_PUBLIC_URL", "http://localhost:8080")
        services = [cls(load_settings(cls.settings_class,
                                      database_url=f"sqlite:///{data}/{cls.name}.db"))
                    for cls in installed_services()]
        issuers = [s.token_keys() for s in services if s.token_keys() is not None]
        apps = {}
        for service in services:
            if issuers:
                service.trust(*issuers[0])
            apps[service.name] = service.create_app()
    return apps
