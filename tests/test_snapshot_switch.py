"""One snapshot, switched in one step: a write killed at any instant leaves ``data/`` with either the old snapshot or
the new one, whole (verified against its manifest, accepted by ``check``), never a mix; the next write removes what
the killed one left. Kills are real (``os._exit`` in a forked child at the k-th file-system step: every fsync,
rename, replace, unlink and rmdir of a write), so no ``finally`` clean-up runs.
"""

from __future__ import annotations

import os
import shutil
import time
from functools import cache

import pytest

from indicators import cli
from indicators.snapshot import Snapshot, compute_group_aggregates, current_dir, read_snapshot, write_snapshot
from indicators.snapshot_layout import MANIFEST, POINTER, SNAPSHOTS, LayoutError, remove_leftovers
from tests.support.snapshot_files import current_files, tree_bytes
from tests.test_refresh import old_snapshot

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork to kill a write midway")

#: the file-system calls a write makes that a kill can fall between
STEPS = ("fsync", "rename", "replace", "unlink", "rmdir")


@cache
def old_snap() -> Snapshot:
    """``old_snapshot()`` with its group aggregates computed once (each write would compute them again)."""
    snap = old_snapshot()
    snap.group_aggregates = compute_group_aggregates(snap)
    return snap


@cache
def new_snapshot() -> Snapshot:
    snap = old_snapshot()
    snap.tidy.loc[snap.tidy["iso3"] == "NPL", "value"] += 1.0
    snap.provenance = {**snap.provenance, "built": "2026-01-01"}
    snap.group_aggregates = compute_group_aggregates(snap)
    return snap


def write_in_child(data_dir, kill_at: int | None) -> int:
    """Fork; the child writes ``new_snapshot()`` into ``data_dir`` and is killed (``os._exit(9)``) at file-system
    step ``kill_at`` (None: not killed). Returns the child's exit status, or the number of steps when not killed."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.close(read_fd)
            count = [0]

            def counting(fn):
                def step(*args, **kw):
                    count[0] += 1
                    if count[0] == kill_at:
                        os._exit(9)
                    return fn(*args, **kw)

                return step

            for name in STEPS:
                setattr(os, name, counting(getattr(os, name)))
            write_snapshot(new_snapshot(), data_dir)
            os.write(write_fd, str(count[0]).encode())
            os._exit(0)
        finally:
            os._exit(1)
    os.close(write_fd)
    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the child write hung")
        time.sleep(0.01)
    with os.fdopen(read_fd) as fh:
        steps = fh.read()
    code = os.waitstatus_to_exitcode(status)
    return int(steps) if kill_at is None and code == 0 else code


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The data folder before the write (a pristine copy), the current files of the old and the new snapshot, and
    the number of file-system steps a write takes."""
    root = tmp_path_factory.mktemp("switch")
    pristine = root / "pristine"
    write_snapshot(old_snap(), pristine)
    reference = root / "reference"
    shutil.copytree(pristine, reference)
    steps = write_in_child(reference, None)
    assert steps > 10, steps
    return pristine, current_files(pristine), current_files(reference), steps


def test_a_write_takes_these_steps(states):
    _, old, new, steps = states
    assert old["tidy.parquet"] != new["tidy.parquet"]
    assert steps > 20  # every file fsync'd, the rename, the pointer, the old snapshot removed


@pytest.mark.slow  # a child process killed at every step of a write
def test_a_kill_at_any_step_leaves_the_old_snapshot_or_the_new_one_whole(states, tmp_path, capsys):
    pristine, old, new, steps = states
    seen = []
    for k in range(1, steps + 1):
        data = tmp_path / f"kill-{k}"
        shutil.copytree(pristine, data)
        assert write_in_child(data, k) == 9, f"step {k}: the child was not killed"
        read_snapshot(data)  # verified against its manifest
        now = current_files(data)
        assert now in (old, new), f"killed at step {k}: the current snapshot is neither the old nor the new one"
        seen.append("new" if now == new else "old")
        assert cli.main(["--data", str(data), "check"]) == 0, f"killed at step {k}: check refused it"
        # the next write removes whatever the killed one left, and is the only snapshot there
        folder = write_snapshot(old_snap(), data)
        assert sorted(p.name for p in data.iterdir()) == [POINTER, SNAPSHOTS]
        assert [p.name for p in (data / SNAPSHOTS).iterdir()] == [folder.name]
        assert current_files(data) == old
    capsys.readouterr()
    # old until the pointer is replaced, new from then on: one switch, no third state
    assert seen[0] == "old" and seen[-1] == "new"
    assert seen == sorted(seen, key=["old", "new"].index)


