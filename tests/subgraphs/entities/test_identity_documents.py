"""Legal representatives with the identity documents of residents of Hong Kong, Macao and Taiwan or of foreigners
(实施细则 Art. 24), accepted for the entity types that allow them (促进个体工商户发展条例 Art. 2, 37) with each
document's number form checked."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.db import Database
from subgraphs.entities.persons import id_check_character, mask_id_number, parse_id_document
from subgraphs.entities.vocabulary import EntityType, IdDocumentType
from tests.subgraphs.entities.harness import REGISTER, Subgraph, another_uscc, application, count

QUERY = "query($u: String!) { entity(uscc: $u) { legalRepresentative { idType idNumber } } }"


def gb11643(first17: str) -> str:
    return first17 + id_check_character(first17)


def wrong_check(first17: str) -> str:
    right = id_check_character(first17)
    return first17 + ("0" if right != "0" else "1")


def rep(id_type: str, id_number: str) -> dict[str, Any]:
    return {"name": "陈大文", "idType": id_type, "idNumber": id_number, "phone": "13812345678"}


@pytest.mark.parametrize(
    ("entity_type", "category", "id_type", "number"),
    [
        ("COMPANY", "1", "HK_MACAO_PERMIT", "H12345678"),
        ("COMPANY", "1", "FOREIGN_PASSPORT", "E12345678"),
        ("COMPANY", "1", "FOREIGN_PERMANENT_RESIDENCE", "USA440319900101"),
        ("PARTNERSHIP", "1", "FOREIGN_PERMANENT_RESIDENCE", gb11643("94402219900101001")),
        ("INDIVIDUAL_BUSINESS", "2", "TAIWAN_PERMIT", "01234567"),
        ("INDIVIDUAL_BUSINESS", "2", "HMT_RESIDENCE_PERMIT", gb11643("81000019900101123")),
        ("INDIVIDUAL_BUSINESS", "2", "HK_MACAO_PERMIT", "M1234567801"),
    ],
)
async def test_art_24_documents_the_entity_type_accepts(
    subgraph: Subgraph, entity_type: str, category: str, id_type: str, number: str
) -> None:
    uscc = another_uscc(11, category)
    variables = {"input": application(uscc=uscc, entityType=entity_type, legalRepresentative=rep(id_type, number))}
    registered = (await subgraph.data(REGISTER, variables))["registerEntity"]
    assert registered["outcome"] == "REGISTERED"
    shown = (await subgraph.data(QUERY, {"u": uscc}))["entity"]["legalRepresentative"]
    assert shown == {"idType": id_type, "idNumber": mask_id_number(number)}
    assert shown["idNumber"] != number


@pytest.mark.parametrize(
    ("entity_type", "category", "id_type", "number", "code"),
    [
        # 促进个体工商户发展条例 Art. 2 (公民), Art. 37: no foreigner registers an individual business
        ("INDIVIDUAL_BUSINESS", "2", "FOREIGN_PASSPORT", "E12345678", "ID_DOCUMENT_NOT_ACCEPTED"),
        ("INDIVIDUAL_BUSINESS", "2", "FOREIGN_PERMANENT_RESIDENCE", "USA440319900101", "ID_DOCUMENT_NOT_ACCEPTED"),
        ("SOLE_PROPRIETORSHIP", "1", "FOREIGN_PASSPORT", "E12345678", "ID_DOCUMENT_NOT_ACCEPTED"),
        ("COMPANY", "1", "HK_MACAO_PERMIT", "X12345678", "INVALID_ID_NUMBER"),
        ("COMPANY", "1", "HK_MACAO_PERMIT", "H1234567", "INVALID_ID_NUMBER"),
        ("COMPANY", "1", "TAIWAN_PERMIT", "0123456A", "INVALID_ID_NUMBER"),
        ("COMPANY", "1", "HMT_RESIDENCE_PERMIT", gb11643("44030419900101123"), "INVALID_ID_NUMBER"),
        ("COMPANY", "1", "HMT_RESIDENCE_PERMIT", wrong_check("81000019900101123"), "INVALID_ID_NUMBER"),
        ("COMPANY", "1", "FOREIGN_PASSPORT", "E12-345", "INVALID_ID_NUMBER"),
        ("COMPANY", "1", "FOREIGN_PERMANENT_RESIDENCE", "US440319900101", "INVALID_ID_NUMBER"),
        ("COMPANY", "1", "RESIDENT_ID", "H12345678", "INVALID_ID_NUMBER"),
    ],
)
async def test_art_24_refusals_name_the_rule_and_change_nothing(
    subgraph: Subgraph, database: Database, entity_type: str, category: str, id_type: str, number: str, code: str
) -> None:
    variables = {
        "input": application(
            uscc=another_uscc(12, category), entityType=entity_type, legalRepresentative=rep(id_type, number)
        )
    }
    error = await subgraph.error(REGISTER, variables)
    assert error["extensions"]["code"] == code
    assert error["extensions"]["idType"] == id_type
    assert await count(database, "market_entity") == 0


def test_the_resident_id_stays_the_default_and_masks_as_before() -> None:
    number = gb11643("44030419900101123")
    assert parse_id_document(IdDocumentType.RESIDENT_ID, number.lower(), EntityType.COMPANY) == number.upper()
    assert mask_id_number(number) == "4403**********" + number[-4:]
    assert mask_id_number("H12345678") == "H1*****78"
