"""Type stub of the C text fold (streams/_textfold.c), built by ``tweetpulse native build``."""

class Folder:
    """NFKC + casefold + whitespace runs to one space, from a per-character table
    (:func:`streams.taxonomy.fold_table`)."""

    def __init__(self, table: bytes, pool: str, /) -> None: ...
    def fold(self, text: str, /) -> str | None:
        """``streams.taxonomy.normalize_text(text)``, or None when the table cannot say."""
