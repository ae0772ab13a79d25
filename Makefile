# Two commands for a fresh clone (Python 3.11 and the package registries are all it needs):
#   make run    install, load data/landing/ through the whole pipeline, print the summary
#   make test   install, run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/dagster_home
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Returns to load: data/landing/ once anything has been dropped there, until then the
# shipped synthetic sample. `make run LANDING=path` chooses.
LANDING ?= $(if $(shell find data/landing -mindepth 2 -type f ! -name '.*' 2>/dev/null | head -n 1),data/landing,data/sample/landing)

DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/seeds dbt_project/tests -type f) dbt_project/dbt_project.yml
MANIFEST := dbt_project/target/manifest.json

.PHONY: setup run test dev lock clean

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

# Dagster reads the dbt manifest when it loads the code location; build it once here
# so loading never runs dbt.
$(MANIFEST): $(VENV)/.installed $(DBT_SOURCES)
	cd dbt_project && ../$(BIN)/dbt parse --profiles-dir . --quiet
	touch $@

setup: $(VENV)/.installed $(MANIFEST)

run: setup
	@echo "Loading returns from $(LANDING)/"
	CR_LANDING_DIR=$(LANDING) $(BIN)/python -m orchestration.run

# Two workers for two cores; a test file's tests stay together (module fixtures run the
# pipeline once per file).
test: setup
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# The Dagster UI on http://127.0.0.1:3000 with run history kept in dagster_home/. The
# venv's bin/ goes first on PATH: dagster dev re-parses the dbt project with `dbt`.
dev: setup
	CR_LANDING_DIR=$(LANDING) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

# Re-pin every dependency from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra test --python-version 3.11 --python-platform x86_64-manylinux_2_28 --no-header -o requirements.lock

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs data/warehouse data/published
