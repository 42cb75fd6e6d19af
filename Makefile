# tweetpulse — `make demo` and `make test` do all the set-up on a fresh machine.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: demo test check bench system venv native services down clean help

help:
	@echo "make demo [CORPUS=file.jsonl]  replay a day end to end and write its report"
	@echo "make test                      every test, on a real Kafka + Redis"
	@echo "make check                     ruff + mypy"
	@echo "make bench                     throughput benchmarks"
	@echo "make native                    compile the ad filter + tagger with mypyc (make demo/test/bench do it)"
	@echo "make down                      stop the local Kafka/Redis this project started"

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

venv: $(STAMP)

# The ingest hot path compiled with mypyc (streams/native.py); a no-op while the build is current.
# Without a C compiler everything still runs, as pure Python.
native: $(STAMP)
	@$(BIN)/tweetpulse native build || echo "tweetpulse: warning: no compiled build; the pipeline runs as pure Python" >&2

system:
	@deploy/local/ensure-system.sh

demo: system $(STAMP) native
	$(BIN)/tweetpulse demo $(if $(CORPUS),--corpus $(CORPUS))

# Start Kafka + Redis when they are not running, run every test, stop what was started.
test: system $(STAMP) native
	@$(BIN)/tweetpulse local status >/dev/null 2>&1; was_up=$$?; \
	$(BIN)/tweetpulse local up || exit $$?; \
	$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$was_up -ne 0 ]; then $(BIN)/tweetpulse local down; fi; \
	exit $$rc

check: $(STAMP)
	$(BIN)/ruff check streams producers summarizer tweetpulse tests
	$(BIN)/ruff format --check streams producers summarizer tweetpulse tests
	$(BIN)/mypy

bench: system $(STAMP) native
	@$(BIN)/tweetpulse local up
	$(BIN)/python -m tests.bench.run
	$(BIN)/python -m tests.bench.produce
	$(BIN)/python -m tests.bench.ads

services: system $(STAMP)
	$(BIN)/tweetpulse local up

down: $(STAMP)
	$(BIN)/tweetpulse local down

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
