"""Two runs never overlap on one database; a lock left by a dead run is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from conftest import ROOT

from napaudit.lock import LockHeld, lock_path, run_lock

HOLD = """
import sys, time
from napaudit.lock import run_lock
with run_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


def holder(db) -> subprocess.Popen:
    """Another process holding the lock (it says 'held' once it does)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_run_is_refused_naming_the_lock_file_and_pid(tmp_path):
    db = tmp_path / "n.db"
    proc = holder(db)
    try:
        with pytest.raises(LockHeld) as caught, run_lock(db):
            pass
        assert caught.value.format_message() == (
            f"another napaudit run holds {lock_path(db)} (pid {proc.pid})"
        )
        assert caught.value.exit_code == 4  # the environment, not the input
    finally:
        proc.kill()
        proc.wait()


def test_the_same_process_cannot_hold_it_twice(tmp_path):
    with run_lock(tmp_path / "n.db") as path:
        assert path.read_text().strip() == str(os.getpid())
        with pytest.raises(LockHeld), run_lock(tmp_path / "n.db"):
            pass
    assert not path.exists()
    with run_lock(tmp_path / "n.db"):  # released: free again
        pass


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path):
    db = tmp_path / "n.db"
    proc = holder(db)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert lock_path(db).read_text().strip() == str(proc.pid)  # left behind, stale
    with run_lock(db) as path:
        assert path.read_text().strip() != str(proc.pid)


def test_a_stale_file_with_a_dead_pid_is_taken_over(tmp_path):
    db = tmp_path / "n.db"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    lock_path(db).write_text(f"{dead}\n")
    with run_lock(db) as path:
        assert path.read_text().strip() == str(os.getpid())


def test_two_names_for_one_database_are_one_lock(tmp_path):
    """A symlink (or another relative path) to the same database takes the same lock."""
    db = tmp_path / "real" / "n.db"
    db.parent.mkdir()
    db.touch()
    (tmp_path / "link.db").symlink_to(db)
    proc = holder(tmp_path / "link.db")
    try:
        with pytest.raises(LockHeld), run_lock(db):
            pass
    finally:
        proc.kill()
        proc.wait()


def test_a_database_in_a_folder_not_made_yet(tmp_path):
    db = tmp_path / "clients" / "2026" / "n.db"
    with run_lock(db) as path:
        assert path.parent == db.parent and db.parent.is_dir()
