"""Triton Inference Server as a process of ours: the ``tritonserver`` binary shipped in the ``nvidia-pytriton`` wheel,
installed in its own virtual environment (``make triton``: it pins NumPy 1.x), started on 127.0.0.1 over the
project's model repository, and stopped again.

That build runs on a CPU-only machine with its python backend. What it needs, and this module arranges: the
environment's ``bin`` first on ``PATH`` (the backend stub finds its Python there), the Python library directory and
the wheel's bundled libraries on ``LD_LIBRARY_PATH``, and the stub for our Python version beside
``libtriton_python.so`` (a prepared copy of the backend directory, never the installed files).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from inference.backends import InferenceUnavailable
from inference.repository import MODELS

TRITON_VENV = Path(__file__).resolve().parents[1] / ".venv-triton"
"""Where ``make triton`` installs the server (beside the project's own ``.venv``)."""


@dataclass(frozen=True, slots=True)
class TritonPorts:
    http: int
    grpc: int
    metrics: int

    @classmethod
    def free(cls) -> TritonPorts:
        """Three ports nobody listens on (for tests and benchmarks)."""
        ports = []
        sockets = []
        for _ in range(3):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
            ports.append(sock.getsockname()[1])
        for sock in sockets:
            sock.close()
        return cls(*ports)


DEFAULT_PORTS = TritonPorts(http=8000, grpc=8001, metrics=8002)


@dataclass(frozen=True, slots=True)
class TritonInstall:
    """The pieces of one ``nvidia-pytriton`` installation."""

    venv: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def _site(self) -> Path:
        found = sorted(self.venv.glob("lib/python3*/site-packages"))
        if not found:
            raise InferenceUnavailable(f"no Triton environment at {self.venv}: run `make triton`")
        return found[0]

    @property
    def server_root(self) -> Path:
        return self._site() / "pytriton" / "tritonserver"

    @property
    def bundled_libraries(self) -> Path:
        return self._site() / "nvidia_pytriton.libs"

    def _ask(self, expression: str) -> str:
        command = [str(self.python), "-c", f"import sys, sysconfig; print({expression})"]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()

    def python_version(self) -> str:
        """``3.11``: which backend stub to use."""
        return self._ask("f'{sys.version_info[0]}.{sys.version_info[1]}'")

    def python_libdir(self) -> str:
        """Where ``libpython`` is, for the stub."""
        return self._ask("sysconfig.get_config_var('LIBDIR')")

    def prepare_backends(self, workdir: Path) -> Path:
        """A backend directory with the python backend and the stub for this Python version beside it."""
        backends = workdir / "backends"
        python = backends / "python"
        if not (python / "triton_python_backend_stub").exists():
            python.mkdir(parents=True, exist_ok=True)
            for item in (self.server_root / "backends" / "python").iterdir():
                if item.is_file():
                    shutil.copy2(item, python / item.name)
            stub = self.server_root / "python_backend_stubs" / self.python_version() / "triton_python_backend_stub"
            shutil.copy2(stub, python / "triton_python_backend_stub")
        return backends

    def environment(self) -> dict[str, str]:
        libraries = [self.python_libdir(), str(self.bundled_libraries), os.environ.get("LD_LIBRARY_PATH", "")]
        return {
            **os.environ,
            "PATH": f"{self.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "LD_LIBRARY_PATH": os.pathsep.join(part for part in libraries if part),
        }


def server_command(
    install: TritonInstall, backends: Path, ports: TritonPorts, repository: Path = MODELS, host: str = "127.0.0.1"
) -> list[str]:
    return [
        str(install.server_root / "bin" / "tritonserver"),
        f"--model-repository={repository}",
        f"--backend-directory={backends}",
        f"--http-address={host}",
        f"--http-port={ports.http}",
        f"--grpc-address={host}",
        f"--grpc-port={ports.grpc}",
        f"--metrics-address={host}",
        f"--metrics-port={ports.metrics}",
        "--pinned-memory-pool-byte-size=0",
        "--allow-gpu-metrics=false",
        "--log-verbose=0",
        "--exit-timeout-secs=5",
    ]


@dataclass
class TritonServer:
    """A running ``tritonserver`` process."""

    process: subprocess.Popen[bytes]
    ports: TritonPorts
    host: str = "127.0.0.1"

    @property
    def grpc_url(self) -> str:
        return f"{self.host}:{self.ports.grpc}"

    @property
    def http_url(self) -> str:
        return f"{self.host}:{self.ports.http}"

    async def wait_ready(self, timeout_s: float = 120.0) -> None:
        """Until ``/v2/health/ready`` answers 200 (every model loaded); ``InferenceUnavailable`` if it exits first."""
        deadline = time.monotonic() + timeout_s
        async with httpx.AsyncClient(timeout=2.0) as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise InferenceUnavailable(f"tritonserver exited with {self.process.returncode} while starting")
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"http://{self.http_url}/v2/health/ready")).status_code == 200:
                        return
                await asyncio.sleep(0.25)
        raise InferenceUnavailable(f"tritonserver was not ready within {timeout_s:.0f} s")

    def stop(self, grace_s: float = 15.0) -> int:
        """SIGTERM, then SIGKILL after ``grace_s``; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start(
    workdir: Path,
    ports: TritonPorts = DEFAULT_PORTS,
    repository: Path = MODELS,
    install: TritonInstall | None = None,
    log: Path | None = None,
) -> TritonServer:
    """Start ``tritonserver`` (not yet ready: :meth:`TritonServer.wait_ready`)."""
    install = install or TritonInstall(TRITON_VENV)
    if not install.python.exists():
        raise InferenceUnavailable(f"no Triton environment at {install.venv}: run `make triton`")
    workdir.mkdir(parents=True, exist_ok=True)
    backends = install.prepare_backends(workdir)
    output = (log or workdir / "tritonserver.log").open("ab")
    process = subprocess.Popen(
        server_command(install, backends, ports, repository),
        env=install.environment(),
        stdout=output,
        stderr=subprocess.STDOUT,
        cwd=workdir,
    )
    return TritonServer(process, ports)


@contextlib.asynccontextmanager
async def running(workdir: Path, ports: TritonPorts | None = None) -> AsyncIterator[TritonServer]:
    """Triton started, ready, and stopped afterwards (tests and benchmarks)."""
    server = start(workdir, ports or TritonPorts.free())
    try:
        await server.wait_ready()
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    """``zhijian triton up``: serve the model repository on Triton until Ctrl-C."""
    import argparse

    parser = argparse.ArgumentParser(prog="zhijian triton up", description="serve the kitchen models on Triton")
    parser.add_argument("--http-port", type=int, default=DEFAULT_PORTS.http)
    parser.add_argument("--grpc-port", type=int, default=DEFAULT_PORTS.grpc)
    parser.add_argument("--metrics-port", type=int, default=DEFAULT_PORTS.metrics)
    parser.add_argument("--workdir", type=Path, default=Path(".zhijian") / "triton")
    args = parser.parse_args(argv)
    try:
        server = start(args.workdir, TritonPorts(args.http_port, args.grpc_port, args.metrics_port))
        asyncio.run(server.wait_ready())
    except InferenceUnavailable as error:
        print(f"zhijian triton: {error.message} (log: {args.workdir / 'tritonserver.log'})", file=sys.stderr)
        return 2
    print(f"Triton is up: gRPC {server.grpc_url}, HTTP {server.http_url}; Ctrl-C stops it", flush=True)
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
