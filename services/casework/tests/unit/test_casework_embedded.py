"""Embedded mode (SQLite, one process): migrations, the demo county, and a transfer offer to
another tenant recorded — and its cancel carried out — by the consumer without waiting on its own
transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from lotse.casework.v1 import events_pb2 as ev
from lotse_demo import COUNTY
from lotse_platform.contracts import Envelope, event_type_of

from lotse_casework.bootstrap import CaseworkService
from lotse_casework.settings import CaseworkSettings


def test_on_sqlite_the_demo_county_seeds_and_a_transfer_offer_reaches_the_other_tenant(tmp_path):
    casework = CaseworkService(CaseworkSettings(database_url=f"sqlite:///{tmp_path / 'casework.db'}",
                                         mode="embedded", key_dir=tmp_path / "keys"))
    casework.migrate()
    # 50 records and, with a key directory, the demo case's signed copy (ADR 0082)
    assert casework.seed_demo(COUNTY) == 51
    receiving, transfer_id = uuid.uuid4(), uuid.uuid4()
    offer = ev.CaseTransferOffered(case=ev.CaseFacts(case_id=str(uuid.uuid4())),
                                   transfer_id=str(transfer_id), to_tenant_id=str(receiving),
                                   to_area_id="area-paderborn", offered_on="2026-11-24")
    envelope = Envelope(id=uuid.uuid4(), type=event_type_of(offer), source="/lotse/casework",
                        time=datetime.now(UTC), data=offer.SerializeToString(),
                        tenant=COUNTY.tenant_id)
    consumer = casework.consumer()
    assert consumer.process(envelope, offer) == "processed"
    assert consumer.process(envelope, offer) == "duplicate"
    with casework.uow(receiving) as uow:
        assert [t.id for t in uow.inbound_for_areas(["area-paderborn"])] == [transfer_id]
    with casework.uow(COUNTY.tenant_id) as uow:
        assert uow.inbound(transfer_id) is None, "recorded in the receiving tenant only"

    cancel = ev.CaseTransferCancelled(case=offer.case, transfer_id=str(transfer_id),
                                      to_tenant_id=str(receiving), cancelled_on="2026-11-25")
    assert consumer.process(Envelope(
        id=uuid.uuid4(), type=event_type_of(cancel), source="/lotse/casework",
        time=datetime.now(UTC), data=cancel.SerializeToString(), tenant=COUNTY.tenant_id),
        cancel) == "processed"
    with casework.uow(receiving) as uow:
        assert uow.inbound_for_areas(["area-paderborn"]) == []
        assert uow.inbound(transfer_id).status == "cancelled"
    casework.engine.dispose()
