"""The streaming core: tweet model, parsers, ad filter, tagger, window maths, and the Faust
worker that counts tweets exactly once in Redis. The pure modules import no faust/redis/kafka."""
