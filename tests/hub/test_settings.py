"""The hub's settings: defaults, overrides, and clear refusals of unusable values."""

import re
from pathlib import Path

import pytest

from hub.settings import Settings, SettingsError


def test_defaults_are_the_embedded_hub_on_loopback() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite+aiosqlite:///.zhijian/zhijian.db"
    assert settings.gateway_url == "http://127.0.0.1:4000/graphql"
    assert settings.issuer == "http://127.0.0.1:4010"
    ports = {
        "entities": 4001, "permits": 4002, "supervision": 4003, "enforcement": 4004, "detection": 4005,
        "integration": 4006,
    }  # fmt: skip
    assert dict(settings.subgraph_ports) == ports
    assert settings.redis_url is None


def test_overrides_are_read_from_zhijian_variables() -> None:
    settings = Settings.from_env(
        {
            "ZHIJIAN_DATA_DIR": "/srv/zj",
            "ZHIJIAN_GATEWAY_PORT": "8080",
            "ZHIJIAN_PERMITS_PORT": "9002",
            "ZHIJIAN_SEED_DEMO": "false",
        }
    )
    assert settings.data_dir == Path("/srv/zj")
    assert settings.database_url == "sqlite+aiosqlite:////srv/zj/zhijian.db"
    assert settings.gateway_port == 8080
    assert settings.subgraph_ports["permits"] == 9002
    assert settings.seed_demo is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ZHIJIAN_GATEWAY_PORT": "http"}, "ZHIJIAN_GATEWAY_PORT must be a port number"),
        ({"ZHIJIAN_IDENTITY_PORT": "70000"}, "between 1 and 65535"),
        ({"ZHIJIAN_DATABASE_URL": "mysql://x/y"}, "must start with sqlite+aiosqlite:// or postgresql+asyncpg://"),
        ({"ZHIJIAN_SEED_DEMO": "maybe"}, "ZHIJIAN_SEED_DEMO must be true or false"),
        ({"ZHIJIAN_LOG_LEVEL": "loud"}, "ZHIJIAN_LOG_LEVEL must be"),
    ],
)
def test_unusable_values_are_refused_with_the_variable_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_env(env)


def test_a_machine_client_secret_is_a_secret_that_never_shows() -> None:
    settings = Settings.from_env({"ZHIJIAN_PERMITS_CLIENT_SECRET": "s3cret-s3cret-s3cret"})
    secret = settings.client_secrets["permits"]
    assert secret.reveal() == "s3cret-s3cret-s3cret"
    assert "s3cret" not in repr(settings) and "s3cret" not in str(secret)
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"ZHIJIAN_PERMITS_CLIENT_SECRET": "short-secret"})
    assert "short-secret" not in refused.value.message
