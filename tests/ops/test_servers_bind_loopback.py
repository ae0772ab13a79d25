import subprocess

from tests.conftest import ROOT


def test_make_dev_binds_the_ui_to_loopback_only():
    command = subprocess.run(["make", "-n", "dev"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    (line,) = [ln for ln in command.splitlines() if "dagster dev" in ln]
    assert "-h 127.0.0.1" in line and "0.0.0.0" not in line
