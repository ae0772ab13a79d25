"""The landing sensor with a temporary landing folder: new, changed, unchanged,
half-written and removed files, through the real sensor and Dagster's test context."""

import json
import os

import pytest
from dagster import DagsterInstance, build_sensor_context

from orchestration.ingest.watch import scan


def tick(landing, cursor):
    changed, state = scan(landing, json.loads(cursor) if cursor else {})
    return changed, json.dumps(state)


def write(path, text, mtime_ns=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime_ns:
        os.utime(path, ns=(mtime_ns, mtime_ns))


def test_new_file_is_reported_once_it_has_settled(tmp_path):
    write(tmp_path / "durham" / "a.csv", "Offence,Count\nTheft,1\n")
    changed, cursor = tick(tmp_path, None)
    assert changed == set()                      # just dropped: wait one interval
    changed, cursor = tick(tmp_path, cursor)
    assert changed == {"durham"}
    changed, cursor = tick(tmp_path, cursor)
    assert changed == set()                      # unchanged: nothing


def test_half_written_file_waits_until_its_size_stops_changing(tmp_path):
    f = tmp_path / "kent" / "big.csv"
    write(f, "Offence,Count\n", mtime_ns=1_000_000_000)
    _, cursor = tick(tmp_path, None)
    write(f, "Offence,Count\nTheft,1\n", mtime_ns=2_000_000_000)   # still growing
    changed, cursor = tick(tmp_path, cursor)
    assert changed == set()
    changed, cursor = tick(tmp_path, cursor)
    assert changed == {"kent"}


def test_changed_content_is_reported_and_a_touch_is_not(tmp_path):
    f = tmp_path / "essex" / "r.csv"
    write(f, "Offence,Count\nTheft,1\n", mtime_ns=1_000_000_000)
    _, cursor = tick(tmp_path, None)
    _, cursor = tick(tmp_path, cursor)
    os.utime(f, ns=(5_000_000_000, 5_000_000_000))               # touched, same bytes
    assert tick(tmp_path, cursor)[0] == set()
    changed, cursor = tick(tmp_path, tick(tmp_path, cursor)[1])
    assert changed == set()
    write(f, "Offence,Count\nTheft,2\n", mtime_ns=9_000_000_000)  # corrected return
    _, cursor = tick(tmp_path, cursor)
    changed, cursor = tick(tmp_path, cursor)
    assert changed == {"essex"}


def test_removed_file_is_reported_for_its_force(tmp_path):
    f = tmp_path / "dorset" / "r.csv"
    write(f, "x")
    _, cursor = tick(tmp_path, None)
    _, cursor = tick(tmp_path, cursor)
    f.unlink()
    changed, cursor = tick(tmp_path, cursor)
    assert changed == {"dorset"}
    assert tick(tmp_path, cursor)[0] == set()


def test_hidden_files_are_not_returns(tmp_path):
    write(tmp_path / "durham" / ".~lock.a.csv#", "lock")
    _, cursor = tick(tmp_path, None)
    assert tick(tmp_path, cursor)[0] == set()


def test_an_edited_profile_reads_its_force_again(tmp_path):
    """An approval or a column role added to a return profile must reach the reading."""
    write(tmp_path / "durham" / "a.csv", "Offence,Count\nTheft,3\n")
    write(tmp_path / "durham" / "a.csv.profile.yaml", "header_row: 1\n")
    _, cursor = tick(tmp_path, None)
    changed, cursor = tick(tmp_path, cursor)
    assert changed == {"durham"}
    write(tmp_path / "durham" / "a.csv.profile.yaml", "header_row: 1\napproved: 0123456789ab\n")
    _, cursor = tick(tmp_path, cursor)  # changed since the last look: not settled yet
    assert tick(tmp_path, cursor)[0] == {"durham"}


@pytest.fixture
def sensor_env(data_dir):
    from orchestration.definitions import defs

    return defs, DagsterInstance.ephemeral(), data_dir / "landing"


def test_sensor_requests_one_run_per_changed_force_and_adds_partitions(sensor_env):
    defs, instance, landing = sensor_env
    sensor = defs.resolve_sensor_def("landing_sensor")
    write(landing / "durham" / "a.csv", "Offence,Count\nTheft,1\n")
    write(landing / "kent" / "b.csv", "Offence,Count\nTheft,1\n")
    first = sensor(build_sensor_context(instance=instance, definitions=defs))
    assert first.run_requests == []
    second = sensor(build_sensor_context(instance=instance, cursor=first.cursor, definitions=defs))
    assert sorted(r.partition_key for r in second.run_requests) == ["durham", "kent"]
    (add,) = second.dynamic_partitions_requests
    assert (add.partitions_def_name, sorted(add.partition_keys)) == ("force", ["durham", "kent"])
    # the cursor is all the sensor needs: a restart (new context, same cursor) sees no change
    third = sensor(build_sensor_context(instance=instance, cursor=second.cursor, definitions=defs))
    assert third.run_requests == []


def test_weekly_full_refresh_is_off_by_default_and_covers_every_force(sensor_env):
    from dagster import DefaultScheduleStatus, build_schedule_context, instance_for_test

    defs, _, _ = sensor_env
    schedule = defs.resolve_schedule_def("weekly_full_refresh")
    assert schedule.default_status == DefaultScheduleStatus.STOPPED
    assert schedule.cron_schedule == "0 3 * * 1"
    with instance_for_test() as instance:
        assert schedule.evaluate_tick(build_schedule_context(instance=instance)).skip_message
        instance.add_dynamic_partitions("force", ["derbyshire", "durham", "kent"])
        request = schedule.evaluate_tick(build_schedule_context(instance=instance)).run_requests[0]
    assert request.tags["dagster/asset_partition_range_start"] == "derbyshire"
    assert request.tags["dagster/asset_partition_range_end"] == "kent"
