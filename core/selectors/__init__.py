"""Reads that pages, the API, commands and workers share, one module per area.

Each runs a fixed number of queries whatever the amount of data, and says so
where it is not obvious.
"""
