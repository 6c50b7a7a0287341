"""One frozen dataclass per write of the network's API: the request's data and the ids it acts
on; the actor is the unit of work's principal. (Added with the directory, the referrals, the
agreements and the meetings.)"""

from __future__ import annotations
