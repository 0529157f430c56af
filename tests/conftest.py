"""Shared fixtures: where the third-party real data lives, and a CLI runner."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings
from napaudit.auditor import config
from napaudit.auditor.normalize.place import CACHE_ENV

ROOT = Path(__file__).resolve().parent.parent
# ../shared/realdata beside the project, or wherever NAPAUDIT_REALDATA points.
REALDATA = Path(os.environ.get("NAPAUDIT_REALDATA") or ROOT.parent / "shared" / "realdata")

# The same examples on every run, so that CI never fails by chance; HYPOTHESIS_PROFILE=explore
# draws new ones (and more of them) to look for new counterexamples.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def realdata(*parts: str) -> Path:
    """A path under ../shared/realdata, or skip the test when that data is not here."""
    path = REALDATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not present: {path} (see ../shared/realdata/README.md)")
    return path


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory):
    """napaudit's cache folder (the ZIP table) for this session's commands, not the user's."""
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def no_config_option_left_over():
    """A command run in-process remembers its --config (one command a process in real use)."""
    yield
    config.use(None)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write(tmp_path):
    """write("name.csv", text) -> path of a file in a fresh folder."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write


def ctrl_c(process, web, hits: int) -> None:
    """Press Ctrl-C on a running `napaudit` once the sample web has answered `hits` more
    requests, and check what the user sees: exit 130, and a last line saying how to go on."""
    start = len(web.hits)
    while process.poll() is None and len(web.hits) - start < hits:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    said = process.stderr.readlines()
    assert process.wait(timeout=120) == 130, "".join(said)[-3000:]
    assert "continue it with --resume" in said[-1]
