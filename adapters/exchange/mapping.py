"""An exchange row (the provincial system's column names and codes) → ``AddToAbnormalListInput``: pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.validation import Checks
from subgraphs.entities.vocabulary import AbnormalReason

REASONS: Mapping[str, AbnormalReason] = {
    "01": AbnormalReason.ANNUAL_REPORT_NOT_FILED,  # 未按规定报送年度报告
    "02": AbnormalReason.ADHOC_INFORMATION_NOT_PUBLISHED,  # 未按规定公示即时信息
    "03": AbnormalReason.FALSE_INFORMATION,  # 公示信息隐瞒真实情况、弄虚作假
    "04": AbnormalReason.UNREACHABLE_AT_DOMICILE,  # 通过登记的住所或经营场所无法联系
}
"""The provincial system's 列入类型 codes (企业信息公示暂行条例 Art. 17; 经营异常名录管理办法)."""


def to_abnormal_listing(fields: Mapping[str, str]) -> dict[str, Any]:
    checks = Checks(fields)
    uscc = checks.uscc("tyshxydm")
    reason = checks.choice("lrlx", REASONS)
    listed_on = checks.date("lrrq")
    org = checks.optional_text("zcjg", 9)
    checks.done()
    assert reason is not None and listed_on is not None
    return {"uscc": uscc, "reason": reason.value, "listedOn": listed_on.isoformat(), "decisionOrgCode": org}