def test_a_kill_before_the_switch_leaves_data_byte_identical_apart_from_leftovers(states, tmp_path):
    pristine, old, _new, steps = states
    data = tmp_path / "data"
    shutil.copytree(pristine, data)
    before = tree_bytes(data)
    assert write_in_child(data, 3) == 9
    after = tree_bytes(data)
    assert {k: v for k, v in after.items() if k in before} == before
    assert all("/.staging-" in k for k in set(after) - set(before))  # only the killed write's staging
    remove_leftovers(data)
    assert tree_bytes(data) == before


def test_a_pointer_to_nothing_is_refused(tmp_path):
    write_snapshot(old_snap(), tmp_path)
    (tmp_path / POINTER).write_text("../elsewhere\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="not a snapshot directory name"):
        current_dir(tmp_path)
    (tmp_path / POINTER).write_text("20990101T000000Z-gone\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="does not exist"):
        read_snapshot(tmp_path)


def test_files_from_another_write_are_refused(tmp_path):
    """tidy.parquet new, group aggregates and provenance old: the manifest says so, and the reader refuses it."""
    old_dir = write_snapshot(old_snap(), tmp_path / "a")
    new_dir = write_snapshot(new_snapshot(), tmp_path / "b")
    shutil.copy(new_dir / "tidy.parquet", old_dir / "tidy.parquet")
    with pytest.raises(LayoutError, match="tidy.parquet does not match its manifest.json"):
        read_snapshot(tmp_path / "a")
    shutil.copy(new_dir / MANIFEST, old_dir / MANIFEST)  # a manifest from the other write names other files
    with pytest.raises(LayoutError, match="does not match its manifest.json"):
        read_snapshot(tmp_path / "a")


def test_a_file_the_manifest_does_not_list_is_refused(tmp_path):
    folder = write_snapshot(old_snap(), tmp_path)
    (folder / "stray.csv").write_text("a\n", encoding="utf-8")
    with pytest.raises(LayoutError, match=r"holds \['stray.csv'\], which its manifest.json does not list"):
        read_snapshot(tmp_path)


def test_leftover_staging_of_the_old_flat_layout_is_removed(tmp_path):
    (tmp_path / ".staging-abc").mkdir(parents=True)
    (tmp_path / ".staging-abc" / "tidy.parquet").write_bytes(b"half")
    write_snapshot(old_snap(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [POINTER, SNAPSHOTS]


def test_check_recomputes_the_aggregates_on_request(tmp_path, capsys):
    """The manifest binds the aggregates to the tidy file written with them; ``check --recompute-aggregates`` also
    proves they are that frame's aggregates (here a caller handed in aggregates that say one member fewer)."""
    write_snapshot(old_snap(), tmp_path / "good")
    assert cli.main(["--data", str(tmp_path / "good"), "check", "--recompute-aggregates"]) == 0
    assert "rows equal a fresh computation on this tidy frame" in capsys.readouterr().err
    wrong = old_snapshot()
    wrong.group_aggregates = old_snap().group_aggregates.assign(n_members=lambda f: f["n_members"] - 1)
    write_snapshot(wrong, tmp_path / "bad")
    assert cli.main(["--data", str(tmp_path / "bad"), "check"]) == 0  # the files match their manifest
    capsys.readouterr()
    assert cli.main(["--data", str(tmp_path / "bad"), "check", "--recompute-aggregates"]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("error: snapshot in ") and "is not the aggregates of this tidy.parquet" in err


def test_the_flat_layout_is_replaced_by_the_first_versioned_write(tmp_path):
    """A checkout with the files of the old flat layout in data/: the first write makes a versioned snapshot current
    and removes them (they were the previous snapshot)."""
    flat = write_snapshot(old_snap(), tmp_path / "elsewhere")
    for path in flat.iterdir():
        if path.name not in (MANIFEST, "breaks.csv"):  # the flat layout predates breaks.csv
            shutil.copy(path, tmp_path / path.name)
    folder = write_snapshot(old_snap(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([POINTER, SNAPSHOTS, "elsewhere"])
    assert current_dir(tmp_path) == folder
