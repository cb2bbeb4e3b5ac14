"""Evidence: the hash chain (SHA-256 or SM3), its verification naming the first tampered item (file or row),
custody, and preservation orders with their deadlines."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from subgraphs.enforcement.evidence import GENESIS
from subgraphs.enforcement.hashing import digest, sm3_openssl, sm3_pure
from subgraphs.enforcement.store import DirectoryEvidenceStore
from subgraphs.enforcement.vocabulary import HashAlgorithm
from tests.subgraphs.enforcement.conftest import HEAD, Subgraph
from tests.subgraphs.enforcement.operations import EVIDENCE, VERIFY, evidence_input, registered
from tests.support.identities import NANSHAN, officer

ORDER = 'mutation($caseId: ID!, $kind: PreservationKind!) { orderPreservation(caseId: $caseId, kind: $kind, items: "冻肉 20 箱") { id dueOn status } }'  # noqa: E501
EXTEND = "mutation($id: ID!) { extendPreservation(id: $id) { dueOn status } }"
RELEASE = 'mutation($id: ID!) { releasePreservation(id: $id, outcome: "移送检验") { status releasedOn } }'
CUSTODY = 'mutation($id: ID!) { recordCustody(evidenceId: $id, action: "TRANSFERRED", holder: "证物室") { custody { action holder } } }'  # noqa: E501


def test_sm3_matches_the_standards_test_vectors() -> None:
    """GB/T 32905-2016 Appendix A, examples 1 and 2: the digest the chain uses, and both implementations of it."""
    examples = {
        b"abc": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
        b"abcd" * 16: "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
    }
    implementations = [sm3_pure] + ([sm3_openssl] if "sm3" in hashlib.algorithms_available else [])
    for data, expected in examples.items():
        assert digest(HashAlgorithm.SM3, data) == expected
        assert [sm3(data) for sm3 in implementations] == [expected] * len(implementations)


async def chained(subgraph: Subgraph, case_id: str, count: int) -> list[dict[str, object]]:
    items = []
    for index in range(count):
        content = f"item {index}".encode()
        items.append((await subgraph.data(EVIDENCE, caseId=case_id, input=evidence_input(content)))["addEvidence"])
    return items


@pytest.mark.parametrize("algorithm", ["SHA256", "SM3"])
async def test_items_chain_and_verify(subgraph: Subgraph, algorithm: str) -> None:
    case_id = await registered(subgraph, hashAlgorithm=algorithm)
    items = await chained(subgraph, case_id, 3)
    assert [item["seq"] for item in items] == [1, 2, 3]
    assert items[0]["previousHash"] == GENESIS
    assert [item["previousHash"] for item in items[1:]] == [item["recordHash"] for item in items[:-1]]
    assert {item["algorithm"] for item in items} == {algorithm}
    assert items[0]["contentHash"] == digest(HashAlgorithm(algorithm), b"item 0")
    assert items[0]["custody"] == [{"action": "COLLECTED", "holder": "officer-wang"}]
    verdict = (await subgraph.data(VERIFY, caseId=case_id))["verifyEvidenceChain"]
    assert verdict == {"intact": True, "items": 3, "problem": None, "firstBroken": None}


async def test_a_tampered_file_is_named(subgraph: Subgraph) -> None:
    case_id = await registered(subgraph)
    items = await chained(subgraph, case_id, 3)
    uri = (await subgraph.sql("SELECT storage_uri FROM E.evidence WHERE id = :id", id=items[1]["id"]))[0][0]
    store = subgraph.services.evidence
    path = store.root / uri.removeprefix("file:")  # type: ignore[attr-defined]
    path.write_bytes(b"item 1, retouched")
    verdict = (await subgraph.data(VERIFY, caseId=case_id))["verifyEvidenceChain"]
    assert verdict["intact"] is False
    assert verdict["firstBroken"] == {"id": items[1]["id"], "seq": 2}
    assert "file no longer matches" in verdict["problem"]
    path.unlink()
    verdict = (await subgraph.data(VERIFY, caseId=case_id))["verifyEvidenceChain"]
    assert ("file is missing" in verdict["problem"], verdict["firstBroken"]["seq"]) == (True, 2)


async def test_a_tampered_row_is_named(subgraph: Subgraph) -> None:
    case_id = await registered(subgraph)
    items = await chained(subgraph, case_id, 4)
    await subgraph.sql(
        "UPDATE E.evidence SET captured_by = :who WHERE id = :id", who='["someone-else"]', id=items[2]["id"]
    )
    verdict = (await subgraph.data(VERIFY, caseId=case_id))["verifyEvidenceChain"]
    assert (verdict["intact"], verdict["firstBroken"]) == (False, {"id": items[2]["id"], "seq": 3})
    assert "record was changed" in verdict["problem"]
    # rewriting the row's own digest too does not help: the next item's link breaks
    await subgraph.sql("UPDATE E.evidence SET record_hash = :h WHERE id = :id", h="f" * 64, id=items[2]["id"])
    verdict = (await subgraph.data(VERIFY, caseId=case_id))["verifyEvidenceChain"]
    assert verdict["firstBroken"]["seq"] == 3
    # a deleted item breaks the chain at its successor
    other = await registered(subgraph)
    rest = await chained(subgraph, other, 3)
    await subgraph.sql("DELETE FROM E.evidence_custody WHERE evidence_id = :id", id=rest[1]["id"])
    await subgraph.sql("DELETE FROM E.evidence WHERE id = :id", id=rest[1]["id"])
    verdict = (await subgraph.data(VERIFY, caseId=other))["verifyEvidenceChain"]
    assert verdict["firstBroken"] == {"id": rest[2]["id"], "seq": 3}


async def test_bad_evidence_is_refused_and_nothing_is_chained(subgraph: Subgraph) -> None:
    case_id = await registered(subgraph)
    error = await subgraph.error(EVIDENCE, caseId=case_id, input=evidence_input(contentBase64="not base64!"))
    assert error.code == "INVALID_EVIDENCE"
    assert (await subgraph.error(EVIDENCE, caseId=case_id, input=evidence_input(b""))).code == "INVALID_EVIDENCE"
    assert (await subgraph.error(EVIDENCE, caseId=case_id, input=evidence_input(capturedBy=[]))).code == (
        "INVALID_EVIDENCE"
    )
    assert await subgraph.sql("SELECT count(*) FROM E.evidence") == [(0,)]


async def test_custody_and_preservation_orders(subgraph: Subgraph) -> None:
    case_id = await registered(subgraph)
    item = (await subgraph.data(EVIDENCE, caseId=case_id, input=evidence_input()))["addEvidence"]
    custody = (await subgraph.data(CUSTODY, id=item["id"]))["recordCustody"]["custody"]
    assert [entry["action"] for entry in custody] == ["COLLECTED", "TRANSFERRED"]
    head = subgraph.as_(HEAD)
    assert (await subgraph.error(ORDER, caseId=case_id, kind="SEAL")).code == "FORBIDDEN"
    registered_order = (await head.data(ORDER, caseId=case_id, kind="REGISTERED_PRESERVATION"))["orderPreservation"]
    assert registered_order["dueOn"] == "2025-10-13"  # 7 working days: 28 Sep, 11 Oct are 调休 make-up days
    assert (await head.error(EXTEND, id=registered_order["id"])).code == "EXTENSION_NOT_ALLOWED"
    seal = (await head.data(ORDER, caseId=case_id, kind="SEAL"))["orderPreservation"]
    assert seal["dueOn"] == "2025-10-26"
    assert (await head.data(EXTEND, id=seal["id"]))["extendPreservation"] == {
        "dueOn": "2025-11-25",
        "status": "EXTENDED",
    }
    assert (await head.error(EXTEND, id=seal["id"])).code == "EXTENSION_NOT_ALLOWED"
    released = (await subgraph.data(RELEASE, id=seal["id"]))["releasePreservation"]
    assert released == {"status": "RELEASED", "releasedOn": "2025-09-26"}
    assert (await subgraph.error(RELEASE, id=seal["id"])).code == "PRESERVATION_NOT_OPEN"
    nanshan = subgraph.as_(officer(NANSHAN, roles=("case_officer", "agency_head")))
    for operation, key in ((CUSTODY, item["id"]), (RELEASE, registered_order["id"]), (EXTEND, registered_order["id"])):
        error = await nanshan.error(operation, id=key)
        assert (error.code, case_id in error.message) == ("NOT_FOUND", False)


def test_the_store_reads_nothing_outside_it(tmp_path: Path) -> None:
    """A URI with ``..`` or one naming a planted link is refused; reading many files reads each in turn."""
    store = DirectoryEvidenceStore(tmp_path / "vault")
    uris = [store.put(f"case-1/item-{n}", f"file {n}".encode()) for n in range(3)]
    (tmp_path / "secret").write_bytes(b"outside")
    (tmp_path / "vault" / "case-1" / "planted").symlink_to(tmp_path / "secret")
    assert list(store.get_many([*uris, "file:case-1/gone"])) == [b"file 0", b"file 1", b"file 2", None]
    for uri in ("file:../secret", "file:case-1/../../secret", "file:case-1/planted", "file:case-1/.."):
        with pytest.raises(ValueError, match=r"outside the store|symbolic link"):
            store.get(uri)
