"""One run at a time per database: a lock file beside it (`<db>.lock`) holding the runner's pid.

The lock is an fcntl flock, which the kernel drops when its holder dies, however it dies: a
lock file left by a dead process is stale and is simply taken over. The pid in the file is only
there to say who holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from napaudit.options import EnvironmentProblem


class LockHeld(EnvironmentProblem):
    """Another napaudit run uses this database (exit code 4)."""


def lock_path(db_path: str | Path) -> Path:
    """The lock of the database file itself: two names (a symlink, a relative path) for one
    database are one lock."""
    return Path(f"{Path(db_path).resolve()}.lock")


@contextlib.contextmanager
def run_lock(db_path: str | Path) -> Iterator[Path]:
    """Hold the database's lock for the block; raise LockHeld at once if another run has it."""
    path = lock_path(db_path)
    try:  # a database in a folder not made yet: make it, as the database itself will be
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(
            f"{path.parent}: cannot create the folder ({exc.strerror})"
        ) from None
    fd = _acquire(path)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield path
    finally:
        # Unlink while still holding the lock: a run that opened the old file then sees, after
        # its own flock, that the path is gone or is a new file, and tries again (_acquire).
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        os.close(fd)


def _acquire(path: Path) -> int:
    for _ in range(10):  # only another run's unlink between our open and flock makes it loop
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _pid(fd)
            os.close(fd)
            holder = f" (pid {pid})" if pid else ""
            raise LockHeld(f"another napaudit run holds {path}{holder}") from None
        except BaseException:
            os.close(fd)
            raise
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)
    raise LockHeld(f"{path} keeps changing: another napaudit run is starting or ending")


def _pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
