"""Settings: defaults, then `config.toml` in the platformdirs config dir, then LEADLETTER_* env.

A broken config is one `ConfigError` line (the CLI exits 2), never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from .domain.text import quote_input

if TYPE_CHECKING:
    from .domain.profile import SenderProfile

APP_NAME = "leadletter"
ENV_PREFIX = "LEADLETTER_"


class ConfigError(Exception):
    """A settings problem, phrased as one line."""


@dataclass(frozen=True, slots=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def default_db(self) -> Path:
        return self.data_dir / "leadletter.db"

    @classmethod
    def from_platform(cls) -> Paths:
        return cls(
            config_dir=platformdirs.user_config_path(APP_NAME),
            data_dir=platformdirs.user_data_path(APP_NAME),
            log_dir=platformdirs.user_log_path(APP_NAME),
        )


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = ""  # empty: the SQLite file in the data dir
    follow_up_days: int = 3
    busy_timeout_ms: int = 5000
    now: str = ""  # fixed "current time" (ISO), for reproducible scripts and tests
    mouse: bool = True  # False: no mouse reporting, so the terminal's own selection works
    user_name: str = ""  # who events say did a change; empty: the OS user name (`actor`)
    # The sender profile every message is written from (see `sender_profile`).
    sender_name: str = ""
    sender_company: str = ""
    sender_offer: str = ""  # one or two sentences: what you do for clients
    sender_sample: str = ""  # a short sample of how you write
    sender_signature: str = ""  # under every message ("Sam\nAcme Studio")
    max_follow_ups: int = 3  # after this many follow-ups the contact is suggested Lost
    follow_up_concurrency: int = 4  # follow-ups written at once in a bulk run
    # Claude: without a key everything runs offline. ANTHROPIC_API_KEY is honoured too.
    # The key is never shown: not in repr, errors, `locate` or the UI.
    anthropic_api_key: str = field(default="", repr=False)
    anthropic_base_url: str = ""  # ANTHROPIC_BASE_URL is honoured too (proxies, tests)
    write_model: str = "claude-sonnet-5-5"  # writes the messages (ai.DEFAULT_WRITE_MODEL)
    fast_model: str = "claude-haiku-5-5"  # categorises, classifies (ai.DEFAULT_FAST_MODEL)

    def actor(self) -> str:
        """The name events record as who did it: `user_name`, else the OS user name, else
        "unknown" (one clean line, at most 64 characters)."""
        from .domain.text import sanitize_line

        name = sanitize_line(self.user_name[:200]).strip()
        if not name:
            import getpass

            try:
                name = sanitize_line(getpass.getuser()[:200]).strip()
            except Exception:  # no user name in the environment or the password database
                name = ""
        return name[:64] or "unknown"

    def clock(self):
        """The clock every rule uses: the real one, or a frozen `now`."""
        if not self.now:
            return datetime.now
        frozen = datetime.fromisoformat(self.now)
        if frozen.tzinfo is not None:  # every rule works in naive local time
            frozen = frozen.astimezone().replace(tzinfo=None)
        return lambda: frozen


_INT_LIMITS = {
    "follow_up_days": (1, 365),
    "busy_timeout_ms": (0, 600_000),
    "max_follow_ups": (0, 20),
    "follow_up_concurrency": (1, 64),
}
_SECRETS = {"anthropic_api_key"}  # never echoed back in an error
# Settings read from a standard variable too (the LEADLETTER_ one wins over it).
_STANDARD_ENV = {"anthropic_api_key": "ANTHROPIC_API_KEY",
                 "anthropic_base_url": "ANTHROPIC_BASE_URL"}


_BOOLS = {"mouse"}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _coerce(name: str, value: object, source: str) -> object:
    if name in _SECRETS:
        if not isinstance(value, str):
            raise ConfigError(f"{source}: {name} must be a string")
        if any(c.isspace() or not c.isprintable() for c in value.strip()):
            raise ConfigError(f"{source}: {name} must be one word with no spaces")
        return value.strip()
    if name in _BOOLS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise ConfigError(f"{source}: {name} must be true or false, got {quote_input(value)}")
    if name in _INT_LIMITS:
        lo, hi = _INT_LIMITS[name]
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or not lo <= number <= hi:
            raise ConfigError(f"{source}: {name} must be a whole number from {lo} to {hi}, got {quote_input(value)}")
        return number
    if not isinstance(value, str):
        raise ConfigError(f"{source}: {name} must be a string, got {quote_input(value)}")
    if name == "now" and value:
        from .domain.dates import check_supported

        try:
            frozen = datetime.fromisoformat(value)
        except ValueError:
            raise ConfigError(f"{source}: now must be an ISO date-time, got {quote_input(value)}") from None
        try:
            check_supported(frozen.replace(tzinfo=None), "now")
        except ValueError as exc:
            raise ConfigError(f"{source}: {exc}") from None
    return value


def load_settings(paths: Paths, env: Mapping[str, str] | None = None) -> Settings:
    """Defaults ← config file ← environment. Raises ConfigError."""
    env = os.environ if env is None else env
    known = {f.name for f in fields(Settings)}
    values: dict[str, object] = {}
    config_file = Path(env.get(ENV_PREFIX + "CONFIG") or paths.config_file)
    if config_file.exists():
        import tomllib  # only when there is a file: every CLI start pays for imports

        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {config_file}: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file {config_file}: {exc}") from None
        for key, value in data.items():
            if key not in known:
                raise ConfigError(f"config file {config_file}: unknown setting {key!r}")
            values[key] = _coerce(key, value, f"config file {config_file}")
    for name, variable in _STANDARD_ENV.items():
        raw = env.get(variable)
        if raw:
            values[name] = _coerce(name, raw, variable)
    for name in known:
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None and raw != "":
            values[name] = _coerce(name, raw, f"{ENV_PREFIX}{name.upper()}")
    return replace(Settings(), **values)


PROFILE_KEYS = {"name": "sender_name", "company": "sender_company", "offer": "sender_offer",
                "writing_sample": "sender_sample", "signature": "sender_signature"}
"""SenderProfile field -> setting name."""
REQUIRED_PROFILE_KEYS = ("sender_name", "sender_offer")
"""The minimum a first message needs (`SenderProfile.is_complete`)."""


def sender_profile(settings: Settings) -> SenderProfile:
    """The sender profile the settings describe, sanitised (single lines stay single)."""
    from .domain.profile import SenderProfile
    from .domain.text import sanitize_line, sanitize_text

    return SenderProfile(
        name=sanitize_line(settings.sender_name[:120]),
        company=sanitize_line(settings.sender_company[:200]),
        offer=sanitize_text(settings.sender_offer[:2000]).strip(),
        writing_sample=sanitize_text(settings.sender_sample[:4000]).strip(),
        signature=sanitize_text(settings.sender_signature[:500]).strip(),
    )


def database_url(settings: Settings, paths: Paths, override: str | None = None) -> tuple[str, bool]:
    """The URL to open, and whether it is the default file (whose directory we create)."""
    if override:
        return override, False
    if settings.database_url:
        return settings.database_url, False
    return f"sqlite://{paths.default_db}", True
