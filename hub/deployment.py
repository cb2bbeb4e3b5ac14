"""The split deployment as data: which processes run, with which command, ports, variables, secrets and files.

One description serves three readers: the Kubernetes manifests and the compose file (``python -m hub.manifests``
writes them under ``deploy/``), and the test that runs the same processes on this machine
(``tests/deploy/test_split.py``). Each subgraph of ``hub.components`` becomes a deployable here with nothing
to add: its port, its ``ZHIJIAN_<NAME>_URL`` at the gateway, its client secret when it asks the graph.

A :class:`Place` says where the processes are: a cluster (service names, default ports, files mounted from
Secrets and ConfigMaps) or one machine (127.0.0.1, free ports, files in a folder).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from hub.components import MACHINE_CLIENTS, SUBGRAPHS

IMAGE = "zhijian"
SECRET = "zhijian-secrets"
"""The Secret every secret variable is read from (its keys are the variables' names)."""
PUBLIC_CONFIG = "zhijian-public"
"""The ConfigMap of the deployment's public addresses (issuer, audience, browser origins), set per overlay."""
PUBLIC_SETTINGS = ("ZHIJIAN_IDENTITY_ISSUER", "ZHIJIAN_IDENTITY_GATEWAY_AUDIENCE", "ZHIJIAN_IDENTITY_CORS_ORIGINS")
"""The keys of :data:`PUBLIC_CONFIG`: the https addresses officers' browsers and tokens carry."""
ADAPTER_CONFIG = "zhijian-adapters"
"""An optional ConfigMap of the legacy sources' addresses the workers read (``ZHIJIAN_REGISTRY_URL``,
``ZHIJIAN_PERMITS_API_URL``, …: docs/operations.md); an adapter whose source is not configured does nothing."""
ADAPTER_SECRETS = ("ZHIJIAN_EXCHANGE_DATABASE_URL",)
"""Adapter settings that carry a password: optional keys of :data:`SECRET`."""
REPLICA_SECRETS = ("ZHIJIAN_DATABASE_READ_URL",)
"""A PostgreSQL read replica's URL (it holds a password): an optional key of :data:`SECRET`, read by subgraphs."""
DATA_DIR = "/tmp/zhijian"
"""Scratch space on an emptyDir: the root filesystem is read-only and nothing here outlives the pod."""
GATEWAY_PORT = 4000
IDENTITY_PORT = 4010
SERVES_METRICS = frozenset({"integration"})
"""Subgraphs that answer ``GET /metrics`` (Prometheus) on their port."""


@dataclass(frozen=True, slots=True)
class Mount:
    """A file a process reads, from a Secret or a ConfigMap; ``path`` is where it is mounted in a cluster."""

    source: str
    """``secret``, ``configmap`` or ``volume`` (a ReadWriteMany claim; ``key`` is then a folder)."""
    name: str
    key: str
    path: str


FORWARDING_KEY = Mount("secret", "zhijian-forwarding-key", "private.pem", "/etc/zhijian/forwarding/private.pem")
"""The gateway's Ed25519 private key: mounted into the gateway only."""
FORWARDING_PUBLIC_KEY = Mount(
    "configmap", "zhijian-forwarding-public-key", "public.pem", "/etc/zhijian/forwarding-public/public.pem"
)
"""Its public half, which every subgraph verifies forwarded identities with."""

SIGNING_KEYS = Mount("volume", "zhijian-identity-keys", "keys", "/var/lib/zhijian/keys")
"""The provider's sealed signing keys, shared by its replicas (rotations take a file lock there)."""

CLIENT_SECRETS = tuple(f"ZHIJIAN_{owner.upper()}_CLIENT_SECRET" for owner, _client in MACHINE_CLIENTS)
"""Every machine client's secret variable; ``zhijian migrate`` registers them, the workers act as all of them."""


@dataclass(frozen=True, slots=True)
class Deployable:
    """One kind of process of the split deployment."""

    name: str
    args: tuple[str, ...]
    """The ``zhijian`` command line."""
    port: int | None
    """Where it serves HTTP (``/health``, ``/ready``); None for workers and the migration job."""
    role: str
    """``edge`` (gateway, identity: reached from the ingress), ``subgraph``, ``worker`` or ``job``."""
    env: Mapping[str, str]
    secrets: tuple[str, ...] = ()
    """Variables read from :data:`SECRET` (key = the variable's name)."""
    files: Mapping[str, Mount] = field(default_factory=dict)
    """Variables naming a mounted file."""
    public_config: bool = False
    """Reads :data:`PUBLIC_CONFIG` as environment variables too."""
    optional_secrets: tuple[str, ...] = ()
    """Variables read from :data:`SECRET` when it has them."""
    adapter_config: bool = False
    """Reads :data:`ADAPTER_CONFIG`, when it exists, as environment variables too."""
    metrics: bool = False
    """Serves Prometheus metrics at ``/metrics`` on its port."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where the deployment's processes listen and find each other."""

    listen: str
    address: Callable[[str, int], str]
    """``(service, its default port)`` -> base URL as the others reach it."""
    port: Callable[[str, int], int]
    """``(service, its default port)`` -> the port it listens on."""
    file: Callable[[Mount], str]
    """Where a mounted file (or folder) is."""


CLUSTER = Place(
    listen="0.0.0.0",  # a pod's address; NetworkPolicies say who may connect
    address=lambda service, port: f"http://{service}:{port}",
    port=lambda _service, port: port,
    file=lambda mount: mount.path,
)


def deployables(place: Place = CLUSTER) -> tuple[Deployable, ...]:
    """Every process of the split deployment at ``place``: migration job, provider, gateway, subgraphs, workers."""
    gateway_port = place.port("gateway", GATEWAY_PORT)
    identity_port = place.port("identity", IDENTITY_PORT)
    common = {
        "ZHIJIAN_HOST": place.listen,
        "ZHIJIAN_DATA_DIR": DATA_DIR,
        "ZHIJIAN_SEED_DEMO": "false",
        "ZHIJIAN_LOG_FORMAT": "json",
    }
    graph = {
        "ZHIJIAN_GATEWAY_URL": place.address("gateway", GATEWAY_PORT) + "/graphql",
        "ZHIJIAN_IDENTITY_URL": place.address("identity", IDENTITY_PORT),
    }
    store = ("ZHIJIAN_DATABASE_URL", "ZHIJIAN_REDIS_URL")
    result = [
        Deployable("migrate", ("migrate",), None, "job", common, ("ZHIJIAN_DATABASE_URL", *CLIENT_SECRETS)),
        Deployable(
            "identity",
            ("serve", "identity"),
            identity_port,
            "edge",
            {**common, "ZHIJIAN_IDENTITY_PORT": str(identity_port)},
            (*store, "ZHIJIAN_IDENTITY_KEY_ENCRYPTION_KEY", "ZHIJIAN_IDENTITY_COOKIE_SECRET"),
            {"ZHIJIAN_IDENTITY_KEY_DIR": SIGNING_KEYS},
            public_config=True,
        ),
        Deployable(
            "gateway",
            ("serve", "gateway"),
            gateway_port,
            "edge",
            {
                **common,
                "ZHIJIAN_GATEWAY_PORT": str(gateway_port),
                "ZHIJIAN_IDENTITY_URL": graph["ZHIJIAN_IDENTITY_URL"],
                **{f"ZHIJIAN_{c.name.upper()}_URL": place.address(c.name, c.port) + "/graphql" for c in SUBGRAPHS},
            },
            ("ZHIJIAN_REDIS_URL",),
            {"ZHIJIAN_FORWARDING_KEY_FILE": FORWARDING_KEY},
            public_config=True,
        ),
    ]
    for component in SUBGRAPHS:
        port = place.port(component.name, component.port)
        own = (f"ZHIJIAN_{component.name.upper()}_CLIENT_SECRET",) if component.machine_client else ()
        result.append(
            Deployable(
                component.name,
                ("serve", component.name),
                port,
                "subgraph",
                {**common, f"ZHIJIAN_{component.name.upper()}_PORT": str(port), **graph},
                (*store, *own),
                {"ZHIJIAN_FORWARDING_PUBLIC_KEY_FILE": FORWARDING_PUBLIC_KEY},
                optional_secrets=REPLICA_SECRETS,
                metrics=component.name in SERVES_METRICS,
            )
        )
    for queue in ("short", "long"):
        result.append(
            Deployable(
                f"worker-{queue}",
                ("worker", "--queue", queue),
                None,
                "worker",
                {**common, **graph},
                (*store, *CLIENT_SECRETS),
                optional_secrets=ADAPTER_SECRETS,
                adapter_config=True,
            )
        )
    return tuple(result)


def environment(deployable: Deployable, place: Place, secrets: Mapping[str, str]) -> dict[str, str]:
    """The full environment of ``deployable`` at ``place``: its variables, its secrets' values, its files' paths."""
    return {
        **deployable.env,
        **{name: secrets[name] for name in deployable.secrets},
        **{name: secrets[name] for name in deployable.optional_secrets if name in secrets},
        **{name: place.file(mount) for name, mount in deployable.files.items()},
    }
