"""Type stub of the keyphrase scans (streams/_textscan.c), built by ``tweetpulse native build``."""

def runs(text: str, /) -> list[str]:
    """``streams.keyphrases._RUN.findall(text)``: the runs of names, in text order."""

def is_chinese(text: str, /) -> bool:
    """``streams.segment.python_is_chinese(text)``: a Han character and no kana."""

def not_words(text: str, /) -> str:
    """``streams.keyphrases.python_not_words(text)``: hashtags and emoticons as spaces."""
