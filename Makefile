# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv on first use and reuse it afterwards.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test test-fast lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The stamps depend on the files that define what gets installed.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -c constraints.txt -e '.[test]'
	@touch $@

install: $(VENV)/.installed

# The main job: train the default model if it is missing, label the seeds,
# write the stance network of seeds + corpus predictions (reports/network/),
# then the cross-validation report (reports/) and the README's headline table.
demo: $(VENV)/.installed
	@test -f models/stance.joblib || $(BIN)/stance train
	$(BIN)/stance predict seeds/ --format table
	@mkdir -p build
	$(BIN)/stance predict seeds/ corpus/ -o build/predictions.jsonl
	$(BIN)/stance network build/predictions.jsonl --out reports/network
	$(BIN)/stance evaluate --cv --folds 5 --out reports
	$(BIN)/python tools/update_readme.py

# The whole suite, slow retraining tests included (CI runs this).
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

# Everything but the tests marked slow (retraining the full default model).
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m "not slow"

# ruff and mypy, both configured in pyproject.toml; zero findings expected.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV)
