"""The deployment files, checked offline: the generated ones are what ``python -m hub.manifests`` writes today;
both kustomize overlays render (``kubectl kustomize``) into objects valid against the Kubernetes schemas
(``kubernetes-validate``, strict); every ``ZHIJIAN_*`` variable they set is one a deployable reads; secrets come
from Secrets only; every container is non-root on a read-only root filesystem with resources; servers are probed
on ``/health`` and ``/ready``; only the gateway and the provider are reachable from outside, subgraphs only from
the gateway and the workers; the compose file runs the same processes and is valid against the Compose
Specification's schema (the check ``docker compose config`` makes first); the Containerfile passes hadolint."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

from adapters.settings import AdapterSettings
from gateway.settings import GatewaySettings
from hub.deployment import ADAPTER_SECRETS, CLIENT_SECRETS, PUBLIC_SETTINGS, REPLICA_SECRETS, SECRET, deployables
from hub.manifests import compose_file, rendered, secret_keys
from hub.settings import Settings
from identity.settings import IdentitySettings

REPO = Path(__file__).resolve().parents[2]
OVERLAYS = ("dev", "production")
CUSTOM_KINDS = {"Cluster"}
"""Objects of operators' CRDs (CloudNativePG), which the Kubernetes schemas do not cover."""
SECRET_VARIABLES = {
    "ZHIJIAN_DATABASE_URL",
    "ZHIJIAN_REDIS_URL",
    "ZHIJIAN_IDENTITY_KEY_ENCRYPTION_KEY",
    "ZHIJIAN_IDENTITY_COOKIE_SECRET",
    *CLIENT_SECRETS,
    *ADAPTER_SECRETS,
    *REPLICA_SECRETS,
}


class Recording(dict[str, str]):
    """An empty environment that remembers every variable a settings reader asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)


@cache
def variables_read() -> frozenset[str]:
    """Every ``ZHIJIAN_*`` variable the deployables' settings readers look at."""
    environ = Recording()
    for reader in (Settings, IdentitySettings, GatewaySettings, AdapterSettings):
        reader.from_env(environ)
    return frozenset(environ.asked)


