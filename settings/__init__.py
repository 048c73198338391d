"""Settings for badgeapp, read from the environment (see README.md).

``settings.base`` is the app's settings module (DJANGO_SETTINGS_MODULE);
``settings.test`` is the test suite's. This file stays empty so importing
one does not import the other.
"""
