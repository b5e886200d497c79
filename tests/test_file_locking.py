"""Processes saving views.json or config.toml at the same time lose nothing (the lock on a
sidecar file, a re-read under it, an atomic replace)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from leadletter_tui.config import Paths, load_settings
from leadletter_tui.services.views import SavedViews

WRITERS = 3
EACH = 100

VIEWS_SCRIPT = """
import sys
from pathlib import Path
from leadletter_tui.services.views import SavedViews
views = SavedViews(Path(sys.argv[1]))
tag = sys.argv[2]
sys.stdin.readline()  # start together
for i in range(int(sys.argv[3])):
    views.save(f"{tag} view {i}", {"domain": f"*{tag}{i}*"})
"""

CONFIG_SCRIPT = """
import sys
from pathlib import Path
from leadletter_tui.config import Paths
from leadletter_tui.services.settings_file import save_settings
paths = Paths(Path(sys.argv[1]), Path(sys.argv[1]), Path(sys.argv[1]))
key = sys.argv[2]
sys.stdin.readline()
for i in range(1, int(sys.argv[3]) + 1):
    save_settings(paths, {key: i})
"""


def _run_together(script: str, argsets: list[list[str]]) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=os.environ)
             for args in argsets]
    for proc in procs:  # every process is started before any of them writes
        proc.stdin.write(b"go\n")
        proc.stdin.flush()
    for proc in procs:
        proc.stdin.close()
        assert proc.wait(timeout=120) == 0, proc.stderr.read().decode()
        proc.stderr.close()


def test_processes_saving_views_at_once_keep_every_view(isolated_env):
    config_dir = isolated_env.config_dir
    _run_together(VIEWS_SCRIPT, [[str(config_dir), f"w{n}", str(EACH)] for n in range(WRITERS)])
    names = {v.name for v in SavedViews(config_dir).load()}
    assert len(names) == WRITERS * EACH
    assert names == {f"w{n} view {i}" for n in range(WRITERS) for i in range(EACH)}
    data = json.loads((config_dir / "views.json").read_text())  # one whole document
    assert len(data["views"]) == WRITERS * EACH
    leftovers = {p.name for p in config_dir.iterdir()} - {"views.json", "views.json.lock"}
    assert leftovers == set()  # no temporary file left behind
    assert (config_dir / "views.json").stat().st_mode & 0o777 == 0o600
    assert (config_dir / "views.json.lock").stat().st_mode & 0o777 == 0o600


def test_processes_saving_settings_at_once_keep_every_key(isolated_env):
    config_dir = isolated_env.config_dir
    keys = ["follow_up_days", "max_follow_ups", "follow_up_concurrency"]
    _run_together(CONFIG_SCRIPT, [[str(config_dir), key, "15"] for key in keys])
    settings = load_settings(Paths(config_dir, config_dir, config_dir))
    assert (settings.follow_up_days, settings.max_follow_ups,
            settings.follow_up_concurrency) == (15, 15, 15)


def test_a_delete_under_the_lock_sees_a_save_made_meanwhile(isolated_env):
    views = SavedViews(isolated_env.config_dir)
    views.save("Keep", {"due": True})
    other = SavedViews(isolated_env.config_dir)  # another process's view of the same file
    other.save("Also keep", {"no_reply": True})
    views.save("Drop", {"domain": "x"})
    views.delete("drop")
    assert [v.name for v in other.load()] == ["Keep", "Also keep"]


@pytest.mark.parametrize("damaged", ["{oops", '{"views": 1}'])
def test_a_damaged_file_is_still_never_overwritten(isolated_env, damaged):
    views = SavedViews(isolated_env.config_dir)
    isolated_env.config_dir.mkdir(parents=True)
    views.path.write_text(damaged)
    with pytest.raises(Exception, match="damaged"):
        views.save("New", {"due": True})
    assert views.path.read_text() == damaged
