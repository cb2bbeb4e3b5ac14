"""The split topology on one machine: every component of ``hub.deployment`` as its own process on PostgreSQL and
Redis — the provider, each subgraph, two gateway processes behind the front (``hub.front``), the short and long
workers, and Triton when it is installed — each configured only by the variables and files the manifests give it,
at 127.0.0.1 and the ports given here instead of service names.

``zhijian up --split`` runs it until Ctrl-C; ``tests/deploy/test_split.py`` runs the same launcher and kills
processes under it.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hub.deployment import PUBLIC_SETTINGS, Deployable, Place, deployables, environment
from hub.front import Backend, Front
from hub.processes import Child, python
from kernel.forwarding import IdentitySigner, generate_private_pem

GATEWAYS = ("gateway", "gateway-b")
"""The two gateway processes behind the front (same settings, different ports)."""
WORKERS = ("worker-short", "worker-long")
FRONT = "front"


@dataclass(frozen=True, slots=True)
class Ports:
    """Where each process listens: every server of :func:`hub.deployment.deployables` by name, both gateways, the
    front (the gateway's address for everyone else) and Triton's HTTP/gRPC/metrics ports when it runs."""

    servers: Mapping[str, int]
    triton: tuple[int, int, int] | None = None

    @classmethod
    def defaults(cls, front: int, identity: int, subgraphs: Mapping[str, int], triton: bool) -> Ports:
        """The usual ports: the front where the single-process gateway would be, the gateways 90 and 91 above."""
        servers = {FRONT: front, "gateway": front + 90, "gateway-b": front + 91, "identity": identity, **subgraphs}
        return cls(servers, (8000, 8001, 8002) if triton else None)


def place(ports: Ports, folder: Path) -> Place:
    """127.0.0.1 and ``ports``; everyone reaches the gateway at the front; mounted files are in ``folder``."""
    return Place(
        listen="127.0.0.1",
        address=lambda service, _port: f"http://127.0.0.1:{ports.servers[FRONT if service == 'gateway' else service]}",
        port=lambda service, _port: ports.servers[service],
        file=lambda mount: str(folder / mount.key),
    )


def secret_values(folder: Path, database_url: str, redis_url: str, names: set[str]) -> dict[str, str]:
    """The Secret's values: the store URLs given, every other one random on first use and kept in ``folder`` (the
    provider's signing keys are sealed with one of them, so a restart must find the same)."""
    kept = folder / "secrets.json"
    stored: dict[str, str] = json.loads(kept.read_text("utf-8")) if kept.exists() else {}
    generated = {name: stored.get(name) or secrets.token_urlsafe(32) for name in names}
    kept.write_text(json.dumps(generated), "utf-8")
    kept.chmod(0o600)
    return generated | {"ZHIJIAN_DATABASE_URL": database_url, "ZHIJIAN_REDIS_URL": redis_url}


def forwarding_keys(folder: Path) -> None:
    """The gateway's Ed25519 key pair as the two mounted files, made once."""
    private, public = folder / "private.pem", folder / "public.pem"
    if not private.exists():
        pem = generate_private_pem()
        private.write_text(pem, encoding="ascii")
        private.chmod(0o600)
        public.write_text(IdentitySigner.from_private_pem(pem).public_pem(), encoding="ascii")


@dataclass
class Split:
    """The processes of one split topology, started and stopped by name."""

    folder: Path
    ports: Ports
    database_url: str
    redis_url: str
    extra: Mapping[str, str] = field(default_factory=dict)
    """More variables for every process (e.g. ``ZHIJIAN_DATABASE_READ_URL``, limits)."""
    echo: Callable[[str, str], None] | None = None
    """``(process name, line)`` for each output line, as it comes."""
    children: dict[str, Child] = field(default_factory=dict)
    front: Front | None = None

    def __post_init__(self) -> None:
        mounted = self.folder / "mounted"
        mounted.mkdir(parents=True, exist_ok=True)
        forwarding_keys(mounted)
        self.place = place(self.ports, mounted)
        self.processes = {d.name: d for d in deployables(self.place)}
        names = {n for d in self.processes.values() for n in (*d.secrets, *d.optional_secrets)}
        names -= {"ZHIJIAN_DATABASE_READ_URL", "ZHIJIAN_EXCHANGE_DATABASE_URL"}
        self.values = secret_values(self.folder, self.database_url, self.redis_url, names)
        self.url = {name: f"http://127.0.0.1:{port}" for name, port in self.ports.servers.items()}
        front = self.url[FRONT]
        self.public = dict(zip(PUBLIC_SETTINGS, (self.url["identity"], f"{front}/graphql", front), strict=True))
        if self.ports.triton is not None:
            self.extra = {"ZHIJIAN_TRITON_URL": f"127.0.0.1:{self.ports.triton[0]}", **self.extra}

    @property
    def servers(self) -> tuple[str, ...]:
        """Every HTTP server's process name: the provider, the subgraphs, both gateways."""
        return (*(d.name for d in self.processes.values() if d.port is not None), "gateway-b")

    def deployable(self, name: str) -> Deployable:
        return self.processes["gateway" if name in GATEWAYS else name]

    def env_of(self, name: str) -> dict[str, str]:
        deployable = self.deployable(name)
        env = environment(deployable, self.place, self.values) | {"ZHIJIAN_DATA_DIR": str(self.folder / name)}
        env |= self.public if deployable.public_config else {}
        if name == "gateway-b":
            env["ZHIJIAN_GATEWAY_PORT"] = str(self.ports.servers[name])
        return env | dict(self.extra)

    async def start(self, name: str) -> Child:
        """Start the process ``name`` (again, if it ran before)."""
        echo = self.echo
        child = await Child.start(
            python("-m", "hub.cli", *self.deployable(name).args),
            self.env_of(name),
            inherit=False,
            echo=None if echo is None else (lambda line: echo(name, line)),
        )
        self.children[name] = child
        return child

    async def migrate(self, within: float = 180.0) -> None:
        """The migration job: every component's tables, the machine clients; fails with its output."""
        job = await self.start("migrate")
        if await job.exit_code(within=within) != 0:
            raise RuntimeError("zhijian migrate failed:\n" + "\n".join(job.lines[-30:]))

    async def start_triton(self) -> None:
        if self.ports.triton is None:
            return
        http, grpc, metrics = (str(port) for port in self.ports.triton)
        args = ("triton", "up", "--http-port", http, "--grpc-port", grpc, "--metrics-port", metrics)
        echo = self.echo
        self.children["triton"] = await Child.start(
            python("-m", "hub.cli", *args, "--workdir", str(self.folder / "triton")),
            {},
            echo=None if echo is None else (lambda line: echo("triton", line)),
        )

    async def serve_front(self, stop: asyncio.Event, ready: asyncio.Event | None = None) -> None:
        """The front over both gateways on its port until ``stop``."""
        self.front = Front([Backend("127.0.0.1", self.ports.servers[name]) for name in GATEWAYS])
        await self.front.serve("127.0.0.1", self.ports.servers[FRONT], stop, ready)

    async def stop(self, name: str, sig: signal.Signals = signal.SIGTERM, within: float = 60.0) -> int:
        """Signal ``name`` and wait for its exit code."""
        child = self.children[name]
        if child.running:
            child.signal(sig)
        return await child.exit_code(within=within)

    async def stop_all(self, within: float = 60.0) -> dict[str, int]:
        """SIGTERM (SIGINT for Triton's launcher) to every running process at once; each exit code."""
        for name, child in self.children.items():
            if child.running:
                child.signal(signal.SIGINT if name == "triton" else signal.SIGTERM)
        return {name: await child.exit_code(within=within) for name, child in self.children.items()}

    async def kill_all(self) -> None:
        for child in self.children.values():
            await child.kill()
