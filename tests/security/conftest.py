"""Fixtures of the security tests: the embedded platform with the demo county and a second
tenant, built once for the folder (:mod:`.embedded`)."""

from __future__ import annotations

import pytest

from . import demo_requests
from . import embedded as embedded_platform


@pytest.fixture(scope="package")
def embedded(tmp_path_factory):
    # the environment of embedded mode only while the services read their settings: the other
    # tests of this folder (row-level security) run the example service in the local mode
    with pytest.MonkeyPatch.context() as environment:
        platform, server = embedded_platform.start(tmp_path_factory.mktemp("embedded"),
                                                   environment)
    try:
        yield platform
    finally:
        embedded_platform.stop(platform, server)


@pytest.fixture(scope="module")
def records(embedded):
    """The records a module's requests address (:func:`.demo_requests.make_records`): made
    anew for each module, since the writes of one (closing a case, reaching a goal) leave
    them changed for the next."""
    embedded.record_sets += 1
    return demo_requests.make_records(embedded, spare=embedded.record_sets - 1)
