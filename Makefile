# horizonscan: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint bench clean browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

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

# Debian's Chromium for the end-to-end browser test (tests skip it with a message where it is missing).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

clean:
	rm -rf $(VENV) data/demo.db* data/digests build *.egg-info
