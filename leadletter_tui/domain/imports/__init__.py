"""Bulk import, the pure part: what a file holds and what its rows become. Pure Python.

One module a step, in the order an import runs them:

- ``encoding``  which text encoding a file uses (or that it is not text): ``detect_encoding``,
  ``UnusableInput`` (the one error for input that cannot be imported at all);
- ``columns``   which header means which contact field (the mapping and its labels);
- ``layout``    the file's layout (``inspect_csv`` / ``inspect_urls`` -> ``CsvLayout``: encoding,
  ``sep=`` line, delimiter, title lines, header, mapping, preview rows), then streaming every
  record in batches by that layout (``iter_csv_batches`` / ``iter_url_batches``);
- ``rows``      the definition of what one row becomes (``Candidate`` or ``Rejected``);
- ``batch``     the same conversion for a whole batch, column by column (the fast path an
  import runs; a property test keeps it equal to ``rows``);
- ``merge``     how a valid row merges into a stored or earlier contact: which fields fill,
  created / updated / duplicate, extra-field key folding (the store runs it inside its
  transaction);
- ``counts``    the counts of an import and their one summary text.

The rest of an import lives elsewhere: ``services/imports.py`` is the one import use case
(CLI and TUI call only it), ``services/import_parser.py`` the parser process under it, and
``store/imports.py`` / ``store/import_ops.py`` the transaction and the SQL.
"""
