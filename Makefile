# The two commands of the README: `make run` and `make test`. Everything else is optional.
# Variables: PORT (make run, default 8000), RUN_ARGS (extra run_local options, e.g.
# --no-simulator), PYTEST_ARGS (extra pytest arguments, e.g. "-k lookup -x").

PYTHON := .venv/bin/python
PORT ?= 8000
RUN_ARGS ?=
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help bootstrap run test lint format migrate demo-user lock clean distclean

help:
	@echo "make run        start simulator, Celery worker + beat and the web server (http://127.0.0.1:$(PORT)/)"
	@echo "make test       run the test suite (PYTEST_ARGS='...' for extra pytest arguments)"
	@echo "make lint       ruff (lint + format check) and the import-linter layer contracts"
	@echo "make format     apply ruff's fixes and formatting"
	@echo "make lock       re-resolve uv.lock after editing pyproject.toml"
	@echo "make clean      remove .venv and caches (keeps var/: database, secret key, demo password)"
	@echo "make distclean  clean, and also remove var/"

bootstrap:
	@bash scripts/bootstrap.sh

migrate: bootstrap
	$(PYTHON) manage.py migrate --noinput

demo-user: migrate
	$(PYTHON) manage.py ensure_demo_user

run: demo-user
	$(PYTHON) manage.py run_local --port $(PORT) $(RUN_ARGS)

test: bootstrap
	$(PYTHON) -m pytest $(PYTEST_ARGS)

lint: bootstrap
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format: bootstrap
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

lock: bootstrap
	bash scripts/uv.sh lock
	bash scripts/bootstrap.sh

clean:
	rm -rf .venv .pytest_cache var/staticfiles var/cache
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +

distclean: clean
	rm -rf var
