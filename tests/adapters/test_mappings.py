"""Legacy records → the subgraphs' inputs, as pure functions: each source's dialect (codes, date formats, field
names) understood, and every problem of a record named per field at once."""

from __future__ import annotations

import pytest

from adapters.exchange.mapping import to_abnormal_listing
from adapters.files.mapping import to_permit_input as file_permit
from adapters.protocol import RecordRejected
from adapters.registry.mapping import to_registry_change
from adapters.rest.mapping import flatten
from adapters.rest.mapping import to_permit_input as rest_permit
from adapters.rest.simulator import generate_permits
from tests.adapters.harness import legacy_permit_row

SL = {
    "changeNo": "1001", "changeType": "SL", "changeTime": "2024-03-01 09:30:00", "uscc": "91440300ma5h7k2p12",
    "entName": " 深圳市华强食品有限公司 ", "entType": "1100", "estDate": "20240301", "lerep": "张伟",
    "lerepCerNo": "440304199001011230", "lerepTel": "13812345678", "dom": "广东省深圳市福田区园岭街道红荔路1号",
    "opLoc": "广东省深圳市福田区华强北街道振华路8号", "opScope": "食品销售；餐饮服务。",
}  # fmt: skip


def reasons(error: pytest.ExceptionInfo[RecordRejected]) -> list[tuple[str | None, str]]:
    return [(reason.field, reason.code) for reason in error.value.reasons]


def test_an_establishment_becomes_a_registration() -> None:
    change = to_registry_change(SL)
    assert change["kind"] == "ESTABLISH" and change["effectiveOn"] == "2024-03-01"
    registration = change["registration"]
    assert (registration["uscc"], registration["name"], registration["entityType"]) == (
        "91440300MA5H7K2P12",
        "深圳市华强食品有限公司",
        "COMPANY",
    )
    assert registration["legalRepresentative"]["idNumber"] == "440304199001011230"


def test_a_deregistration_needs_only_the_code_and_the_date() -> None:
    change = to_registry_change({"changeType": "ZX", "uscc": SL["uscc"], "canDate": "2025/3/1"})
    assert change == {"kind": "DEREGISTER", "uscc": "91440300MA5H7K2P12", "effectiveOn": "2025-03-01"}


def test_every_problem_of_a_change_is_named_per_field() -> None:
    with pytest.raises(RecordRejected) as refused:
        to_registry_change({**SL, "changeType": "XX", "uscc": "91440300MA5H7K2P13", "estDate": "2024-02-30",
                            "entName": "", "dom": "住所\u202e"})  # fmt: skip
    codes = dict(reasons(refused))
    assert codes == {
        "changeType": "UNKNOWN_CODE",
        "uscc": "INVALID_USCC",
        "estDate": "INVALID_DATE",
        "entName": "MISSING_FIELD",
        "dom": "INVALID_TEXT",
    }


def test_an_exchange_row_becomes_an_abnormal_listing() -> None:
    listing = to_abnormal_listing({"tyshxydm": "91440300MA5H7K2P12", "lrlx": "04", "lrrq": "2025年7月1日", "zcjg": ""})
    assert listing == {
        "uscc": "91440300MA5H7K2P12",
        "reason": "UNREACHABLE_AT_DOMICILE",
        "listedOn": "2025-07-01",
        "decisionOrgCode": None,
    }
    with pytest.raises(RecordRejected) as refused:
        to_abnormal_listing({"tyshxydm": "", "lrlx": "09", "lrrq": "20251301"})
    assert dict(reasons(refused)) == {"tyshxydm": "MISSING_FIELD", "lrlx": "UNKNOWN_CODE", "lrrq": "INVALID_DATE"}


def test_a_ledger_row_becomes_a_legacy_permit_with_item_names_as_codes() -> None:
    permit = file_permit(legacy_permit_row(1))
    assert permit["kind"] == "JY" and permit["number"].startswith("JY24403040")
    assert permit["items"] == ["CATERING_HOT@JY-2015", "CATERING_COLD@JY-2015"]  # the list in force on 2023-03-01
    assert (permit["validFrom"], permit["validTo"], permit["status"]) == ("2023-03-01", "2028-02-28", "VALID")


def test_a_ledger_row_is_refused_with_the_subgraphs_own_validators() -> None:
    row = {**legacy_permit_row(1), "许可证编号": "JY2440304", "统一社会信用代码": "91440300MA5H7K2P1",
           "经营项目": "热食类食品制售、火锅外卖", "行政区划代码": "4403", "状态": "作废"}  # fmt: skip
    with pytest.raises(RecordRejected) as refused:
        file_permit(row)
    assert dict(reasons(refused)) == {
        "许可证编号": "INVALID_PERMIT_NUMBER",
        "统一社会信用代码": "INVALID_USCC",
        "状态": "UNKNOWN_CODE",
        "行政区划代码": "INVALID_REGION_CODE",
        "经营项目": "UNKNOWN_CODE",
    }


def test_the_rest_endpoints_json_is_flattened_then_mapped_like_a_ledger_row() -> None:
    (permit,) = generate_permits(1)
    fields = flatten(permit)
    assert fields["holder.creditCode"] == permit["holder"]["creditCode"]
    mapped = rest_permit(fields)
    assert mapped["holderName"] == permit["holder"]["name"] and len(mapped["items"]) == 2
