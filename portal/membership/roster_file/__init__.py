"""Reading a roster file: a residency's graduates, one record each.

``text`` finds the encoding, ``columns`` the delimiter and which column is
which, ``records`` checks each graduate on its own (``read_roster``). Nothing
here touches the database; ``services.roster`` decides what importing would do.
"""
