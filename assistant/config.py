"""Configuration from environment variables (12-factor), with a `.env` file read if present."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .i18n import LANGUAGES

SAMPLE_PROGRAMME = Path(__file__).resolve().parent.parent / "plugins" / "programme" / "sample.yaml"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class ConfigError(ValueError):
    """A configuration value is wrong; the message names the variable."""


def parse_duration(value: str) -> timedelta:
    """'90m', '24h', '7d' → timedelta; plugins use it for their own settings."""
    match = _DURATION.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a duration like 30m, 24h or 7d")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def parse_durations(value: str) -> tuple[timedelta, ...]:
    """'24h,1h' → (24h, 1h), longest first; empty for ''."""
    items = [parse_duration(v) for v in value.split(",") if v.strip()]
    return tuple(sorted(set(items), reverse=True))


def _ids(name: str, value: str) -> frozenset[int]:
    try:
        return frozenset(int(v) for v in value.replace(" ", "").split(",") if v)
    except ValueError:
        raise ConfigError(f"{name}: expected comma-separated Telegram user ids, got {value!r}")


@dataclass(frozen=True)
class Config:
    """Everything the core reads from the environment."""

    token: str | None = field(default=None, repr=False)
    api_url: str | None = None
    data_dir: Path | None = Path("data")
    programme: Path = SAMPLE_PROGRAMME
    organisers: frozenset[int] = frozenset()
    locale: str = "en"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Stockholm"))
    disabled_plugins: frozenset[str] = frozenset()
    send_rate: float = 30.0
    retention: timedelta = timedelta(days=365)
    env: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Config:
        """Read and check every variable; a bad one raises ConfigError naming it."""
        if environ is None:
            if dotenv:
                from dotenv import load_dotenv
                load_dotenv(Path.cwd() / ".env", override=False)
            environ = os.environ
        env = dict(environ)
        locale = env.get("MINGEL_LOCALE", "en").strip().lower().replace("_", "-").split("-")[0]
        if locale not in LANGUAGES:
            raise ConfigError(f"MINGEL_LOCALE: {env['MINGEL_LOCALE']!r} is not one of "
                              f"{', '.join(LANGUAGES)}")
        tz_name = env.get("MINGEL_TIMEZONE", "Europe/Stockholm")
        try:
            tz = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"MINGEL_TIMEZONE: unknown time zone {tz_name!r} "
                              "(use an IANA name such as Europe/Stockholm)")
        api_url = env.get("TELEGRAM_API_URL") or None
        if api_url and not re.match(r"^https?://", api_url):
            raise ConfigError(f"TELEGRAM_API_URL: {api_url!r} must start with http:// or https://")
        programme = Path(env["MINGEL_PROGRAMME"]) if env.get("MINGEL_PROGRAMME") else SAMPLE_PROGRAMME
        if not programme.is_file():
            raise ConfigError(f"MINGEL_PROGRAMME: no such file {str(programme)!r}")
        try:
            send_rate = float(env.get("MINGEL_SEND_RATE", "30"))
            if send_rate < 0:
                raise ValueError
        except ValueError:
            raise ConfigError(f"MINGEL_SEND_RATE: {env['MINGEL_SEND_RATE']!r} is not a "
                              "number of messages a second (0 turns pacing off)")
        try:
            retention = parse_duration(env.get("MINGEL_RETENTION", "365d"))
        except ValueError as exc:
            raise ConfigError(f"MINGEL_RETENTION: {exc}") from None
        return cls(
            retention=retention,
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            api_url=api_url.rstrip("/") if api_url else None,
            data_dir=Path(env.get("MINGEL_DATA_DIR") or "data"),
            programme=programme,
            organisers=_ids("MINGEL_ORGANISERS", env.get("MINGEL_ORGANISERS", "")),
            locale=locale,
            timezone=tz,
            disabled_plugins=frozenset(n.strip() for n in
                                       env.get("MINGEL_DISABLED_PLUGINS", "").split(",")
                                       if n.strip()),
            send_rate=send_rate,
            env=env,
        )
