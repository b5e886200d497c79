"""Settings saved from the app land in config.toml, keep the other keys, and a bad value
changes nothing."""

from __future__ import annotations

import pytest

from leadletter_tui.config import Paths, load_settings
from leadletter_tui.errors import UserError
from leadletter_tui.services.settings_file import save_settings


@pytest.fixture
def paths(isolated_env):
    return Paths(isolated_env.config_dir, isolated_env.data_dir, isolated_env.log_dir)


def test_saving_merges_into_the_file_and_reloads(paths, isolated_env):
    isolated_env.write_config('mouse = false\n')
    settings = save_settings(paths, {"follow_up_days": 5})
    assert settings.follow_up_days == 5 and settings.mouse is False
    assert load_settings(paths).follow_up_days == 5
    assert (paths.config_file.stat().st_mode & 0o777) == 0o600  # may hold an API key


def test_a_bad_value_is_one_line_and_changes_nothing(paths, isolated_env):
    isolated_env.write_config('follow_up_days = 4\n')
    before = paths.config_file.read_text()
    with pytest.raises(UserError, match="follow_up_days must be a whole number"):
        save_settings(paths, {"follow_up_days": 9999})
    assert paths.config_file.read_text() == before
    # no probe or temporary file left (the lock's sidecar file stays, by design)
    assert sorted(p.name for p in paths.config_dir.iterdir()) == ["config.toml", "config.toml.lock"]


def test_strings_with_quotes_newlines_and_controls_round_trip(paths):
    tricky = 'He said "hi"\\n\nline two \x1b[31m é'
    save_settings(paths, {"now": "2026-11-25T10:00:00"})
    import tomllib

    from leadletter_tui.services.settings_file import render

    assert tomllib.loads(render({"x": tricky}))["x"] == tricky
