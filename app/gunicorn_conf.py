"""gunicorn settings for ``make serve`` (``gunicorn -c app/gunicorn_conf.py app.wsgi:server``), from the app's
settings (app/settings.py: ``HOST``, ``PORT``, ``WEB_CONCURRENCY``, ``GUNICORN_*``, ``WARMUP``).

Loopback unless HOST says otherwise; two workers (``WEB_CONCURRENCY`` overrides); the app and its snapshot are
loaded once in the master and forked (``preload_app``), so a worker starts answering at once. gevent workers: a
slow client (trickling headers or a body) costs a greenlet waiting on its socket, not one of a few threads
(measured: with gthread, 2 × 4 threads, 64 trickling sockets made every normal request time out; with gevent they
answer in milliseconds, tests/test_serve.py). CPU-bound callbacks still hold a worker's loop while they run,
as they hold the GIL under gthread; ``timeout`` still kills a worker that stops answering. Image exports run in a
helper process (app/export/render_helper.py): kaleido hangs under gevent's patching. Request lines and headers are
capped well below the server's limits (a hostile query string gets a 4xx from gunicorn before it reaches the app).
Debug is never on here.
"""

from __future__ import annotations

import gc

from app.settings import Settings  # standard library only: imported before gevent patches it, which is harmless

settings = Settings.from_env()
#: ``gevent`` (default): each worker serves its connections from one event loop, so a slow client waits on a socket,
#: not on one of a few threads. ``gthread`` is kept for comparison (bench/slow_clients.py).
worker_class = settings.worker_class
if worker_class == "gevent" and __name__ == "__config__":  # gunicorn loads this file as __config__; tests do not
    # Patch before the app is imported: with preload_app the master imports it, and gunicorn's worker patches only
    # after the fork, too late for locks and sockets made at import time (gunicorn's preload_app docs).
    from gevent import monkey

    monkey.patch_all()
if __name__ == "__config__":
    from app import server_errors

    server_errors.install()  # gunicorn's own 400/414/431 pages with the security headers

bind = f"{settings.host}:{settings.port}"
workers = settings.workers
threads = settings.threads  # gthread only
worker_connections = settings.worker_connections  # gevent: connections per worker
preload_app = True
timeout = 30
graceful_timeout = 10
keepalive = 5
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190
control_socket = settings.control_socket
accesslog = settings.accesslog  # "-" for stdout
errorlog = "-"
loglevel = settings.loglevel
# pyarrow's default mimalloc pool keeps ~30 MB per process after the snapshot is read; the system pool returns it
raw_env = ["DEBUG=0", "ARROW_DEFAULT_MEMORY_POOL=system"]


def when_ready(server) -> None:
    """In the master, after the app is loaded and before the workers fork: warm the caches they will share."""
    if settings.warmup:
        from app.warmup import warm  # the app's modules: imported by the master with the app, after the patching
        from app.wsgi import app

        server.log.info("warmed the caches in %.1f s (WARMUP=0 skips this)", warm(app))
    # What the master built is moved out of the collector's reach, so a worker's collections do not write to (and
    # un-share) those pages: PSS per worker stays near its start (bench/soak.py).
    gc.collect()
    gc.freeze()
