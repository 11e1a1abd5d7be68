# prevplan's everyday commands (CONTRIBUTING.md):
#   make run    start the app on the embedded default (SQLite, sample data loaded); installs
#               only what running needs (no browser, no PostgreSQL, no test tools)
#   make check  the fast loop, under a minute: lint, import layers, types, unit tests
#               (no browser, no PostgreSQL)
#   make test   every check CI runs, on a fresh machine too: installs the test tools and system
#               packages, then lint, layers, types, the whole suite on Python 3.11 (browser and
#               PostgreSQL included), and the non-browser suite on Python 3.12 and 3.13
#   make bench  the benchmarks, each figure against its budget
.PHONY: uv install-run install run lint imports typecheck check pytest pythons test bench clean

UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
# uv cannot download interpreters here: it uses the Pythons on the machine (pyenv's).
export UV_PYTHON_DOWNLOADS ?= never
# This machine's environment sets PYTHONDONTWRITEBYTECODE=1: every Python process (each test
# run, CLI call, app server) then compiled every module it imported from source again —
# 18 s of the 24 s it took pytest to collect the fast tests. Bytecode caches are written
# (git ignores them) and read.
unexport PYTHONDONTWRITEBYTECODE
PORT ?= 8501
# Python versions tested beside the main one (3.11, in .venv); see scripts/test-pythons.sh.
PYTHONS ?= 3.12 3.13
PATHS = src tests benchmarks app_pages streamlit_app.py scripts sample_data
TYPED = src app_pages streamlit_app.py tests

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet uv >/tmp/prevplan-uv-install.log 2>&1 || \
		(cat /tmp/prevplan-uv-install.log; exit 1)

# What running needs: the locked runtime packages (a developer's test tools are left alone).
install-run: uv
	@$(UV) sync --frozen --inexact --quiet
	@bash scripts/install-system-deps.sh run

# What testing needs on top: the dev extra, Chromium, poppler, PostgreSQL.
install: uv
	@$(UV) sync --frozen --extra dev --quiet
	@bash scripts/install-system-deps.sh test

run: install-run
	$(UV) run --frozen streamlit run streamlit_app.py --server.port $(PORT)

lint:
	$(UV) run --frozen ruff check $(PATHS)
	$(UV) run --frozen ruff format --check $(PATHS)

imports:
	$(UV) run --frozen lint-imports --no-cache

typecheck:
	$(UV) run --frozen mypy --strict $(TYPED)

check: lint imports typecheck
	$(UV) run --frozen pytest -q -m "not browser and not postgres and not slow" -p no:cacheprovider

pytest:
	@start=$$(date +%s); $(UV) run --frozen pytest; status=$$?; \
		echo "== Python 3.11: whole suite in $$(( $$(date +%s) - start )) s"; exit $$status

pythons:
	@bash scripts/test-pythons.sh $(PYTHONS)

test: install lint imports typecheck pytest pythons

bench: install
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(UV) run --frozen python $$f || exit 1; done

clean:
	rm -rf .venv .venv-py* .pytest_cache .mypy_cache .ruff_cache .import_linter_cache artifacts
