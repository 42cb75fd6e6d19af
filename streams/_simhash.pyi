"""Type stub of the C SimHash (streams/_simhash.c), built by ``tweetpulse native build``."""

def fingerprint(text: str, min_features: int, /) -> int | None:
    """The SimHash of a normalized template text (retweet prefix removed), as
    :func:`streams.campaigns.python_simhash` computes it; None below ``min_features`` features."""
