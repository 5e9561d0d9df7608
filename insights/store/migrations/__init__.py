"""Code frozen with a schema migration of :mod:`insights.store.database`.

A migration must mean the same thing forever: it runs on a database as an older program
left it, long after the application's own modules have changed. So what a migration does
beyond plain SQL lives here, one module per migration, and these modules import nothing
from ``insights`` or ``bot`` (``tests/test_import_graph.py`` keeps it so). Never change one
once its migration has shipped; a new behaviour is a new migration.
"""
