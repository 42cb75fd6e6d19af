# One image for every tweetpulse service (worker, producer, summarizer, topics): the `tweetpulse`
# CLI is the entry point, the service is its subcommand (see docker-compose.yml).
#   docker build -t tweetpulse .
#   docker run --rm tweetpulse worker --help
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A CJK font for the word cloud (without one the summarizer stops with a clear error).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-microhei fontconfig \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first (a layer that survives code edits), then the code.
COPY pyproject.toml README.md ./
COPY streams ./streams
COPY producers ./producers
COPY summarizer ./summarizer
COPY tweetpulse ./tweetpulse
RUN pip install .

RUN useradd --create-home --uid 10001 tweetpulse \
 && mkdir -p /data /out \
 && chown tweetpulse /data /out
USER tweetpulse
# Local state (faust datadir) and report output; settings come from TWEETPULSE_* variables.
ENV TWEETPULSE_HOME=/data \
    TWEETPULSE_OUT_DIR=/out
VOLUME ["/out"]

ENTRYPOINT ["tweetpulse"]
CMD ["--help"]
