"""Reading ``ZHIJIAN_*`` settings: one parser for every deployable, and :class:`Secret` for what must not be shown.

Each deployable builds one frozen settings object at its entry point with ``Env(os.environ)``; library code
never reads or writes the environment. An empty variable counts as unset. A value we cannot use raises
:class:`SettingsError` naming the variable and what it must be (a secret's value is never echoed).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kernel.errors import ErrorCode, ZhijianError

T = TypeVar("T")


class SettingCode(ErrorCode):
    INVALID_SETTING = "INVALID_SETTING", "A ZHIJIAN_* variable holds a value the deployable cannot use."


class SettingsError(ZhijianError):
    """A ``ZHIJIAN_*`` variable holds a value we cannot use; the message says which and what it must be."""

    code = SettingCode.INVALID_SETTING


class Secret:
    """A configured secret: ``repr`` and ``str`` hide it, :meth:`reveal` gives it to the code that needs it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


@dataclass(frozen=True, slots=True)
class Env:
    """Typed reads of environment variables; ``values`` is ``os.environ`` at an entry point, a dict in tests."""

    values: Mapping[str, str]

    def get(self, name: str) -> str | None:
        """The raw value, or None when unset or empty."""
        value = self.values.get(name)
        return value if value else None

    def text(self, name: str, default: str) -> str:
        return self.get(name) or default

    def _parsed(self, name: str, default: T, parse: Callable[[str], T], must: str) -> T:
        raw = self.get(name)
        if raw is None:
            return default
        try:
            return parse(raw.strip())
        except ValueError:
            raise SettingsError(f"{name} must be {must}, not {raw!r}") from None

    def integer(
        self,
        name: str,
        default: int,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        what: str = "a whole number",
    ) -> int:
        value = self._parsed(name, default, int, what)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            raise SettingsError(f"{name} must be {bounds}, not {value}")
        return value

    def port(self, name: str, default: int) -> int:
        return self.integer(name, default, minimum=1, maximum=65535, what="a port number")

    def seconds(self, name: str, default: float, *, positive: bool = True) -> float:
        value = self._parsed(name, default, float, "a number of seconds")
        if positive and not value > 0:
            raise SettingsError(f"{name} must be a positive number of seconds, not {value}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.get(name)
        if raw is None:
            return default
        if raw.strip().lower() in _TRUE:
            return True
        if raw.strip().lower() in _FALSE:
            return False
        raise SettingsError(f"{name} must be true or false, not {raw!r}")

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(name, default).lower()
        if value not in choices:
            raise SettingsError(f"{name} must be {', '.join(choices[:-1])} or {choices[-1]}, not {value!r}")
        return value

    def path(self, name: str, default: Path) -> Path:
        raw = self.get(name)
        return default if raw is None else Path(raw)

    def names(self, name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """A comma-separated list, trimmed, lower-cased, empty items dropped."""
        raw = self.get(name)
        if raw is None:
            return default
        return tuple(item.strip().lower() for item in raw.split(",") if item.strip())

    def seconds_by_name(self, name: str) -> dict[str, float]:
        """``a=1.5,b=3`` as a mapping of positive seconds."""
        result: dict[str, float] = {}
        for item in (self.get(name) or "").split(","):
            if not item.strip():
                continue
            key, sep, raw = item.partition("=")
            if not sep or not key.strip():
                raise SettingsError(f"{name} items look like name=seconds, not {item!r}")
            result[key.strip()] = Env({name: raw}).seconds(name, 0.0)
        return result

    def secret(self, name: str, *, min_bytes: int = 0) -> Secret | None:
        """A secret, or None when unset; too short a secret is refused without echoing it."""
        raw = self.get(name)
        if raw is None:
            return None
        if len(raw.encode()) < min_bytes:
            raise SettingsError(f"{name} must have at least {min_bytes} bytes")
        return Secret(raw)
