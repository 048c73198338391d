#!/usr/bin/env python
"""The test proxy's manage.py: run it with the proxy's own virtualenv."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proxysite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
