"""Log records: a refused request is one line."""

import logging


class RefusalsOnOneLine(logging.Filter):
    """django.request logs a 403 or 400 with the exception's whole traceback. A refusal is the
    app working as meant (a viewer's write, a malformed id), so keep one line with its reason;
    a 5xx keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500 and record.exc_info:
            reason = record.exc_info[1]
            message = record.getMessage()
            if reason is not None and str(reason):
                message = f"{message} ({str(reason)[:200]})"
            record.msg, record.args = message, None
            record.exc_info, record.exc_text = None, None
        return True
