# Two commands do all the set-up on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# A stamp per installed lock: changing a lock or pyproject.toml reinstalls, nothing else does.
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cat requirements.txt pyproject.toml | sha1sum | cut -c1-12)
DEV_STAMP     := $(VENV)/.dev-$(shell cat requirements-dev.txt pyproject.toml | sha1sum | cut -c1-12)
PIP    := $(BIN)/python -m pip install --disable-pip-version-check -q
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Python files the checks cover.
CHECKED := bot index config tests bench deploy

.PHONY: venv venv-dev system-deps pages pdf-pages train-parser crossval-parser run cluster test lint fmt lock bench clean

venv: $(RUNTIME_STAMP)
venv-dev: $(DEV_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The locks pin every package with its hashes; the project itself is installed editable, for the `bulletin` command.
$(RUNTIME_STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -e .
	rm -f $(VENV)/.runtime-*
	touch $@

$(DEV_STAMP): requirements-dev.txt pyproject.toml | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	$(PIP) --no-deps -e .
	rm -f $(VENV)/.dev-*
	touch $@

# What the tests run against, from Debian's packages: the real Redis server, PostgreSQL (the cluster's record, and
# libpq for psycopg), HAProxy (the cluster's balancer), Chromium, and the four CJK TrueType faces the page corpus is
# typeset in (tests/pages/fonts.py), which also give the browser its Chinese.
# Only what is missing is installed, and only as root (or with password-less sudo); otherwise one line says what to
# install first.
FACE = fc-list :family 2>/dev/null | grep -q
define install_missing
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then sudo=""; \
		elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; \
		else echo "$@ needs Debian packages that are not installed; as root, run: apt-get install$$missing" >&2; \
			exit 1; fi; \
		echo "Installing$$missing from Debian's packages"; \
		$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	test -x /usr/sbin/haproxy || missing="$$missing haproxy"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	$(FACE) "WenQuanYi Micro Hei" || missing="$$missing fonts-wqy-microhei"; \
	$(FACE) "WenQuanYi Zen Hei" || missing="$$missing fonts-wqy-zenhei"; \
	$(FACE) "AR PL UMing CN" || missing="$$missing fonts-arphic-uming"; \
	$(FACE) "AR PL UKai CN" || missing="$$missing fonts-arphic-ukai"; \
	$(install_missing)

# Rebuild the page corpus's texts and labels from its source pages (tests/pages/README.md): typesetting, then the
# real extraction tools (poppler-utils' pdftotext, pdfminer.six).
pages: venv-dev system-deps
	@missing=""; command -v pdftotext >/dev/null || missing=" poppler-utils"; $(install_missing)
	$(BIN)/python -m tests.pages.build

# The page corpus typeset as PDFs (not committed: deterministic, made again in seconds), for `bulletin
# evaluate-parser --variant pdf`.
pdf-pages: venv-dev system-deps
	$(BIN)/python -m tests.pages.pdfs

# Refit the parser's models (index/models/) on the page corpus's tuned part; held-out pages never reach the fit.
train-parser: venv-dev
	$(BIN)/python -m tests.pages.train

# Cross-validation by paper over the tuned part (tests/pages/crossval.py): how a change to the labeller would read
# papers it was not fitted on, without looking at the held-out ones. About ten minutes.
crossval-parser: venv-dev
	$(BIN)/python -m tests.pages.crossval

# Development server with the sample issues, the chat simulator and the editors' desk. Tokens already in the
# environment are kept; otherwise fresh ones are made for this run and printed.
run: venv
	@new_token() { $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(18))'; }; \
	WECHAT_TOKEN="$${WECHAT_TOKEN:-$$(new_token)}"; ADMIN_TOKEN="$${ADMIN_TOKEN:-$$(new_token)}"; \
	export WECHAT_TOKEN ADMIN_TOKEN SIMULATOR=1 PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}"; \
	$(BIN)/bulletin seed data/issues || exit; \
	echo "WECHAT_TOKEN=$$WECHAT_TOKEN  (development only)"; \
	echo "ADMIN_TOKEN=$$ADMIN_TOKEN"; \
	echo "This server: http://$(HOST):$(PORT)/  Chat simulator: http://$(HOST):$(PORT)/simulator/  Editors' desk: http://$(HOST):$(PORT)/admin/"; \
	exec $(BIN)/flask --app bot run --host $(HOST) --port $(PORT)

# The same on a cluster of two nodes on this machine (README, "A cluster"): the record (PostgreSQL, kept in
# var/cluster/record), Redis, two nodes (deploy/Procfile.node) and HAProxy (deploy/haproxy.cfg) in front on $(PORT),
# the nodes on the next two ports, the record on the third. Ctrl-C stops everything it started.
cluster: venv system-deps
	$(BIN)/python -m deploy.cluster --port $(PORT)

# Lint, format check and type check first: CI fails on a violation before any test runs.
lint: venv-dev
	$(BIN)/ruff check $(CHECKED)
	$(BIN)/ruff format --check $(CHECKED)
	$(BIN)/mypy

fmt: venv-dev
	$(BIN)/ruff check --fix $(CHECKED)
	$(BIN)/ruff format $(CHECKED)

test: lint system-deps
	$(BIN)/python -m pytest

# Re-pin after changing pyproject.toml's dependencies: pins already in the locks are kept unless a range excludes
# them (`make lock UPGRADE=1` takes the newest releases). The runtime lock constrains the development one.
lock: venv-dev
	$(BIN)/pip-compile -q --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) \
		-o requirements.txt pyproject.toml
	$(BIN)/pip-compile -q --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) \
		--extra dev -c requirements.txt -o requirements-dev.txt pyproject.toml

bench: venv-dev system-deps
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	timeout --kill-after=30 990 $(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis .mypy_cache .ruff_cache
