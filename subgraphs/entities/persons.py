"""Natural persons on a registration: identity document numbers (the resident ID of GB 11643-1999, the permits of
residents of Hong Kong, Macao and Taiwan, foreigners' documents), phone numbers, and how both are masked."""

from __future__ import annotations

import datetime as dt
import re

from kernel.errors import ClientError
from subgraphs.entities.errors import EntitiesCode
from subgraphs.entities.vocabulary import ACCEPTED_DOCUMENTS, EntityType, IdDocumentType

ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
"""GB 11643-1999: check character = ID_CHECK[Σ aᵢ·Wᵢ mod 11]."""
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_check_character(first17: str) -> str:
    """The 18th character of a resident ID number."""
    return ID_CHECK[sum(int(char) * weight for char, weight in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def parse_id_number(raw: str, document: IdDocumentType = IdDocumentType.RESIDENT_ID) -> str:
    """An 18-character number of the GB 11643 layout (a resident ID; ``document`` names the card), upper-cased;
    otherwise ``INVALID_ID_NUMBER`` saying why."""
    number = raw.upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ClientError(
            "a resident ID number has 17 digits and a check character (digit or X)",
            code=EntitiesCode.INVALID_ID_NUMBER,
            details={"idType": document.value},
        )
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ClientError(
            f"positions 7–14 of the ID number ({number[6:14]}) are not a birth date",
            code=EntitiesCode.INVALID_ID_NUMBER,
            details={"idType": document.value},
        ) from None
    expected = id_check_character(number[:17])
    if number[17] != expected:
        raise ClientError(
            f"ID number check character expected {expected} but found {number[17]}",
            code=EntitiesCode.INVALID_ID_NUMBER,
            details={"idType": document.value},
        )
    return number


HMT_REGIONS = {"810000": "Hong Kong", "820000": "Macao", "830000": "Taiwan"}
"""Address codes of the 港澳台居民居住证 (GB 11643 layout with these regions) [U]."""
_DOCUMENT_FORMATS: dict[IdDocumentType, tuple[re.Pattern[str], str]] = {
    IdDocumentType.HK_MACAO_PERMIT: (
        re.compile(r"^[HM]\d{8}(\d{2})?$"),
        "a 港澳居民来往内地通行证 number is H (Hong Kong) or M (Macao) and 8 digits, or 10 on the older booklet [U]",
    ),
    IdDocumentType.TAIWAN_PERMIT: (
        re.compile(r"^\d{8}(\d{2})?$"),
        "a 台湾居民来往大陆通行证 number has 8 digits, or 10 on the older booklet [U]",
    ),
    IdDocumentType.FOREIGN_PASSPORT: (
        re.compile(r"^[A-Z0-9]{5,20}$"),
        "a passport number has 5–20 letters or digits (ICAO 9303 document number; local convention for the bound)",
    ),
}
_PERMANENT_RESIDENCE_2017 = re.compile(r"^[A-Z]{3}\d{12}$")


def _invalid(message: str, document: IdDocumentType) -> ClientError:
    return ClientError(message, code=EntitiesCode.INVALID_ID_NUMBER, details={"idType": document.value})


def parse_id_document(document: IdDocumentType, raw: str, entity_type: EntityType | None) -> str:
    """The document number, normalised, if ``entity_type`` accepts ``document`` for its legal representative
    (``ID_DOCUMENT_NOT_ACCEPTED`` otherwise; None: any document, as for key persons) and the number has the
    document's form (``INVALID_ID_NUMBER``)."""
    accepted, basis = ACCEPTED_DOCUMENTS[entity_type] if entity_type is not None else (frozenset(IdDocumentType), "")
    if entity_type is not None and document not in accepted:
        raise ClientError(
            f"the legal representative of a {entity_type.value} cannot register with a {document.value} ({basis})",
            code=EntitiesCode.ID_DOCUMENT_NOT_ACCEPTED,
            details={"idType": document.value, "entityType": entity_type.value},
        )
    number = raw.strip().upper()
    if document is IdDocumentType.RESIDENT_ID:
        return parse_id_number(number)
    if document is IdDocumentType.HMT_RESIDENCE_PERMIT:
        if number[:6] not in HMT_REGIONS:
            raise _invalid(
                f"a 港澳台居民居住证 number starts with 810000, 820000 or 830000, not {number[:6]!r}", document
            )
        return parse_id_number(number, document)
    if document is IdDocumentType.FOREIGN_PERMANENT_RESIDENCE:
        if _PERMANENT_RESIDENCE_2017.match(number):
            return number  # 2017 card: nationality (ISO 3166 alpha-3) and 12 digits [U]
        if len(number) == 18 and number.startswith("9"):
            return parse_id_number(number, document)  # 2023 card: 18 characters from 9, GB 11643 check character [U]
        raise _invalid(
            "a 外国人永久居留身份证 number is 3 letters and 12 digits (2017 card) or 18 characters starting with 9 "
            "(2023 card)",
            document,
        )
    pattern, rule = _DOCUMENT_FORMATS[document]
    if not pattern.match(number):
        raise _invalid(f"{number!r} is not a valid number: {rule}", document)
    return number


def parse_phone(raw: str) -> str:
    """A mainland mobile (11 digits) or landline (area code + number) phone number, else ``INVALID_PHONE``."""
    phone = raw.strip()
    if not _PHONE.match(phone):
        raise ClientError(
            f"{raw!r} is not a mobile (1xxxxxxxxxx) or landline (0755-xxxxxxxx) number", code=EntitiesCode.INVALID_PHONE
        )
    return phone


def mask_id_number(number: str) -> str:
    """``440304199001011234`` → ``4403**********1234``: region and last four only; a shorter document number
    (a permit, a passport) keeps its first and last two characters (``H1******78``)."""
    if len(number) >= 15:
        return number[:4] + "*" * (len(number) - 8) + number[-4:]
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``."""
    digits = phone.replace("-", "")
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
