"""Small federations, one per planning concern, each over its own world (our own fixtures)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.gateway.kit import Federation, Subgraph
from tests.gateway.market import market_federation

Q = dict[str, list[dict[str, Any]]]


def keys_federation() -> Federation:
    """Several keys, a composite key, a nested key, a non-resolvable reference and a null key."""
    org_a = {"__typename": "Org", "code": "SZ"}
    inspectors: list[dict[str, Any]] = [
        {"__typename": "Inspector", "id": "1", "badge": "B-1", "org": org_a, "name": "张三", "rank": 3, "phone": "110"},
        {"__typename": "Inspector", "id": "2", "badge": "B-2", "org": org_a, "name": "李四", "rank": 1, "phone": "120"},
    ]
    cases: list[dict[str, Any]] = [
        {"__typename": "Case", "id": "C1", "lead": inspectors[0], "leadBadge": "B-1"},
        {"__typename": "Case", "id": "C2", "lead": inspectors[1], "leadBadge": None},
    ]
    world: Q = {"Inspector": inspectors, "Case": cases, "Org": [org_a]}
    roster = Subgraph(
        "roster",
        """
        type Query { inspectors: [Inspector!]! }
        type Inspector @key(fields: "id") @key(fields: "badge") {
          id: ID!
          badge: String!
          name: String!
        }
        """,
        roots={"inspectors": lambda w: list(w["Inspector"])},
    )
    hr = Subgraph(
        "hr",
        """
        type Inspector @key(fields: "badge org { code }") {
          badge: String!
          org: Org!
          rank: Int!
        }
        type Org @shareable { code: ID! }
        """,
    )
    registry = Subgraph(
        "registry",
        """
        type Inspector @key(fields: "badge") {
          badge: String!
          org: Org! @shareable
          phone: String!
        }
        type Org @shareable { code: ID! }
        """,
    )
    cases_sg = Subgraph(
        "cases",
        """
        type Query { cases: [Case!]! }
        type Case @key(fields: "id") {
          id: ID!
          lead: Inspector!
          leadByBadge: Inspector
        }
        type Inspector @key(fields: "id", resolvable: false) { id: ID! }
        type BadgeRef @key(fields: "badge", resolvable: false) { badge: String! }
        """,
        roots={"cases": lambda w: list(w["Case"])},
        computed={("Case", "leadByBadge"): lambda c: c["lead"] if c["leadBadge"] else None},
    )
    return Federation([roster, hr, registry, cases_sg], world)


def requires_federation() -> Federation:
    """`@requires` with arguments, nested selections, and a chain where a requirement requires."""
    products: list[dict[str, Any]] = [
        {
            "__typename": "Product",
            "upc": "p1",
            "_price": {"cny": 100, "usd": 14},
            "weight": 2,
            "tags": [{"__typename": "Tag", "label": "冷链"}],
            "name": "冻虾",
        },
        {
            "__typename": "Product",
            "upc": "p2",
            "_price": {"cny": 10, "usd": 1},
            "weight": 1,
            "tags": [],
            "name": "酱油",
        },
    ]
    catalog = Subgraph(
        "catalog",
        """
        type Query { products: [Product!]! }
        type Product @key(fields: "upc") {
          upc: ID!
          name: String!
          weight: Int!
          price(currency: String!): Int!
          tags: [Tag!]!
        }
        type Tag @shareable { label: String! }
        """,
        roots={"products": lambda w: list(w["Product"])},
        computed={("Product", "price"): lambda p: p["_price"][p["currency"].lower()]},
    )
    shipping = Subgraph(
        "shipping",
        """
        type Product @key(fields: "upc") {
          upc: ID!
          weight: Int! @external
          price(currency: String!): Int! @external
          tags: [Tag!]! @external
          cost: Int! @requires(fields: "weight price(currency: \\"CNY\\")")
          coldChain: Boolean! @requires(fields: "tags { label }")
        }
        type Tag @shareable { label: String! }
        """,
        computed={
            ("Product", "cost"): lambda p: p["weight"] * 5 + p["price"] // 10,
            ("Product", "coldChain"): lambda p: any(t["label"] == "冷链" for t in p["tags"]),
        },
    )
    customs = Subgraph(
        "customs",
        """
        type Product @key(fields: "upc") {
          upc: ID!
          cost: Int! @external
          duty: Int! @requires(fields: "cost")
        }
        """,
        computed={("Product", "duty"): lambda p: p["cost"] * 2},
    )
    world: Q = {"Product": products}
    for product in products:
        product["cost"] = product["weight"] * 5 + product["_price"]["cny"] // 10
        product["coldChain"] = any(t["label"] == "冷链" for t in product["tags"])
        product["duty"] = product["cost"] * 2
    fed = Federation([catalog, shipping, customs], world)
    return fed


def provides_federation() -> Federation:
    """`@provides` keeps an external field local; without it the gateway jumps."""
    users: list[dict[str, Any]] = [
        {"__typename": "User", "id": "u1", "nickname": "阿明", "email": "a@example.cn"},
        {"__typename": "User", "id": "u2", "nickname": "小红", "email": "h@example.cn"},
    ]
    reviews: list[dict[str, Any]] = [
        {"__typename": "Review", "id": "r1", "body": "干净", "author": users[0]},
        {"__typename": "Review", "id": "r2", "body": "上菜慢", "author": users[1]},
    ]
    accounts = Subgraph(
        "accounts",
        """
        type User @key(fields: "id") {
          id: ID!
          nickname: String! @shareable
          email: String!
        }
        """,
    )
    reviews_sg = Subgraph(
        "reviews",
        """
        type Query { reviews: [Review!]! }
        type Review @key(fields: "id") {
          id: ID!
          body: String!
          author: User! @provides(fields: "nickname")
        }
        type User @key(fields: "id") {
          id: ID!
          nickname: String! @external
        }
        """,
        roots={"reviews": lambda w: list(w["Review"])},
    )
    return Federation([accounts, reviews_sg], {"User": users, "Review": reviews})


def abstract_federation() -> Federation:
    """An interface and a union whose members differ between subgraphs."""
    shops: list[dict[str, Any]] = [
        {"__typename": "Restaurant", "id": "s1", "name": "川菜馆", "seats": 80, "stars": 4},
        {"__typename": "Pharmacy", "id": "s2", "name": "大药房", "licenseNo": "YP-9", "stars": 5},
        {"__typename": "Market", "id": "s3", "name": "农贸市场", "stalls": 120, "stars": 3},
    ]
    directory = Subgraph(
        "directory",
        """
        type Query { shops: [Shop!]! featured: [Listing!]! }
        interface Shop { id: ID! name: String! }
        type Restaurant implements Shop @key(fields: "id") { id: ID! name: String! @shareable seats: Int! }
        type Pharmacy implements Shop @key(fields: "id") { id: ID! name: String! @shareable licenseNo: String! }
        union Listing = Restaurant | Pharmacy
        """,
        roots={
            "shops": lambda w: [s for s in w["Shop"] if s["__typename"] != "Market"],
            "featured": lambda w: [s for s in w["Shop"] if s["__typename"] != "Market"],
        },
    )
    ratings = Subgraph(
        "ratings",
        """
        type Query { topRated: [Listing!]! }
        interface Shop { id: ID! name: String! }
        type Restaurant implements Shop @key(fields: "id") { id: ID! name: String! @shareable stars: Int! }
        type Pharmacy implements Shop @key(fields: "id") { id: ID! name: String! @shareable stars: Int! }
        type Market implements Shop @key(fields: "id") { id: ID! name: String! stalls: Int! stars: Int! }
        union Listing = Restaurant | Pharmacy | Market
        """,
        roots={"topRated": lambda w: sorted(w["Shop"], key=lambda s: -s["stars"])},
    )
    fed = Federation(
        [directory, ratings], {"Shop": shops, "Restaurant": shops[:1], "Pharmacy": shops[1:2], "Market": shops[2:]}
    )
    return fed


def interface_object_federation() -> Federation:
    """`@interfaceObject`: a subgraph adds a field to every implementation of an interface it cannot see."""
    subjects: list[dict[str, Any]] = [
        {"__typename": "Company", "id": "e1", "name": "华强公司", "capital": 500, "creditScore": 88},
        {"__typename": "Individual", "id": "e2", "name": "个体户王五", "idCard": "4403**", "creditScore": 71},
    ]
    registry = Subgraph(
        "registry",
        """
        type Query { subjects: [Subject!]! }
        interface Subject @key(fields: "id") { id: ID! name: String! }
        type Company implements Subject @key(fields: "id") { id: ID! name: String! capital: Int! }
        type Individual implements Subject @key(fields: "id") { id: ID! name: String! idCard: String! }
        """,
        roots={"subjects": lambda w: list(w["Subject"])},
        key_types=("Company", "Individual"),
    )
    credit = Subgraph(
        "credit",
        """
        type Query { watchlist: [Subject!]! }
        type Subject @key(fields: "id") @interfaceObject { id: ID! creditScore: Int! }
        """,
        roots={"watchlist": lambda w: [s for s in w["Subject"] if s["creditScore"] < 80]},
        type_aliases={"Company": "Subject", "Individual": "Subject"},
    )
    return Federation([registry, credit], {"Subject": subjects})


def mutation_federation() -> Federation:
    """Mutations on two subgraphs; the log shows the order they ran in."""
    log: list[dict[str, Any]] = []
    world: Q = {"Log": log}

    def record(subgraph: str) -> Callable[..., Any]:
        def run(w: Q, note: str) -> dict[str, Any]:
            entry = {"__typename": "Entry", "seq": len(w["Log"]) + 1, "note": f"{subgraph}:{note}"}
            w["Log"].append(entry)
            return entry

        return run

    a = Subgraph(
        "tasks",
        """
        type Query { ping: String }
        type Mutation { openTask(note: String!): Entry! }
        type Entry @shareable { seq: Int! note: String! }
        """,
        roots={"openTask": record("tasks"), "ping": lambda w: "pong"},
    )
    b = Subgraph(
        "cases",
        """
        type Mutation { fileCase(note: String!): Entry! }
        type Entry @shareable { seq: Int! note: String! }
        """,
        roots={"fileCase": record("cases")},
    )
    return Federation([a, b], world)


def override_federation() -> Federation:
    """`@override` moves a field (also from a subgraph that no longer exists); `@shareable` picks the cheaper owner."""
    stations: list[dict[str, Any]] = [
        {"__typename": "Station", "id": "st1", "name": "福田所", "grade": "A+", "level": 2, "district": "福田区"},
        {"__typename": "Station", "id": "st2", "name": "沙头所", "grade": "B+", "level": 1, "district": "福田区"},
    ]
    legacy = Subgraph(
        "legacy",
        """
        type Query { stations: [Station!]! }
        type Station @key(fields: "id") { id: ID! name: String! grade: String! district: String! @shareable }
        """,
        roots={"stations": lambda w: list(w["Station"])},
        computed={("Station", "grade"): lambda s: s["grade"].rstrip("+")},  # stale: must not be asked
    )
    modern = Subgraph(
        "modern",
        """
        type Station @key(fields: "id") {
          id: ID!
          grade: String! @override(from: "legacy")
          level: Int! @override(from: "retired")
          district: String! @shareable
        }
        """,
    )
    return Federation([legacy, modern], {"Station": stations})


def parent_entity_federation() -> Federation:
    """A value type reachable only through its parent entity, and a shared root split over subgraphs."""
    shops: list[dict[str, Any]] = [
        {
            "__typename": "Shop",
            "id": "s1",
            "category": {
                "__typename": "Category",
                "code": "C1",
                "label": "餐饮",
                "stats": {"__typename": "Stats", "shops": 2},
            },
        },
        {
            "__typename": "Shop",
            "id": "s2",
            "category": {
                "__typename": "Category",
                "code": "C2",
                "label": "零售",
                "stats": {"__typename": "Stats", "shops": 1},
            },
        },
    ]
    summary = {"__typename": "Summary", "total": 2, "open": 1}
    a = Subgraph(
        "registry",
        """
        type Query { shops: [Shop!]! summary: Summary! @shareable }
        type Shop @key(fields: "id") { id: ID! category: Category! @shareable }
        type Category @key(fields: "code") { code: ID! label: String! }
        type Summary { total: Int! }
        """,
        roots={"shops": lambda w: list(w["Shop"]), "summary": lambda w: w["Summary"][0]},
    )
    b = Subgraph(
        "analytics",
        """
        type Query { summary: Summary! @shareable }
        type Shop @key(fields: "id") { id: ID! category: Category! @shareable }
        type Category { stats: Stats! }
        type Stats { shops: Int! }
        type Summary { open: Int! }
        """,
        roots={"summary": lambda w: w["Summary"][0]},
    )
    return Federation([a, b], {"Shop": shops, "Summary": [summary]})


def mismatch_federation() -> Federation:
    """Same-named fields whose types differ between sibling union members in one subgraph; inaccessible parts."""
    items: list[dict[str, Any]] = [
        {"__typename": "Officer", "id": "o1", "name": "王警官", "level": "SENIOR", "secret": "x"},
        {"__typename": "Machine", "id": None, "name": "扫描仪", "level": "INTERNAL"},
    ]
    roster = Subgraph(
        "roster",
        """
        type Query { officers: [Officer!]! }
        type Officer @key(fields: "name") { name: String! @shareable id: ID @shareable secret: String @inaccessible }
        """,
        roots={"officers": lambda w: [a for a in w["Actor"] if a["__typename"] == "Officer"]},
    )
    staff = Subgraph(
        "staff",
        """
        type Query { actors: [Actor!]! }
        union Actor = Officer | Machine
        type Officer @key(fields: "name") { name: String! @shareable id: ID! @shareable level: Level }
        type Machine { id: ID name: String! level: Level }
        enum Level { SENIOR JUNIOR INTERNAL @inaccessible }
        """,
        roots={"actors": lambda w: list(w["Actor"])},
    )
    return Federation([roster, staff], {"Actor": items, "Officer": items[:1]})


def circular_federation() -> Federation:
    """Requirements that bounce between two subgraphs: A needs B's field, which needs A's field."""
    officers: list[dict[str, Any]] = [
        {"__typename": "Officer", "id": "o1", "seniority": 12},
        {"__typename": "Officer", "id": "o2", "seniority": 2},
    ]
    cases: list[dict[str, Any]] = [
        {"__typename": "Case", "id": "c1", "handler": officers[0], "junior": False, "escalate": False},
        {"__typename": "Case", "id": "c2", "handler": officers[1], "junior": True, "escalate": True},
    ]
    a = Subgraph(
        "desk",
        """
        type Query { feed: [Case!]! }
        type Case @key(fields: "id") {
          id: ID!
          junior: Boolean! @external
          escalate: Boolean! @requires(fields: "junior")
        }
        type Officer @key(fields: "id") { id: ID! seniority: Int! }
        """,
        roots={"feed": lambda w: list(w["Case"])},
        computed={("Case", "escalate"): lambda c: bool(c["junior"])},
    )
    b = Subgraph(
        "staffing",
        """
        type Case @key(fields: "id") {
          id: ID!
          handler: Officer!
          junior: Boolean! @requires(fields: "handler { seniority }")
        }
        type Officer @key(fields: "id") { id: ID! seniority: Int! @external }
        """,
        computed={("Case", "junior"): lambda c: c["handler"]["seniority"] < 5},
    )
    return Federation([a, b], {"Case": cases, "Officer": officers})


def narrowed_federation() -> Federation:
    """A field typed as a union in the supergraph but as one member in the subgraph that serves it."""
    items: list[dict[str, Any]] = [
        {"__typename": "Notice", "id": "n1", "title": "停业整顿通知"},
        {"__typename": "Penalty", "id": "p1", "amount": 5000},
    ]
    a = Subgraph(
        "notices",
        """
        type Query { latest: Notice @shareable }
        type Notice @key(fields: "id") { id: ID! title: String! }
        """,
        roots={"latest": lambda w: w["Doc"][0]},
    )
    b = Subgraph(
        "penalties",
        """
        type Query { latest: Doc @shareable }
        union Doc = Notice | Penalty
        type Notice @key(fields: "id") { id: ID! }
        type Penalty @key(fields: "id") { id: ID! amount: Int! }
        """,
        roots={"latest": lambda w: w["Doc"][0]},
    )
    return Federation([a, b], {"Doc": items, "Notice": items[:1], "Penalty": items[1:]})


FEDERATIONS: dict[str, Callable[[], Federation]] = {
    "circular": circular_federation,
    "narrowed": narrowed_federation,
    "override": override_federation,
    "parent_entity": parent_entity_federation,
    "mismatch": mismatch_federation,
    "market": market_federation,
    "keys": keys_federation,
    "requires": requires_federation,
    "provides": provides_federation,
    "abstract": abstract_federation,
    "interface_object": interface_object_federation,
    "mutation": mutation_federation,
}
