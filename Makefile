# `make run`: set up .venv and start briefbot on the default article.
# `make test`: set up .venv, then format check, lint, types and the whole test suite.
# The project is installed as a regular (non-editable) package and the tests import it from
# there, so whatever works in the tests works from an installed package, not just a checkout.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check setup install clean

run: install
	$(BIN)/briefbot chat

test: install check
	$(BIN)/pytest -q

install: $(STAMP)
	$(BIN)/pip install -q --no-deps --force-reinstall .

check: $(STAMP)
	$(BIN)/ruff format --check bot index prompts tests
	$(BIN)/ruff check bot index prompts tests
	$(BIN)/mypy bot index

setup: $(STAMP)

# torch goes first and pinned: the CPU wheel on disk; an unpinned torch would pull CUDA.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q ".[test]"
	touch $(STAMP)

clean:
	rm -rf $(VENV)
