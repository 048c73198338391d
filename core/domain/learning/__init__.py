"""Learning records (xAPI 1.0.3): statements, who they are about, and what counts as done.

Pure rules, no database and no HTTP: the ingest service (push endpoint, pull
command, demo data) and the progress pages build on them.
"""
