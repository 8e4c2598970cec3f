# `make run`: set up .venv and start the briefbot web app on the default article.
# `make test`: set up .venv, then format check, lint, types and the whole test suite.
# The project is installed as a regular (non-editable) package and the tests import it from
# there, so whatever works in the tests works from an installed package, not just a checkout.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check setup install browser clean

run: install
	$(BIN)/briefbot serve

test: install browser check
	$(BIN)/pytest -q

# The UI tests drive Debian's Chromium (browser downloads do not work offline). Installed
# here when missing and we are root; otherwise the browser tests skip and say why.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: /usr/bin/chromium missing and not root: browser tests will be skipped"; fi

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
