"""gunicorn settings Glas ships with (gunicorn reads ./gunicorn.conf.py by default).

The access log records the request line, status, size and duration only: no client address,
no user agent, no referrer, and no secret link (the token of a follow or invitation link is
replaced by "…"). This is required for the integrity channel (reporters must leave no
trace) and is kept for every page, so that no log the project writes identifies a visitor.
"""

accesslog = "-"
# The request line without the secret of a secret link (glas/core/logredact.py).
logger_class = "glas.core.logredact.GunicornLogger"
access_log_format = '"%(r)s" %(s)s %(b)s %(L)ss'
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
