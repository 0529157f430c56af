"""The ZIP table kept in the user's cache folder between runs (auditor.normalize.place): read
back, it is exactly what zipcodes gives; a damaged or foreign file is never used, and a folder
that cannot be written costs time, nothing else."""

from __future__ import annotations

import pytest
import zipcodes
from napaudit.auditor.normalize import place

LIST_ALL = zipcodes.list_all


def _from_zipcodes() -> dict:
    return {r["zip_code"]: (r["zip_code"], r["city"], r["state"],
                            tuple(r.get("acceptable_cities") or ()),
                            tuple(r.get("unacceptable_cities") or ()))
            for r in LIST_ALL()}  # fmt: skip


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """The table built again (the process keeps it once built), with the cache in tmp_path;
    `fresh.asked` counts the times zipcodes was read."""
    monkeypatch.setenv(place.CACHE_ENV, str(tmp_path / "cache"))
    asked = []
    monkeypatch.setattr(zipcodes, "list_all", lambda *a: asked.append(1) or LIST_ALL(*a))

    def build() -> dict:
        place._zip_index.cache_clear()
        return {code: tuple(info) for code, info in place._zip_index().items()}

    build.asked = asked
    yield build
    place._zip_index.cache_clear()


def test_the_table_read_back_is_zipcodes_own(fresh, tmp_path):
    expected = _from_zipcodes()
    assert fresh() == expected and len(fresh.asked) == 1
    kept = list((tmp_path / "cache").iterdir())
    assert len(kept) == 1 and kept[0].suffix == ".marshal"
    assert fresh() == expected and len(fresh.asked) == 1  # read from the file, not zipcodes
    assert place.zip_info("90028").acceptable == ("Hollywood",)
    assert place.city_standing("Hollywood", "90028") == ("acceptable", "Los Angeles")


@pytest.mark.parametrize(
    "damage", ["truncated", "a byte changed", "another format", "empty", "others may write it"]
)
def test_a_damaged_file_is_built_again_from_zipcodes(fresh, tmp_path, damage):
    expected = _from_zipcodes()
    fresh()
    (kept,) = (tmp_path / "cache").iterdir()
    data = kept.read_bytes()
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "a byte changed":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]
    elif damage == "another format":
        data = data.replace(b"table 1", b"table 9", 1)
    elif damage == "empty":
        data = b""
    kept.write_bytes(data)
    if damage == "others may write it":  # whole, but anyone could have put it there
        kept.chmod(0o666)
    assert fresh() == expected and len(fresh.asked) == 2
    assert fresh() == expected and len(fresh.asked) == 2  # the file was written again, whole
    assert kept.stat().st_mode & 0o777 == 0o644


def test_a_folder_that_cannot_be_written_still_gives_the_table(fresh, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder would be")
    monkeypatch.setenv(place.CACHE_ENV, str(blocker / "cache"))
    expected = _from_zipcodes()
    assert fresh() == expected and fresh() == expected and len(fresh.asked) == 2
    assert blocker.read_text() == "a file where the folder would be"
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]  # no partial file left
