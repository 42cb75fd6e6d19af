#!/bin/sh
# Stop the local (no-Docker) Kafka broker and Redis that `tweetpulse local up` started: runs
# `tweetpulse local down` from the repository's .venv, in the repository root (so state goes to
# .tweetpulse/ and .env is read there). Extra arguments are passed on.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
if [ ! -x .venv/bin/tweetpulse ]; then
    echo "$repo/.venv/bin/tweetpulse is missing; create the venv first:" >&2
    echo "  python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'" >&2
    exit 1
fi
exec .venv/bin/tweetpulse local down "$@"
