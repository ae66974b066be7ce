# Two commands do all the set-up on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: venv system-deps run test bench clean

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

# The real server and browser the tests run against (and a CJK font, so screenshots show Chinese), from Debian's
# packages: one update, then whatever is missing.
system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing from Debian's packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# Development server with the sample issues, the chat simulator and the editors' desk. Tokens already in the
# environment are kept; otherwise fresh ones are made for this run and printed.
run: venv
	@new_token() { $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(18))'; }; \
	WECHAT_TOKEN="$${WECHAT_TOKEN:-$$(new_token)}"; ADMIN_TOKEN="$${ADMIN_TOKEN:-$$(new_token)}"; \
	export WECHAT_TOKEN ADMIN_TOKEN SIMULATOR=1 PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}"; \
	$(BIN)/python -m bot seed data/issues || exit; \
	echo "WECHAT_TOKEN=$$WECHAT_TOKEN  (development only)"; \
	echo "ADMIN_TOKEN=$$ADMIN_TOKEN"; \
	echo "Chat simulator: http://$(HOST):$(PORT)/simulator/  Editors' desk: http://$(HOST):$(PORT)/admin/"; \
	exec $(BIN)/flask --app bot run --host $(HOST) --port $(PORT)

test: venv system-deps
	$(BIN)/python -m pytest

bench: venv system-deps
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	timeout --kill-after=30 660 $(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
