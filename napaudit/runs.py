"""What every command that writes a run shares: opening the store with errors a user can read,
and scoring a finished run into the store (its scores over time)."""

from __future__ import annotations

from napaudit.auditor.config import ConfigError
from napaudit.auditor.history import History, HistoryError
from napaudit.auditor.schema import StoreError
from napaudit.auditor.store import Store
from napaudit.options import EnvironmentProblem, InputProblem


def open_store(db_path: str) -> Store:
    """The store at `db_path`; a file that cannot be used is exit 2 (not a napaudit database)
    or 4 (read-only, full disk), with one line naming it."""
    try:
        return Store(db_path)
    except StoreError as exc:
        raise (EnvironmentProblem if exc.environment else InputProblem)(str(exc)) from None


def open_history(db_path: str) -> History:
    try:
        return History(db_path)
    except HistoryError as exc:
        raise InputProblem(str(exc)) from None


def score_run(store: Store, run_id: int) -> list[dict]:
    """Each business's score in the run, stored beside it (reports.scores)."""
    from napaudit.reports.config import load_weights
    from napaudit.reports.scores import RunScores

    try:
        board = RunScores(load_weights())
    except ConfigError as exc:
        raise InputProblem(str(exc)) from None
    for business_id, source, outcome, statuses in History(store.db).verdicts(run_id):
        board.add(business_id, source, outcome, statuses)
    rows = board.rows()
    store.save_scores(run_id, rows)
    return rows
