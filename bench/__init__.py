"""Tools that run the whole portal against seeded data: the data generator and
load benchmark (``make bench``, ``make bench-quick``) and the README's
screenshots (``make screenshots``)."""
