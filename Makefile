# Every target installs what it needs into .venv first, so each README
# command works on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast test-gpu lint docs docs-ci clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# The CPU build first: a bare "torch" could pull a multi-GB CUDA build.
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[test,docs,plotting]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m sklstm

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Tests run in parallel (pytest-xdist, one worker per core). `make test` is
# what CI runs: lint, the fast tests, then the tests marked slow. gpu tests
# are left to `make test-gpu`. Exit code 5 (no test selected) is not a
# failure of the slow pass. `make test-fast` is the loop while editing.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadgroup

test: test-fast
	$(PYTEST) -m "slow and not gpu" || [ $$? -eq 5 ]

test-fast: lint
	$(PYTEST) -m "not slow and not gpu"

# The whole CUDA surface (tests marked gpu; skipped without a GPU). Run it on
# a GPU machine; CUBLAS_WORKSPACE_CONFIG must be set before CUDA starts for
# the deterministic tests. Install a CUDA build of torch in .venv first.
test-gpu: $(STAMP)
	@$(BIN)/python -c "import sys, torch; torch.cuda.is_available() or sys.exit( \
		f'make test-gpu: PyTorch {torch.__version__} finds no CUDA device; nothing to test')"
	CUBLAS_WORKSPACE_CONFIG=:4096:8 $(BIN)/python -m pytest -m gpu -v -rs

# The gallery examples run during the build; docs-ci gives them small budgets
# (SKLSTM_DOCS_FAST=1) and skips intersphinx downloads (CI has no network).
docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

docs-ci: $(STAMP)
	SKLSTM_DOCS_FAST=1 SKLSTM_DOCS_INTERSPHINX=0 MPLBACKEND=Agg \
		$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

clean:
	rm -rf $(VENV) docs/_build docs/auto_examples docs/gen_modules docs/generated
