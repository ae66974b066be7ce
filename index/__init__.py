"""The bulletin's stories: parsing issues, the archive, the Whoosh index and search.

The rest of the application talks to this package through ``index.ingest`` (write side) and ``index.search``
(read side); Whoosh objects never leave it.
"""
