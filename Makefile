# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv on first use and reuse it afterwards.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo reports test test-fast lint install clean

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
# predict seeds + corpus and draw their stance network, then cross-validate.
# Everything it writes goes to build/demo/ (ignored by git), so a fresh clone
# stays clean; the committed model is checked against a retrain by the test
# suite, the committed reports/ (and the README's headline) come from `make reports`.
DEMO := build/demo

demo: $(VENV)/.installed
	@test -f models/stance.joblib || $(BIN)/stance train
	@mkdir -p $(DEMO)
	$(BIN)/stance predict seeds/ --format table -o $(DEMO)/seeds.table.txt
	@head -n 20 $(DEMO)/seeds.table.txt
	$(BIN)/stance predict seeds/ corpus/ --manifest corpus/manifest.csv -o $(DEMO)/predictions.jsonl
	$(BIN)/stance network $(DEMO)/predictions.jsonl --dates corpus/manifest.csv --by year --out $(DEMO)/network
	$(BIN)/stance evaluate --cv --folds 5 --out $(DEMO)/reports
	@echo "wrote $(DEMO)/: seeds.table.txt, predictions.jsonl, network/, reports/ (the committed ones: make reports)"

# Maintainers: regenerate the committed cross-validation reports (reports/: in-conflict,
# grouped by document; reports/transfer/conflict and .../region: leave-one-conflict-out
# and leave-one-region-out), the stance network (reports/network/) and the README's
# headline, then commit.  About an hour on two cores, most of it the 30 conflict folds.
reports: $(VENV)/.installed
	@mkdir -p build
	$(BIN)/stance predict seeds/ corpus/ --manifest corpus/manifest.csv -o build/predictions.jsonl
	$(BIN)/stance network build/predictions.jsonl --dates corpus/manifest.csv --by year --out reports/network
	$(BIN)/stance evaluate --cv --folds 5 --out reports
	$(BIN)/stance evaluate --cv --group-by conflict --out reports/transfer/conflict
	$(BIN)/stance evaluate --cv --group-by region --out reports/transfer/region
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
