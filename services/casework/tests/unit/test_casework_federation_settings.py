"""Federation settings (ADR 0051): a bad LOTSE_CASEWORK_PEERS stops the start with one line
that names the variable."""

from __future__ import annotations

import uuid

import pytest

from lotse_platform.settings import ConfigurationError, load_settings

from lotse_casework.settings import CaseworkSettings

#: ids fixed at collection (every pytest-xdist worker collects the same tests)
PEER = uuid.uuid5(uuid.NAMESPACE_URL, "urn:lotse:test:peer")
STRANGER = uuid.uuid5(uuid.NAMESPACE_URL, "urn:lotse:test:stranger")
TRUSTED = ('[{"issuer": "https://identity.pb.example", "jwks_uri": '
           '"https://identity.pb.example/jwks", "tenant": "%s", "organisation_claim": "org", '
           '"role_map": {"service": "service"}, "client_id_claim": "client_id"}]' % PEER)


@pytest.fixture
def environment(monkeypatch):
    monkeypatch.setenv("LOTSE_CASEWORK_DATABASE_URL", "sqlite://")
    monkeypatch.setenv("LOTSE_CASEWORK_PUBLIC_URL", "https://lotse.hx.example/api/v1/casework/")
    monkeypatch.setenv("LOTSE_TRUSTED_ISSUERS", TRUSTED)
    return monkeypatch


def test_peers_are_read_from_json_with_the_public_url(environment):
    environment.setenv("LOTSE_CASEWORK_PEERS", f'{{"{PEER}": "https://lotse.pb.example/cw/"}}')
    settings = load_settings(CaseworkSettings)
    assert settings.peer_url(str(PEER)) == "https://lotse.pb.example/cw"
    assert settings.peer_url(uuid.uuid4()) is None and settings.peer_url("x") is None
    assert settings.federation_url == "https://lotse.hx.example/api/v1/casework"


@pytest.mark.parametrize("value, says", [
    ("{not json", "not JSON"),
    ('["a list"]', "must be a JSON object"),
    ('{"hoexter": "https://x.example"}', "valid UUID"),
    (f'{{"{PEER}": "ftp://x.example"}}', "not an http(s) URL"),
    (f'{{"{STRANGER}": "https://x.example"}}', "no trusted issuer"),
])
def test_a_bad_peer_map_is_one_line_naming_the_variable(environment, capsys, value, says):
    environment.setenv("LOTSE_CASEWORK_PEERS", value)
    with pytest.raises(ConfigurationError):
        load_settings(CaseworkSettings)
    line = capsys.readouterr().err.strip()
    assert line.startswith("configuration error: LOTSE_CASEWORK_PEERS is invalid")
    assert says in line and "\n" not in line


def test_peers_need_the_public_url(environment, capsys):
    environment.delenv("LOTSE_CASEWORK_PUBLIC_URL")
    environment.setenv("LOTSE_CASEWORK_PEERS", f'{{"{PEER}": "https://lotse.pb.example"}}')
    with pytest.raises(ConfigurationError):
        load_settings(CaseworkSettings)
    assert "LOTSE_CASEWORK_PUBLIC_URL" in capsys.readouterr().err
