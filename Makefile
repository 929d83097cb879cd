# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
UV = $(PYTHON) -m uv

.PHONY: run test deps lint format messages

run: deps
	$(UV) run kanalvakt serve

test: deps
	@sh scripts/ensure_system_packages.sh
	$(UV) run python scripts/run_tests.py $(ARGS)

deps:
	@$(PYTHON) -c "import uv" 2>/dev/null || $(PYTHON) -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

lint: deps
	$(UV) run ruff check src tests bench scripts
	$(UV) run ruff format --check src tests bench scripts

format: deps
	$(UV) run ruff check --fix src tests bench scripts
	$(UV) run ruff format src tests bench scripts

messages: deps
	cd src/kanalvakt && $(UV) run django-admin makemessages -l sv -l en --settings=kanalvakt.conf.dev
	cd src/kanalvakt && $(UV) run django-admin compilemessages --settings=kanalvakt.conf.dev
