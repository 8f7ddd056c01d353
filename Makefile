# The two commands a new user needs: `make demo` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every version, with its hashes, that CI tested; `make install` installs exactly these.
LOCK := requirements.lock
# uv installs the lock in seconds where pip took half a minute. Pinned, so every machine
# resolves and installs alike; bumping the version here reinstalls it.
UV_VERSION := 0.13.9
UV := $(BIN)/uv
UV_STAMP := $(VENV)/.uv-$(UV_VERSION)

.PHONY: install lock forms messages demo demo-server test lint bench serve clean

install: $(STAMP)

# No pip in the venv (ensurepip alone took 5 s): the interpreter's own pip puts uv there.
$(UV_STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet uv==$(UV_VERSION)
	touch $(UV_STAMP)

# sync, not install: a package dropped from the lock leaves the venv too. The project itself
# goes in editable, without deps (they all come from the lock) and built by the lock's setuptools.
$(STAMP): pyproject.toml $(LOCK) $(UV_STAMP)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Run after editing dependencies in pyproject.toml. Pins already in the lock stay unless
# pyproject.toml rules them out (`make lock LOCKFLAGS=--upgrade` moves all to the newest).
# Universal: one file for every platform and Python the project allows. The build backend
# ([build-system] requires) is locked too, for the editable install above.
lock: $(UV_STAMP)
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
		| $(UV) pip compile --quiet --python $(BIN)/python pyproject.toml - --extra test \
			--universal --generate-hashes --custom-compile-command 'make lock' $(LOCKFLAGS) -o $(LOCK)

# The application form templates (schemas/forms/), rebuilt from the contest definitions.
forms: install
	$(BIN)/python -m contestflow.assembly.formtemplates

demo: install
	$(BIN)/python -m demo

# The same bid on the server layout: a Prefect server and the application database on the
# PostgreSQL at 127.0.0.1:5432 (databases of their own, dropped after), two workers.
demo-server: install
	$(BIN)/python -m demo.server

# ruff, then the layers and the absence of import cycles (import-linter, pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

test: lint
	$(BIN)/pytest

bench: install
	@for script in benchmarks/bench_*.py; do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

serve: install
	$(BIN)/contestflow serve

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# The interface's sentences: extract them, merge the Russian catalogue, then translate what
# `make messages` leaves empty (tests/unit/test_catalogue.py fails until every one is).
messages: install
	$(BIN)/pybabel extract -F contestflow/locale/babel.cfg -k tr:2 -k ntr:2,3 -k N_ \
		--no-wrap --sort-by-file --project contestflow -o contestflow/locale/contestflow.pot .
	$(BIN)/pybabel update -i contestflow/locale/contestflow.pot -d contestflow/locale \
		-D contestflow -l ru --no-wrap --no-fuzzy-matching --ignore-obsolete
