"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Every value can be overridden from the environment (GUNICORN_*), see README.
"""

import multiprocessing
import os

wsgi_app = "badgeapp.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Workers are not recycled by default. `max_requests = 1000` restarted a busy
# worker about once a second (bench/README.md): it halved what one worker
# serves and put 0.4-0.6 s into the p95 of every cheap page, for a leak no one
# has seen. GUNICORN_MAX_REQUESTS=N turns recycling back on, with a jitter so
# the workers do not all restart at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# The app is imported once, in the master, before the workers fork: a new or
# recycled worker starts in milliseconds, not after a second of imports, and
# the workers share the imported code's memory. Django opens no database
# connection at import, so none is shared across the fork.
preload_app = True
accesslog = "-"
errorlog = "-"
# The proxy sets X-Forwarded-*; trust it only from where the proxy connects.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
