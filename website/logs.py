"""Structured logs: one JSON object per line in production, and one line per request with its
path, status, duration and number of SQL queries. Never the query string, cookies, headers or
form data: they can carry session keys, passwords or personal searches."""

import json
import logging
import time

from django.db import connections

request_logger = logging.getLogger("lunarportal.requests")

# Load balancers ask these every few seconds: logged only at DEBUG.
QUIET_PATHS = ("/healthz", "/readyz")
RECORD_FIELDS = ("method", "path", "status", "duration_ms", "queries")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **{name: getattr(record, name) for name in RECORD_FIELDS if hasattr(record, name)},
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        started = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        level = logging.DEBUG if request.path.startswith(QUIET_PATHS) else logging.INFO
        if request_logger.isEnabledFor(level):
            fields = {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "queries": counter.count,
            }
            request_logger.log(level, "%(method)s %(path)s %(status)s", fields, extra=fields)
        return response
