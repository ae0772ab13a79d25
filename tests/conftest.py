import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_LANDING = ROOT / "tests" / "fixtures" / "landing"


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest():
    """Dagster loads the dbt manifest at import. `make test` keeps it current; a bare
    pytest after editing a model would otherwise run against a stale one."""
    manifest = ROOT / "dbt_project" / "target" / "manifest.json"
    sources = [p for d in ("models", "macros", "seeds", "tests") for p in (ROOT / "dbt_project" / d).rglob("*") if p.is_file()]
    with FileLock(str(manifest.parent.parent / ".manifest.lock")):  # pytest-xdist workers
        if not manifest.exists() or max(p.stat().st_mtime for p in sources) > manifest.stat().st_mtime:
            subprocess.run([str(Path(sys.executable).parent / "dbt"), "parse", "--profiles-dir", ".", "--quiet"],
                           cwd=ROOT / "dbt_project", check=True)
    return manifest


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An empty project data directory; every pipeline path derives from CR_DATA_DIR."""
    d = tmp_path / "data"
    (d / "landing").mkdir(parents=True)
    monkeypatch.setenv("CR_DATA_DIR", str(d))
    return d


@pytest.fixture
def fixture_data_dir(data_dir):
    shutil.copytree(FIXTURE_LANDING, data_dir / "landing", dirs_exist_ok=True)
    return data_dir
