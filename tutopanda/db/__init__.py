"""Database plumbing: connections, named queries, SQLSTATE mapping, migrations, embedded server."""
