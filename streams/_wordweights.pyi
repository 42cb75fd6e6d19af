"""Type stub of the ad model's word sums in C (streams/_wordweights.c)."""

class WordWeights:
    """The ad model's unigram and bigram weights, keyed by token."""

    def __init__(
        self, unigrams: dict[str, float], bigrams: dict[str, dict[str, float]]
    ) -> None: ...
    def sums(self, text: str) -> tuple[float, float, int]:
        """(the unigram weights' sum, the bigram weights' sum, the number of tokens)."""
