"""The demo's legacy systems: with ``ZHIJIAN_DEMO_LEGACY=true``, ``zhijian up`` serves the simulated commercial
registry WebService (SOAP) and the legacy permit system (REST/JSON) beside the hub, makes a drop folder under the
data directory with a sample GBK ledger in it, and points the adapters at them — unless a real source is configured,
which is kept. The adapters then sync on their schedule (every 10 minutes) or by hand (``zhijian sync``)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from adapters.files.mapping import COLUMNS
from adapters.registry.records import generate_changes
from adapters.registry.simulator import RegistryLog
from adapters.registry.simulator import create_app as registry_app
from adapters.rest.simulator import PermitApi, generate_permits
from adapters.rest.simulator import create_app as permits_app
from hub.servers import Listener
from hub.settings import Settings
from kernel.settings import Env

SAMPLE = "示例许可台账.csv"
"""The sample ledger dropped on the first run: a few good rows and two a sender must correct, in GBK."""


def legacy_demo(settings: Settings) -> tuple[Settings, tuple[Listener, ...]]:
    """The settings with the adapters pointed at the simulators, and the simulators' listeners; unchanged and none
    unless ``ZHIJIAN_DEMO_LEGACY`` is set."""
    env = Env(settings.environ)
    if not env.flag("ZHIJIAN_DEMO_LEGACY", False):
        return settings, ()
    registry_port = env.port("ZHIJIAN_DEMO_REGISTRY_PORT", 4020)
    permits_port = env.port("ZHIJIAN_DEMO_PERMITS_API_PORT", 4021)
    drops = settings.data_dir / "drops"
    if not drops.exists():
        (drops / "incoming").mkdir(parents=True)
        (drops / "incoming" / SAMPLE).write_bytes(sample_ledger())
    pointed = {
        "ZHIJIAN_REGISTRY_URL": f"http://{settings.host}:{registry_port}/registry",
        "ZHIJIAN_PERMITS_API_URL": f"http://{settings.host}:{permits_port}",
        "ZHIJIAN_DROP_DIR": str(drops),
    }
    environ = {**pointed, **settings.environ}  # a source configured for real stays
    registry = registry_app(RegistryLog(generate_changes(500)))
    permits = permits_app(PermitApi(generate_permits(300)))
    listeners = (
        Listener("registry (simulated)", registry, registry_port, "/registry"),
        Listener("permit API (simulated)", permits, permits_port, "/api/v1/permits"),
    )
    return replace(settings, environ=environ), listeners


def sample_ledger() -> bytes:
    """A permit ledger as a district office exports it (GBK, the template's headers): five permits of the simulated
    legacy system's numbering, then one with a bad credit code and one with an item outside the code list."""
    permits = generate_permits(5, seed=7, first=90001)
    rows = [
        {
            COLUMNS["number"]: p["licenceNo"],
            COLUMNS["holder_uscc"]: p["holder"]["creditCode"],
            COLUMNS["holder_name"]: p["holder"]["name"],
            COLUMNS["premises"]: p["address"],
            COLUMNS["region"]: p["areaCode"],
            COLUMNS["items"]: "、".join(p["scope"]),
            COLUMNS["valid_from"]: p["validFrom"],
            COLUMNS["valid_to"]: p["validTo"],
            COLUMNS["status"]: p["state"],
        }
        for p in permits
    ]
    bad_code = dict(rows[0], **{COLUMNS["holder_uscc"]: "91440300MA5G00000X"})
    bad_item = dict(rows[1], **{COLUMNS["items"]: "热食类食品制售、烧烤摊"})
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(COLUMNS.values()), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows([*rows[2:], bad_code, bad_item])
    return text.getvalue().encode("gbk")
