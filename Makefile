# horizonscan: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint bench clean browser lock smoke backtest evaluate readme

# The pinned versions of requirements.lock first, then the project itself without resolving again.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Re-pin every dependency (runtime and dev) after editing pyproject.toml.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --extra dev --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

# What a user without make does: a plain `pip install .` into a fresh venv, then the demo without Prefect
# (run from the checkout, where lexicon/ and data/demo/ are found).
SMOKE := build/smoke
smoke:
	rm -rf $(SMOKE) && $(PYTHON) -m venv $(SMOKE)/venv
	$(SMOKE)/venv/bin/python -m pip install --quiet --upgrade pip
	$(SMOKE)/venv/bin/python -m pip install --quiet .
	$(SMOKE)/venv/bin/scanner --db $(SMOKE)/demo.db demo --no-prefect 2> $(SMOKE)/stderr.txt
	! grep -n Traceback $(SMOKE)/stderr.txt

install: $(STAMP)

# The horizon backtest on the real replay corpus (data/replay/) against data/outcomes.tsv: writes
# data/backtest/report.md (included in the README), index.html and the charts.
backtest: $(STAMP)
	rm -f data/replay.db data/replay.db-wal data/replay.db-shm
	$(BIN)/scanner --db data/replay.db ingest data/replay/replay.jsonl
	$(BIN)/scanner --db data/replay.db classify
	$(BIN)/scanner --db data/replay.db backtest --outcomes data/outcomes.tsv --to 2026-10 --out data/backtest \
		--tune silence_weight=0.5,0.75,1 --tune silence_volume_shrinkage=0.1,1 --tune half_life_months=12,24 \
		--tune prior_wrong_sd=0,8 \
		--tune-before 2026-10 --vary hysteresis=0.1,0.25,0.4 --vary change_min_sources=1,2,3

# The shipped tagger end to end on the real-text test split: writes data/annotations/real/report.md.
evaluate: $(STAMP)
	$(BIN)/scanner train --eval

# Static checks, configured in pyproject.toml: ruff ([tool.ruff]), mypy ([tool.mypy]) and the import layers
# (lint-imports, [tool.importlinter]); CI runs them before the tests.
lint: $(STAMP)
	$(BIN)/ruff check scanner flows tests data docs
	$(BIN)/mypy
	$(BIN)/lint-imports

# Copy the generated reports into README.md (tests/test_readme_reports.py checks they agree).
readme:
	$(PYTHON) docs/sync_readme.py

demo: $(STAMP)
	$(BIN)/scanner --db data/demo.db demo

test: $(STAMP)
	$(BIN)/scanner lexicon check
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/scanner bench tag
	$(BIN)/scanner bench classify
	$(BIN)/scanner bench harvest
	$(BIN)/scanner bench signals
	$(BIN)/scanner bench digest
	$(BIN)/scanner bench flows
	$(BIN)/scanner bench ui
	$(BIN)/scanner bench official

# Debian's Chromium for the end-to-end browser test (tests skip it with a message where it is missing).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

clean:
	rm -rf $(VENV) data/demo.db* data/digests build *.egg-info
