"""The daily report: from a closed window's aggregates to a Jekyll post and a word cloud.

Pure core (no faust/redis/kafka/openai imports): :mod:`summarizer.report` (the report model),
:mod:`summarizer.extractive` (the no-LLM builder), :mod:`summarizer.render` (markdown in the
seed report's exact shape), :mod:`summarizer.wordcloud` (jieba frequencies + the JPG) and
:mod:`summarizer.output` (file names, atomic writes, idempotence check).
"""
