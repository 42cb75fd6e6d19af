"""Producers: turn tweet sources (replay files, the synthetic day, the X API) into ``tweets.raw``."""
