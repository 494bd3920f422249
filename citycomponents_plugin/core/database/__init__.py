"""The database engine: the same rules as core/engine, run as SQL in one PostGIS database (SPEC 11)."""
