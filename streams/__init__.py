"""The streaming core: tweet model, parsers, ad filter, tagger, window maths, and the Faust
worker that counts tweets exactly once in Redis. The pure modules import no faust/redis/kafka.

The ingest hot path runs compiled (mypyc) when a current build exists: see
:mod:`streams.native`."""

from streams.native import activate as _activate

_activate(__path__)
