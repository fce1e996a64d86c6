"""Data generator and load benchmark (``make bench``, ``make bench-quick``)."""
