"""Search across plans, goals, KPIs, standards and narratives, for Traditional Chinese.

* `text`: folding (NFKC, lower case, OpenCC t2s, no whitespace) and segmentation (jieba on the folded copy),
  with a map back to the offsets of the original text for highlighting. Pure Python, no Django.
* `models.SearchEntry`: one row per searchable field of a record, with its folded text and its word tokens.
* `indexing`: builds the rows of a cycle or of one record (signals keep single edits in step; bulk imports
  call `reindex_cycle`).
* `query`: a query is split into terms; an entry matches a term when its folded text contains the folded term
  (substring) or holds every word of the term (jieba tokens). SQLite answers substrings of three characters or
  more from an FTS5 trigram table and shorter ones with LIKE on the content table (FTS5 misses short non-ASCII
  patterns); PostgreSQL answers both with LIKE on pg_trgm GIN indexes. Both are containment tests on the same
  stored strings, and ranking is done in Python, so both databases give the same results in the same order.
"""
