"""Realistic, valid, deterministic market-entity data: the demo set for ``make up`` and millions for benchmarks.

Every USCC passes GB 32100 and GB 11714, every ID number GB 11643; entities sit in the real 1+11+74 tree.
PostgreSQL loads with COPY (secondary indexes dropped and rebuilt around it); SQLite with big executemany batches.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Index, Table, func, insert, select, text
from sqlalchemy.engine import Connection
from tqdm import tqdm

from kernel.db import Database, copy_records
from kernel.orgtree import OrgTree, OrgUnit
from kernel.uscc import ALPHABET, check_character, gb11714_check_character
from subgraphs.common.component import Holder, SeedOutcome, SeedRequest
from subgraphs.common.rules import default_rules
from subgraphs.common.seeding import drawn_ahead
from subgraphs.entities.credit_lists import ABNORMAL_BASIS, INDIVIDUAL_ABNORMAL_BASIS, serious_listing
from subgraphs.entities.models import SCHEMA, CreditListingRow, MarketEntityRow, PersonRestrictionRow
from subgraphs.entities.persons import id_check_character
from subgraphs.entities.services import EntityServices
from subgraphs.entities.vocabulary import (
    CATEGORY_OF_TYPE,
    CURES,
    INDIVIDUAL_ABNORMAL_GROUNDS,
    AbnormalReason,
    EntityStatus,
    EntityType,
    IdDocumentType,
    ListType,
    RestrictionKind,
    SeriousReason,
    abnormal_list_type,
)

DEMO_COUNT = 300
HOLDERS = 200_000
"""At most this many existing entities are handed to later components' seeds as holders."""
DEMO_SEED = 20211104
BATCH = 20_000
BULK = 100_000
"""From this many rows on, PostgreSQL secondary indexes are dropped during the load and rebuilt once after it."""
_SERIAL_SPACE = 31**6
_SERIAL_STEP = 387_420_489  # coprime with 31: serial → subject identifier is a bijection, so codes never repeat

