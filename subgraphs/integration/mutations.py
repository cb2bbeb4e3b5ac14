"""Write side of the integration subgraph: correct a quarantined record and re-submit it, or discard it."""

from __future__ import annotations

import strawberry

from subgraphs.common.fields import mutation
from subgraphs.integration import store
from subgraphs.integration.queries import require_operator
from subgraphs.integration.types import Info, Rejection


@strawberry.input(description="A corrected value for one field of a quarantined record.")
class FieldValueInput:
    name: str
    value: str


@strawberry.type(description="The quarantined record after the change.")
class RejectionPayload:
    rejection: Rejection


@strawberry.type
class Mutation:
    @mutation(
        "Correct a quarantined record and re-submit it; its adapter applies it on its next round.",
        action="integration.resubmit_rejection",
    )
    async def resubmit_rejection(
        self, info: Info, id: strawberry.ID, corrections: list[FieldValueInput]
    ) -> RejectionPayload:
        by = require_operator(info, writes=True)
        values = {item.name: item.value for item in corrections}
        row = await store.correct(info.context.session, int(id), values, by, info.context.services.now())
        return RejectionPayload(rejection=Rejection.from_row(row))

    @mutation("Give a quarantined record up (the sender will not correct it).", action="integration.discard_rejection")
    async def discard_rejection(self, info: Info, id: strawberry.ID) -> RejectionPayload:
        by = require_operator(info, writes=True)
        row = await store.discard(info.context.session, int(id), by, info.context.services.now())
        return RejectionPayload(rejection=Rejection.from_row(row))
