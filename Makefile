# Glas: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install vendor messages migrate demo lint typecheck pytest lock check-deploy clean

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Glas needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) vendor messages

# Third-party browser files come from their npm packages (pinned in package-lock.json).
vendor: node_modules/.package-lock.json
	mkdir -p glas/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js glas/static/vendor/htmx.min.js
	cp node_modules/axe-core/axe.min.js glas/static/vendor/axe.min.js

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Glas needs npm (Node.js) to fetch htmx and axe-core"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "Glas needs GNU gettext (apt-get install gettext) to compile translations"; exit 1; }
	cd glas && env -u DJANGO_SETTINGS_MODULE ../$(BIN)/django-admin compilemessages -v0

migrate: install
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --no-input -v0
	DEBUG=1 $(BIN)/python manage.py createcachetable

demo: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

# Web server, task worker and the periodic-jobs loop; Ctrl-C stops all three.
run: demo
	@echo "Glas is starting on http://127.0.0.1:8000 (Ctrl-C to stop)"
	trap 'kill 0' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py db_worker --queue-name '*' --no-reload & \
	DEBUG=1 $(BIN)/python manage.py run_periodic --loop & \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000 --noreload

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check glas tests scripts conftest.py

typecheck: $(STAMP)
	$(BIN)/mypy glas

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: install lint typecheck
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=glas.test_settings -v0
	$(BIN)/pytest $(PYTEST_ARGS)

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) EGN_HASH_KEY=check ALLOWED_HOSTS=glas.example.org \
	EMAIL_URL=smtp://mail.example.org:587?tls=1 GLAS_SITE_URL=https://glas.example.org \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) node_modules glas/static/vendor var
