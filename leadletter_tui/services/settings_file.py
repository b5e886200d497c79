"""Saving settings the user changed in the TUI into config.toml (the file `load_settings`
reads), keeping every other key as it was. Values are validated by `load_settings` itself
before anything is replaced, so a bad value never lands. The read-merge-write holds a lock
on `config.toml.lock` and the file is replaced in one rename (locked_file.py), so two
saves at once both land."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from ..config import ConfigError, Paths, Settings, load_settings
from ..errors import UserError
from ..locked_file import locked, write_atomic


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # A JSON string is a valid TOML basic string (same escapes; control characters as \\uXXXX).
    return json.dumps(str(value), ensure_ascii=False)


def render(values: Mapping[str, object]) -> str:
    lines = ["# LeadLetter settings (written by the app; edit freely)"]
    lines += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def save_settings(paths: Paths, changes: Mapping[str, object],
                  env: Mapping[str, str] | None = None) -> Settings:
    """Merge `changes` into the config file and return the settings as now loaded.

    Raises UserError (one line) for a value the settings refuse or a file that cannot be
    read or written; the file is then unchanged."""
    env = dict(os.environ if env is None else env)
    path = Path(env.get("LEADLETTER_CONFIG") or paths.config_file)
    with locked(path):  # re-read under the lock: a save in another process is kept
        _merge_and_write(path, paths, changes, env)
    return load_settings(paths, env)


def _merge_and_write(path: Path, paths: Paths, changes: Mapping[str, object],
                     env: dict) -> None:
    import tomllib

    current: dict = {}
    if path.exists():
        try:
            current = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UserError(f"cannot read config file {path}: {exc}") from None
    merged = {**current, **{k: v for k, v in changes.items()}}
    text = render(merged)
    try:  # check it loads before it replaces anything
        probe = path.with_name(path.name + ".check")
        probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_text(text, encoding="utf-8")
        try:
            load_settings(paths, {**env, "LEADLETTER_CONFIG": str(probe)})
        finally:
            probe.unlink(missing_ok=True)
    except ConfigError as exc:
        raise UserError(str(exc).replace(str(probe), "settings")) from None
    except OSError as exc:
        raise UserError(f"cannot write config file {path}: {exc.strerror or exc}") from None
    write_atomic(path, text, ".config-")