_DISTRICT_WEIGHTS = {
    "440303": 8, "440304": 12, "440305": 12, "440306": 20, "440307": 17, "440308": 2,
    "440309": 12, "440310": 3, "440311": 5, "DPXQ": 1, "SSTHQ": 1,
}  # fmt: skip
_TYPES = (
    (EntityType.INDIVIDUAL_BUSINESS, 58), (EntityType.COMPANY, 36), (EntityType.COMPANY_BRANCH, 2),
    (EntityType.SOLE_PROPRIETORSHIP, 1), (EntityType.PARTNERSHIP, 1), (EntityType.FARMERS_COOPERATIVE, 1),
    (EntityType.FOREIGN_COMPANY_BRANCH, 1),
)  # fmt: skip
_STATUSES = (
    (EntityStatus.EXISTING, 890), (EntityStatus.SUSPENDED, 20), (EntityStatus.REVOKED_NOT_DEREGISTERED, 30),
    (EntityStatus.DEREGISTERED, 45), (EntityStatus.CANCELLED, 5), (EntityStatus.MOVED_OUT, 10),
)  # fmt: skip
_BRAND = (
    "华新源鑫盛隆泰安康顺达兴旺福嘉宏运佳美和丰瑞祥益信诚海天明光辉金银东南西北中大小乐品味香鲜湘川粤闽客潮沙湾蛇口湖山"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢钟谭陆汪范廖"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉斌宇浩凯健俊帆晨欣怡婷雪琳"
_COMPANY_TRADES = ("餐饮管理", "食品", "贸易", "供应链管理", "农产品", "科技", "酒店管理", "生物科技")
_SHOP_KINDS = ("餐饮店", "小吃店", "便利店", "烧腊店", "粮油店", "茶餐厅", "面馆", "水果店", "生鲜店", "糖水铺")
_ROADS = ("深南大道", "滨河大道", "北环大道", "建设路", "人民路", "新湖路", "龙华大道", "宝安大道", "布吉路", "中心路")
_SCOPES = (
    "餐饮服务；食品销售（仅销售预包装食品）。",
    "食品销售；日用百货销售；农副产品销售。",
    "热食类食品制售；冷食类食品制售；饮品店。",
    "食品生产；食品添加剂销售；货物进出口。",
    "一般项目：供应链管理服务；许可项目：食品经营。",
)
_BIRTH_REGIONS = ("440301", "440303", "440304", "440305", "440306", "445202", "445102", "430104", "360102", "510104")


@dataclass(frozen=True, slots=True)
class SeedReport:
    """What a seeding run wrote and how long it took."""

    entities: int
    listings: int
    restrictions: int
    seconds: float


def make_uscc(category: str, region: str, serial: int) -> str:
    """A valid market-regulation USCC (authority 9) whose subject identifier is unique per ``serial``."""
    value = (serial * _SERIAL_STEP + 7) % _SERIAL_SPACE
    digits = []
    for _ in range(6):
        value, digit = divmod(value, 31)
        digits.append(ALPHABET[digit])
    body = "MA" + "".join(reversed(digits))
    first17 = f"9{category}{region}{body}{gb11714_check_character(body)}"
    return first17 + check_character(first17)


def make_id_number(rng: random.Random) -> str:
    """A valid GB 11643 resident ID number for someone born 1960–2002."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15_700))
    first17 = f"{rng.choice(_BIRTH_REGIONS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_character(first17)


class _Generator:
    """Draws one entity after another from a seeded random source."""

    def __init__(self, rng_seed: int, today: dt.date, tree: OrgTree) -> None:
        self.rng = random.Random(rng_seed)
        self.today = today
        self.districts = [tree.district(code) for code in _DISTRICT_WEIGHTS]
        self.district_weights = list(_DISTRICT_WEIGHTS.values())
        self.stations = {d.code: tree.stations(d.code) for d in self.districts}
        self.types, self.type_weights = zip(*_TYPES, strict=True)
        self.statuses, self.status_weights = zip(*_STATUSES, strict=True)
        self.max_suspension = default_rules().get("entities.suspension_max", on=today)

    def _address(self, district: OrgUnit, station: OrgUnit | None) -> str:
        street = "" if station is None else station.area
        return f"广东省深圳市{district.area}{street}{self.rng.choice(_ROADS)}{self.rng.randrange(1, 3000)}号"

    def entity(self, serial: int) -> dict[str, Any]:
        rng = self.rng
        district = rng.choices(self.districts, self.district_weights)[0]
        stations = self.stations[district.code]
        station = rng.choice(stations) if stations else None
        entity_type = rng.choices(self.types, self.type_weights)[0]
        category = CATEGORY_OF_TYPE[entity_type]
        region = district.region_codes[0] if entity_type is EntityType.INDIVIDUAL_BUSINESS else "440300"
        brand = rng.choice(_BRAND) + rng.choice(_BRAND) + (rng.choice(_BRAND) if rng.random() < 0.3 else "")
        if entity_type is EntityType.INDIVIDUAL_BUSINESS:
            name = f"{district.area}{brand}{rng.choice(_SHOP_KINDS)}"
        else:
            name = f"深圳市{brand}{rng.choice(_COMPANY_TRADES)}有限公司"
            if entity_type is EntityType.COMPANY_BRANCH:
                name += f"{district.area}分公司"
        established = self.today - dt.timedelta(days=int(rng.expovariate(1 / 2500)) % 12_000 + 1)
        status = rng.choices(self.statuses, self.status_weights)[0]
        suspended_until = None
        if status is EntityStatus.SUSPENDED:
            start = self.today - dt.timedelta(days=rng.randrange(300))
            latest = self.max_suspension.period_end(start)
            suspended_until = start + dt.timedelta(days=rng.randrange(1, (latest - start).days + 1))
        premises = self._address(district, station)
        domicile = (
            premises if rng.random() < 0.8 else self._address(district, rng.choice(stations) if stations else None)
        )
        return {
            "uscc": make_uscc(category, region, serial),
            "legacy_reg_no": f"440301{serial % 10**9:09d}" if established.year < 2015 else None,
            "name": name,
            "entity_type": entity_type.value,
            "status": status.value,
            "suspended_until": suspended_until,
            "established_on": established,
            "legal_rep_name": rng.choice(_SURNAMES)
            + rng.choice(_GIVEN)
            + (rng.choice(_GIVEN) if rng.random() < 0.7 else ""),
            "legal_rep_id_type": IdDocumentType.RESIDENT_ID.value,
            "legal_rep_id_number": make_id_number(rng),
            "legal_rep_phone": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            "domicile": domicile,
            "premises": premises,
            "district_code": district.code,
            "station_code": None if station is None else station.code,
            "business_scope": rng.choice(_SCOPES),
            "held_for_review": False,
        }

    def listings(self, entity: dict[str, Any]) -> list[dict[str, Any]]:
        """About 3 % abnormal (a third of them cured) and 0.4 % serious, for existing or suspended entities."""
        if entity["status"] not in (EntityStatus.EXISTING, EntityStatus.SUSPENDED):
            return []
        rng, out = self.rng, []
        draw = rng.random()
        span = (self.today - entity["established_on"]).days
        if draw < 0.03:
            list_type = abnormal_list_type(EntityType(entity["entity_type"]))
            individual = list_type is ListType.ABNORMAL_STATUS
            grounds = INDIVIDUAL_ABNORMAL_GROUNDS if individual else frozenset(AbnormalReason)
            reason = rng.choice([ground for ground in AbnormalReason if ground in grounds])
            listed_on = self.today - dt.timedelta(days=rng.randrange(min(span, 1000) + 1))  # < 3 years: not escalated
            removed_on = None
            if rng.random() < 0.33 and listed_on < self.today:
                removed_on = listed_on + dt.timedelta(days=rng.randrange(1, (self.today - listed_on).days + 1))
            out.append({
                "uscc": entity["uscc"], "list_type": list_type.value, "reason_code": reason.value,
                "basis": (INDIVIDUAL_ABNORMAL_BASIS if individual else ABNORMAL_BASIS)[reason],
                "decision_org": entity["district_code"], "listed_on": listed_on,
                "earliest_removal_on": None, "auto_expiry_on": None, "removed_on": removed_on,
                "removal_reason": None if removed_on is None else sorted(CURES[reason])[0].value,
                "triggered_on": None, "cured_on": None, "objection_filed_on": None, "escalation_notice_on": None,
                "objection_decided_on": None, "objection_upheld": None, "objection_reason": None,
            })  # fmt: skip
        elif draw < 0.034:
            listed_on = self.today - dt.timedelta(days=rng.randrange(min(span, 1500) + 1))
            row = serious_listing(entity["uscc"], SeriousReason.HEAVIER_PENALTY, listed_on, entity["district_code"])
            out.append({column: getattr(row, column) for column in _LISTING_COLUMNS})
        return out

    def restriction(self, entity: dict[str, Any]) -> dict[str, Any] | None:
        """A ban on the legal representative of about a tenth of revoked entities."""
        if entity["status"] != EntityStatus.REVOKED_NOT_DEREGISTERED or self.rng.random() >= 0.1:
            return None
        kind = self.rng.choice([RestrictionKind.REVOKED_ENTITY_REPRESENTATIVE, RestrictionKind.FOOD_PERMIT_REVOKED])
        return {
            "person_id_number": entity["legal_rep_id_number"],
            "kind": kind.value,
            "source_uscc": entity["uscc"],
            "decided_on": self.today - dt.timedelta(days=self.rng.randrange(2000)),
        }


_ENTITY_TABLE: Table = MarketEntityRow.__table__  # type: ignore[assignment]
_LISTING_TABLE: Table = CreditListingRow.__table__  # type: ignore[assignment]
_RESTRICTION_TABLE: Table = PersonRestrictionRow.__table__  # type: ignore[assignment]
_ENTITY_COLUMNS = tuple(column.name for column in _ENTITY_TABLE.columns)
_LISTING_COLUMNS = tuple(column.name for column in _LISTING_TABLE.columns if column.name != "id")
_RESTRICTION_COLUMNS = tuple(column.name for column in _RESTRICTION_TABLE.columns if column.name != "id")


def _batches(generator: _Generator, count: int, first_serial: int) -> Iterator[tuple[list[dict[str, Any]], ...]]:
    for start in range(0, count, BATCH):
        entities, listings, restrictions = [], [], []
        for serial in range(first_serial + start, first_serial + min(start + BATCH, count)):
            entity = generator.entity(serial)
            entities.append(entity)
            listings.extend(generator.listings(entity))
            restriction = generator.restriction(entity)
            if restriction is not None:
                restrictions.append(restriction)
        yield entities, listings, restrictions


def _secondary_indexes() -> tuple[Index, ...]:
    return (*_ENTITY_TABLE.indexes, *_LISTING_TABLE.indexes, *_RESTRICTION_TABLE.indexes)


def _drop(connection: Connection, index: Index) -> None:
    index.drop(connection, checkfirst=True)


def _create(connection: Connection, index: Index) -> None:
    index.create(connection, checkfirst=True)


async def seed_entities(
    database: Database,
    count: int,
    *,
    today: dt.date,
    tree: OrgTree,
    rng_seed: int = DEMO_SEED,
    progress: bool = True,
    first_serial: int = 0,
    rebuild_indexes: bool | None = None,
) -> SeedReport:
    """Add ``count`` generated entities (serials ``first_serial``…) with their listings and bans, in one transaction.

    ``rebuild_indexes`` (PostgreSQL): drop secondary indexes for the load and rebuild them after; by default from
    :data:`BULK` rows on.
    """
    began = time.perf_counter()
    generator = _Generator(rng_seed, today, tree)
    written = [0, 0, 0]
    postgres = not database.is_sqlite
    rebuild = postgres and (count >= BULK if rebuild_indexes is None else rebuild_indexes)
    bar = tqdm(total=count, disable=not progress, unit=" entities", desc="seeding entities")
    async with database.engine.begin() as connection:
        if postgres:
            await connection.execute(text("SET LOCAL synchronous_commit = off"))
        if rebuild:
            for index in _secondary_indexes():
                await connection.run_sync(_drop, index)
        async for entities, listings, restrictions in drawn_ahead(_batches(generator, count, first_serial)):
            for position, (table, columns, rows) in enumerate(
                (
                    (_ENTITY_TABLE, _ENTITY_COLUMNS, entities),
                    (_LISTING_TABLE, _LISTING_COLUMNS, listings),
                    (_RESTRICTION_TABLE, _RESTRICTION_COLUMNS, restrictions),
                )
            ):
                if not rows:
                    continue
                if postgres:
                    await copy_records(connection, table, columns, (tuple(r[c] for c in columns) for r in rows))
                else:
                    await connection.execute(insert(table), rows)
                written[position] += len(rows)
            bar.update(len(entities))
        if rebuild:
            bar.set_description("building indexes")
            await connection.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
            for index in _secondary_indexes():
                await connection.run_sync(_create, index)
        if postgres:
            for table in (_ENTITY_TABLE, _LISTING_TABLE, _RESTRICTION_TABLE):
                await connection.execute(text(f'ANALYZE "{SCHEMA}"."{table.name}"'))
    bar.close()
    return SeedReport(written[0], written[1], written[2], seconds=time.perf_counter() - began)


async def entity_count(database: Database) -> int:
    """Entities already there; generated serials continue after them so codes never collide."""
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(MarketEntityRow)) or 0)


async def holders(database: Database, tree: OrgTree, limit: int = HOLDERS) -> tuple[Holder, ...]:
    """Existing entities (USCC order) as other components' seeds attach records to them: name and premises."""
    async with database.transaction() as session:
        rows = await session.execute(
            select(MarketEntityRow.uscc, MarketEntityRow.name, MarketEntityRow.premises, MarketEntityRow.district_code)
            .where(MarketEntityRow.status == EntityStatus.EXISTING)
            .order_by(MarketEntityRow.uscc)
            .limit(limit)
        )
        return tuple(
            Holder(uscc, name, premises, tree.district(district).region_codes[0])
            for uscc, name, premises, district in rows
        )


def _report(report: SeedReport) -> str:
    return (
        f"entities: {report.entities:,} rows, {report.listings:,} credit listings, "
        f"{report.restrictions:,} bans in {report.seconds:.1f} s"
    )


async def seed(database: Database, services: EntityServices, request: SeedRequest) -> SeedOutcome:
    """``zhijian seed --entities N``: N more generated entities; the existing ones are offered as holders."""
    report = ""
    if request.count:
        result = await seed_entities(
            database,
            request.count,
            today=services.today(),
            tree=services.org_tree,
            progress=request.progress,
            first_serial=await entity_count(database),
        )
        report = _report(result)
    return SeedOutcome(report, await holders(database, services.org_tree))


async def seed_demo(database: Database, services: EntityServices, request: SeedRequest) -> SeedOutcome:
    """A few hundred entities across all 11 districts (some listed) for a first ``make up``; none if any exist."""
    if await entity_count(database):
        return SeedOutcome("")
    result = await seed_entities(
        database, DEMO_COUNT, today=dt.date(2026, 1, 1), tree=services.org_tree, rng_seed=DEMO_SEED, progress=False
    )
    return SeedOutcome(_report(result), await holders(database, services.org_tree))
