# prevplan: `make run` starts the app on the embedded default (SQLite, sample data loaded);
# `make test` runs every check. Both set up a fresh machine first.
.PHONY: install run test lint typecheck pytest bench clean

UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PORT ?= 8501

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet uv >/tmp/prevplan-uv-install.log 2>&1 || \
		(cat /tmp/prevplan-uv-install.log; exit 1)
	@$(UV) sync --frozen --extra dev --quiet
	@bash scripts/install-system-deps.sh

run: install
	$(UV) run streamlit run streamlit_app.py --server.port $(PORT)

lint:
	$(UV) run ruff check src tests benchmarks app_pages streamlit_app.py
	$(UV) run ruff format --check src tests benchmarks app_pages streamlit_app.py

typecheck:
	$(UV) run mypy --strict src

pytest:
	$(UV) run pytest

test: install lint typecheck pytest

bench: install
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(UV) run python $$f || exit 1; done

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache artifacts
