"""napaudit.toml: which file is read (the README's precedence), what it may hold, and the warning
for secrets others can read."""

from __future__ import annotations

import os

import pytest
from napaudit.auditor import config
from napaudit.auditor.catalog import load_catalog
from napaudit.auditor.config import ConfigError, api_key, load_config

from napaudit.cli import cli


@pytest.fixture
def places(tmp_path, monkeypatch):
    """A working folder, a user config folder and an env file, each with its own weight for yelp."""
    work, home = tmp_path / "work", tmp_path / "home"
    (home / "napaudit").mkdir(parents=True)
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.delenv("NAPAUDIT_CONFIG", raising=False)
    config.use(None)
    files = {
        "user": home / "napaudit" / "napaudit.toml",
        "cwd": work / "napaudit.toml",
        "env": tmp_path / "env.toml",
        "option": tmp_path / "option.toml",
    }
    for n, (name, path) in enumerate(files.items(), 1):
        path.write_text(f"# {name}\n[sources]\nyelp = {n}\n", encoding="utf-8")
    yield files
    config.use(None)


def test_precedence_option_then_environment_then_working_folder_then_user_folder(
    places, monkeypatch
):
    config.use(places["option"])
    monkeypatch.setenv("NAPAUDIT_CONFIG", str(places["env"]))
    assert load_config().sources == {"yelp": 4.0}
    config.use(None)
    assert load_config().sources == {"yelp": 3.0}
    monkeypatch.delenv("NAPAUDIT_CONFIG")
    assert load_config().sources == {"yelp": 2.0}
    places["cwd"].unlink()
    assert load_config().sources == {"yelp": 1.0}
    places["user"].unlink()
    assert load_config() == config.Config()


def test_the_option_reaches_every_command(places, runner, tmp_path):
    """`napaudit report --config` and the default file give different weights in the report."""
    places["option"].write_text("[severity]\nhigh = 9\n", encoding="utf-8")
    assert runner.invoke(cli, ["sources", "--config", str(places["option"])]).exit_code == 0
    assert config.load_config().severity["high"] == 9.0
    missing = runner.invoke(cli, ["sources", "--config", str(tmp_path / "none.toml")])
    assert missing.exit_code == 2
    assert "none.toml: no such file" in missing.output


def test_a_named_file_must_exist_a_default_one_may_not(places, monkeypatch, tmp_path):
    monkeypatch.setenv("NAPAUDIT_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(ConfigError, match="gone.toml: no such file"):
        load_config()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[source]\nyelp = 3\n", "line 1: 'source' is not a config table"),
        ("[sources]\nyelp = 0\n", "line 2: [sources] yelp: must be a number above 0"),
        ("[severity]\nurgent = 3\n", "line 2: [severity] urgent: not a severity"),
        ("[keys]\ngoogle = 12\n", "line 2: [keys] google: must be a string"),
        ("[smtp]\nhostname = 'x'\n", "line 2: [smtp] hostname: not a setting"),
        ("[branding]\naccent = 'blue'\n", "line 2: [branding] accent: 'blue' is not a colour"),
        ("[branding]\nlogo = 'nope.png'\n", "line 2: [branding] logo: no such file"),
        ("[sources\n", "not valid TOML"),
    ],
)
def test_mistakes_name_the_file_line_and_setting(tmp_path, text, message):
    path = tmp_path / "napaudit.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_branding_logo_is_read_beside_the_file(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n")
    path = tmp_path / "napaudit.toml"
    path.write_text("[branding]\nname = 'Acme'\nlogo = 'logo.png'\n", encoding="utf-8")
    branding = load_config(path).branding
    assert branding.name == "Acme" and branding.logo == (tmp_path / "logo.png").resolve()


def test_keys_come_from_the_environment_first_then_the_file(tmp_path, monkeypatch):
    google = load_catalog()["google"]
    path = tmp_path / "napaudit.toml"
    path.write_text('[keys]\ngoogle = "from-file"\n', encoding="utf-8")
    os.chmod(path, 0o600)
    monkeypatch.delenv(google.key_env, raising=False)
    assert api_key("google", google.key_env, load_config(path)) == "from-file"
    monkeypatch.setenv(google.key_env, "from-env")
    assert api_key("google", google.key_env, load_config(path)) == "from-env"
    assert api_key("bbb", "", load_config(path)) == ""  # a source without an API has no key


def test_secrets_others_can_read_draw_a_warning(tmp_path, runner):
    path = tmp_path / "napaudit.toml"
    path.write_text('[keys]\ngoogle = "sk-4242"\n', encoding="utf-8")
    os.chmod(path, 0o644)
    assert "other users can read it (run: chmod 600" in load_config(path).warnings[0]
    shown = runner.invoke(cli, ["sources", "--config", str(path)])
    assert "warning:" in shown.output and "sk-4242" not in shown.output
    os.chmod(path, 0o600)
    assert load_config(path).warnings == ()
    path.write_text("[sources]\nyelp = 3\n", encoding="utf-8")
    os.chmod(path, 0o644)
    assert load_config(path).warnings == ()  # nothing secret in it