@cache
def overlay(name: str) -> tuple[dict[str, Any], ...]:
    kubectl = shutil.which("kubectl")
    assert kubectl is not None, "kubectl (its built-in kustomize) renders the overlays: install kubectl"
    path = REPO / "deploy" / "k8s" / "overlays" / name
    done = subprocess.run([kubectl, "kustomize", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return tuple(document for document in yaml.safe_load_all(done.stdout) if document)


def pod_specs(objects: tuple[dict[str, Any], ...]) -> Iterator[tuple[str, dict[str, Any]]]:
    for item in objects:
        if item["kind"] in ("Deployment", "Job"):
            yield item["metadata"]["name"], item["spec"]["template"]["spec"]


def zhijian_containers(objects: tuple[dict[str, Any], ...]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, spec in pod_specs(objects):
        for container in spec["containers"]:
            if str(container["image"]).startswith("registry.example/zhijian/"):
                yield name, container


def test_the_recorded_variables_are_the_ones_the_readers_ask_for() -> None:
    read = variables_read()
    assert {"ZHIJIAN_DATABASE_URL", "ZHIJIAN_ENTITIES_URL", "ZHIJIAN_GATEWAY_GRAPHIQL", "ZHIJIAN_REGISTRY_URL"} <= read
    assert {"ZHIJIAN_IDENTITY_ISSUER", "ZHIJIAN_FORWARDING_PUBLIC_KEY_FILE", *CLIENT_SECRETS} <= read


def test_the_secret_keys_listed_for_operators_are_the_ones_the_manifests_reference() -> None:
    referenced = {
        variable["valueFrom"]["secretKeyRef"]["key"]
        + (" (optional)" if variable["valueFrom"]["secretKeyRef"].get("optional") else "")
        for _, container in zhijian_containers(overlay("production"))
        for variable in container["env"]
        if "valueFrom" in variable
    }
    assert set(secret_keys()) == referenced


def test_the_generated_files_are_what_the_generator_writes_today() -> None:
    for path, text in rendered(REPO).items():
        assert path.exists(), f"{path.relative_to(REPO)} is missing: run python -m hub.manifests"
        assert path.read_text(encoding="utf-8") == text, f"{path.relative_to(REPO)} is stale: python -m hub.manifests"
    generated = REPO / "deploy" / "k8s" / "base" / "generated"
    assert {p.name for p in generated.glob("*.yaml")} == {f"{d.name}.yaml" for d in deployables()}


@pytest.mark.parametrize("name", OVERLAYS)
def test_each_overlay_renders_objects_valid_against_the_kubernetes_schemas(name: str) -> None:
    objects = overlay(name)
    kinds = {item["kind"] for item in objects}
    assert {"Deployment", "Job", "Service", "Ingress", "NetworkPolicy", "PodDisruptionBudget"} <= kinds
    assert "HorizontalPodAutoscaler" in kinds and "Cluster" in kinds
    for item in objects:
        if item["kind"] in CUSTOM_KINDS:
            continue
        try:
            kubernetes_validate.validate(item, latest_version(), strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{item['kind']}/{item['metadata']['name']}: {error.message} at {list(error.path)}")


@pytest.mark.parametrize("name", OVERLAYS)
def test_every_variable_set_is_one_the_code_reads_and_every_secret_comes_from_a_secret(name: str) -> None:
    objects = overlay(name)
    config_maps = {item["metadata"]["name"]: item.get("data", {}) for item in objects if item["kind"] == "ConfigMap"}
    for deployment, container in zhijian_containers(objects):
        names: set[str] = set()
        for variable in container.get("env", []):
            names.add(variable["name"])
            if variable["name"] in SECRET_VARIABLES:
                reference = variable.get("valueFrom", {}).get("secretKeyRef")
                assert reference and reference["name"] == SECRET, f"{deployment}: {variable['name']} not from a Secret"
            else:
                assert "value" in variable, f"{deployment}: {variable['name']}"
        for source in container.get("envFrom", []):
            reference = source["configMapRef"]
            if reference.get("optional") and reference["name"] not in config_maps:
                continue  # created by the bureau where it has the legacy source
            keys = config_maps[reference["name"]]
            assert not SECRET_VARIABLES & set(keys), f"{deployment}: a secret in a ConfigMap"
            names |= set(keys)
        unknown = {n for n in names if n.startswith("ZHIJIAN_")} - variables_read()
        assert not unknown, f"{deployment} sets variables no settings reader reads: {sorted(unknown)}"
    public = next(data for cm, data in config_maps.items() if cm.startswith("zhijian-public"))
    assert set(PUBLIC_SETTINGS) <= set(public)
    assert all(public[key].startswith("https://") for key in PUBLIC_SETTINGS)


@pytest.mark.parametrize("name", OVERLAYS)
def test_every_pod_is_non_root_read_only_bounded_and_every_server_probed(name: str) -> None:
    objects = overlay(name)
    for pod, spec in pod_specs(objects):
        assert spec["securityContext"]["runAsNonRoot"] is True, pod
        assert spec.get("automountServiceAccountToken") is False, pod
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, pod
            assert security["allowPrivilegeEscalation"] is False, pod
            assert security["capabilities"]["drop"] == ["ALL"], pod
            assert container["resources"]["requests"] and container["resources"]["limits"]["memory"], pod
    servers = {d.name: d for d in deployables() if d.port is not None}
    for pod, container in zhijian_containers(objects):
        if pod in servers:
            assert container["ports"] == [{"name": "http", "containerPort": servers[pod].port}]
            assert container["readinessProbe"]["httpGet"]["path"] == "/ready", pod
            assert container["livenessProbe"]["httpGet"]["path"] == "/health", pod
    gpu = [c for _, s in pod_specs(objects) for c in s["containers"] if "nvidia.com/gpu" in c["resources"]["limits"]]
    assert len(gpu) == (1 if name == "production" else 0), "Triton on one GPU in production, none in dev"


@pytest.mark.parametrize("name", OVERLAYS)
def test_only_the_gateway_and_the_provider_are_reachable_and_subgraphs_only_from_gateway_and_workers(
    name: str,
) -> None:
    objects = overlay(name)
    (ingress,) = [item for item in objects if item["kind"] == "Ingress"]
    backends = {
        path["backend"]["service"]["name"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]
    }
    assert backends == {"gateway", "identity"}
    policies = {item["metadata"]["name"]: item["spec"] for item in objects if item["kind"] == "NetworkPolicy"}
    assert policies["default-deny-ingress"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    for deployable in deployables():
        if deployable.role != "subgraph":
            continue
        rules = policies[deployable.name]["ingress"]
        in_namespace = [
            peer["podSelector"]["matchLabels"] for rule in rules for peer in rule["from"] if "podSelector" in peer
        ]
        assert in_namespace == [
            {"app.kubernetes.io/name": "gateway", "app.kubernetes.io/part-of": "zhijian"},
            {"app.kubernetes.io/component": "worker", "app.kubernetes.io/part-of": "zhijian"},
        ], deployable.name
        outside = [peer for rule in rules for peer in rule["from"] if "namespaceSelector" in peer]
        assert all(
            p["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "monitoring"} for p in outside
        )


def test_the_compose_file_runs_the_same_processes_with_the_same_variables() -> None:
    compose = yaml.safe_load((REPO / "deploy" / "compose" / "compose.yaml").read_text(encoding="utf-8"))
    assert compose == compose_file()
    for deployable in deployables():
        service = compose["services"][deployable.name]
        assert service["command"] == list(deployable.args)
        assert service["read_only"] is True and service["user"] == "10001:10001"
        assert set(service["environment"]) == {
            *deployable.env,
            *deployable.secrets,
            *deployable.optional_secrets,
            *deployable.files,
        }
        for secret in deployable.secrets:
            assert service["environment"][secret].startswith(f"${{{secret}:?"), "secrets only from .env"
    published = {name for name, service in compose["services"].items() if "ports" in service}
    assert published == {"gateway", "identity"}


def compose_spec_errors(compose: dict[str, Any]) -> list[str]:
    schema = json.loads((REPO / "deploy" / "compose" / "schema" / "compose-spec.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(compose)]


def test_the_compose_file_is_valid_against_the_compose_specification() -> None:
    compose = yaml.safe_load((REPO / "deploy" / "compose" / "compose.yaml").read_text(encoding="utf-8"))
    assert compose_spec_errors(compose) == []
    misspelt = {**compose, "services": {**compose["services"], "gateway": {**compose["services"]["gateway"]}}}
    misspelt["services"]["gateway"]["restart_policy"] = "always"
    assert compose_spec_errors(misspelt) == [
        "services/gateway: 'restart_policy' does not match any of the regexes: '^x-'"
    ]


def test_the_containerfile_passes_hadolint_and_runs_as_a_non_root_user_from_pinned_bases() -> None:
    containerfile = REPO / "deploy" / "images" / "Containerfile"
    hadolint = Path(sys.executable).parent / "hadolint"
    done = subprocess.run([str(hadolint), str(containerfile)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line.strip() for line in containerfile.read_text(encoding="utf-8").splitlines()]
    bases = [line.split()[1] for line in lines if line.startswith("FROM ")]
    assert bases and all("@sha256:" in base for base in bases)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert not any(
        word in line.lower() for line in lines if line.startswith(("COPY", "ADD")) for word in ("pem", "secret", ".env")
    )
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert {"**", "**/*.pem", "**/.env", "**/.zhijian/"} <= set(ignored), "the build context is allow-listed"
