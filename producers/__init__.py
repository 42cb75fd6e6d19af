"""Producers: replay files, the synthetic day and the X API into ``tweets.raw``."""
