"""Business rules, shared by pages, the API and management commands."""
