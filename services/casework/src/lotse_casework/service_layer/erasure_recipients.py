"""An erasure on request reaches the counties a case of the person was transferred to
(Art. 17(2), 19 GDPR, ADR 0109).

A case taken over by another tenant (ADR 0050) is that county's own case, opened with a copy of
the file; there the person is known by the transfer's id (the new case's intake reference). When
she is erased here on her justified request, casework tells each such tenant served by this
deployment, in the erasure's transaction and before it erases (the transfer rows go with it):
``erasure.requested.v1`` of that tenant (trigger ``recipient``), written in a unit of work of
that tenant; its intake records the erasure and its services erase the copy and answer there.
A retention erasure here does not: the receiving county's case runs on, with its own period.

A tenant of a peer deployment (``LOTSE_CASEWORK_PEERS``, ADR 0051) is told through the outbox:
``casework.case.transfer_erasure_requested.v1`` (ids only) in the erasure's transaction, whose
consumer (:func:`.transfer_to_peer.deliver_erasure`) calls that deployment's federation endpoint
until it answers (redelivery, dead letter, replay); there it is forwarded to the receiving tenant
as here (:func:`.transfer_to_peer.record_erasure`). The sender's own erasure does not wait for
the peer.
"""

from __future__ import annotations

import logging
import uuid

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform.audit import Purpose
from lotse_platform.subject_rights import erasure_handlers

from ..settings import CaseworkSettings
from .unit_of_work import CaseworkUnitOfWork, UnitsOfWork

log = logging.getLogger("lotse.casework.erasure")

#: the service that coordinates erasures in every tenant (ADR 0103, 0106)
COORDINATOR = "intake"


def tell_recipients(uow: CaseworkUnitOfWork, units: UnitsOfWork, settings: CaseworkSettings,
                    erasure_id: uuid.UUID, person_id: str) -> int:
    """Forward the erasure to every tenant of this deployment that took over a case of the
    person; answers how many were told."""
    told = 0
    for case in uow.cases_from_intake(person_id):
        for transfer in uow.transfers(case.id):
            if not transfer.to_tenant_id or transfer.status != "accepted":
                continue
            if settings.peer_url(transfer.to_tenant_id):
                uow.publish(ev.CaseTransferErasureRequested(
                    transfer_id=str(transfer.id), to_tenant_id=transfer.to_tenant_id,
                    erasure_id=str(erasure_id)), aggregate_id=transfer.id)
                uow.audit("erasure.forward", "transfer", transfer.id,
                          purpose=Purpose.data_subject_request)
                log.info("erasure.recipient_at_peer", extra={
                    "erasure_id": str(erasure_id), "transfer_id": str(transfer.id),
                    "to_tenant_id": transfer.to_tenant_id})
                told += 1
                continue
            with uow.alongside(units(transfer.to_tenant_id)) as receiving:
                erasure_handlers.forward(receiving, erasure_id=erasure_id,
                                         person_id=str(transfer.id), coordinator=COORDINATOR)
                receiving.commit()
            told += 1
    return told
