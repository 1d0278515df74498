"""One error tree for kfgraph; each error knows its HTTP status and exit code.

    KfgraphError                      500 / exit 2
    ├── ConfigurationError            500 / exit 2   bad setting, missing file
    ├── SourceError                   422 / exit 1   a release cannot be read
    │   ├── UnreadableSourceError                    binary, empty, not UTF-8
    │   └── UnsupportedSourceError                   unknown file type
    ├── RdfSyntaxError                400 / exit 2   RDF input that does not parse
    ├── UnsupportedRdfFormatError     415 / exit 2   input whose format is unknown or not RDF
    ├── QueryError                    400 / exit 2   malformed or refused query
    │   ├── ForbiddenQueryError       400            SERVICE / LOAD / remote FROM
    │   ├── UpdateRefusedError        403            updates on a read-only endpoint
    │   ├── QueryTimeoutError         503            ran past the time limit
    │   ├── QueryMemoryError          503            needed more memory than a worker may use
    │   ├── ServerBusyError           503            no place for another long-running query
    │   ├── TooManyQueriesError       429            too many queries waiting from one client
    │   └── ResultTooLargeError       400            more rows than allowed (when strict)
    ├── NotAcceptableError            406            no representation fits Accept
    ├── NotFoundError                 404            unknown IRI or graph
    ├── RequestTooLargeError          413            body over the size cap
    ├── StoreError                    500 / exit 2   the store failed
    └── StoreLockedError              503 / exit 2   a build writes the store / a server reads it

Translate to an HTTP body or an exit code only at the edge (web/, cli.py).
"""

from __future__ import annotations


class KfgraphError(Exception):
    """Base of every error kfgraph raises on purpose."""

    http_status: int = 500
    exit_code: int = 2
    code: str = "internal-error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_json(self) -> dict[str, object]:
        """The one JSON error shape used by every HTTP endpoint."""
        return {"error": {"code": self.code, "status": self.http_status, "message": self.message}}


class ConfigurationError(KfgraphError):
    code = "configuration-error"


class SourceError(KfgraphError):
    http_status = 422
    exit_code = 1
    code = "unreadable-release"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnreadableSourceError(SourceError):
    pass


class UnsupportedSourceError(SourceError):
    code = "unsupported-release-format"


class RdfSyntaxError(KfgraphError):
    http_status = 400
    code = "rdf-syntax-error"


class UnsupportedRdfFormatError(KfgraphError):
    """The input's format is unknown or not RDF."""

    http_status = 415
    code = "unsupported-media-type"


class QueryError(KfgraphError):
    http_status = 400
    code = "malformed-query"


class ForbiddenQueryError(QueryError):
    code = "forbidden-query"


class UpdateRefusedError(QueryError):
    http_status = 403
    code = "update-refused"


class QueryTimeoutError(QueryError):
    http_status = 503
    code = "query-timeout"


class QueryMemoryError(QueryError):
    http_status = 503
    code = "query-memory-limit"


class ServerBusyError(QueryError):
    http_status = 503
    code = "server-busy"


class TooManyQueriesError(QueryError):
    http_status = 429
    code = "too-many-queries"


class ResultTooLargeError(QueryError):
    code = "result-too-large"


class NotAcceptableError(KfgraphError):
    http_status = 406
    code = "not-acceptable"


class NotFoundError(KfgraphError):
    http_status = 404
    code = "not-found"


class RequestTooLargeError(KfgraphError):
    http_status = 413
    code = "request-too-large"


class StoreError(KfgraphError):
    code = "store-error"


class StoreLockedError(KfgraphError):
    """The embedded store is held by the other side: a build writing it, or processes reading it."""

    http_status = 503
    code = "store-locked"
