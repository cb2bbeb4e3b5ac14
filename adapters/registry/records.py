"""Legacy change records as the registry's WebService sends them (its field names, codes and date formats):
generated for the simulator, the tests and the benchmarks."""

from __future__ import annotations

import datetime as dt
import random

from kernel.orgtree import default_org_tree
from subgraphs.entities.seed import make_id_number, make_uscc

Change = dict[str, str]
"""One change as the WebService carries it: element name → text."""

_ROADS = ("深南大道", "红荔路", "振华路", "南海大道", "布吉路", "宝安大道", "龙岗大道", "新湖路")
_NAMES = ("食品", "餐饮", "商贸", "便利店", "餐饮管理", "生鲜")


def generate_changes(count: int, *, seed: int = 1, first_no: int = 1) -> list[Change]:
    """``count`` consecutive changes from ``first_no``: mostly establishments (SL), every 5th a change (BG) and
    every 7th a deregistration (ZX) of an entity established earlier in the sequence."""
    rng = random.Random(seed)
    stations = default_org_tree().stations()
    live: list[Change] = []
    changes: list[Change] = []
    start = dt.datetime(2024, 1, 1, 9, 0)
    for offset in range(count):
        number = first_no + offset
        at = start + dt.timedelta(minutes=7 * offset)
        if offset % 7 == 6 and live:
            gone = live.pop(rng.randrange(len(live)))
            changes.append({"changeNo": str(number), "changeType": "ZX", "changeTime": f"{at:%Y-%m-%d %H:%M:%S}",
                            "uscc": gone["uscc"], "canDate": f"{at:%Y%m%d}"})  # fmt: skip
            continue
        if offset % 5 == 4 and live:
            changed = dict(live[rng.randrange(len(live))])
            station = rng.choice(stations)
            changed["opLoc"] = f"广东省深圳市{station.area}{rng.choice(_ROADS)}{rng.randrange(1, 999)}号"
            changed["entName"] = changed["entName"].replace("有限公司", "集团有限公司", 1)
            changed.update(changeNo=str(number), changeType="BG", changeTime=f"{at:%Y-%m-%d %H:%M:%S}")
            changes.append(changed)
            continue
        station = rng.choice(stations)
        address = f"广东省深圳市{station.area}{rng.choice(_ROADS)}{rng.randrange(1, 999)}号"
        entity = {
            "changeNo": str(number),
            "changeType": "SL",
            "changeTime": f"{at:%Y-%m-%d %H:%M:%S}",
            "uscc": make_uscc("1", "440300", seed * 1_000_000 + number),
            "entName": f"深圳市{rng.choice(_NAMES)}{number}有限公司",
            "entType": "1100",
            "estDate": f"{at:%Y%m%d}",
            "lerep": rng.choice("张王李赵陈刘杨黄") + rng.choice(("伟", "芳", "娜", "敏", "静", "强")),
            "lerepCerNo": make_id_number(rng),
            "lerepTel": f"13{rng.randrange(10**9):09d}",
            "dom": address,
            "opLoc": address,
            "opScope": "食品销售；餐饮服务。",
        }
        live.append(entity)
        changes.append(entity)
    return changes
