"""Pagination of every API list: `limit` and `offset`, bounded so a huge or odd value gets a
clamped page instead of an overflowing query (issue 16: ?limit=99999999999999999999 was a 500)."""

from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 500
# Far beyond any real list, far below what SQLite and PostgreSQL's 64-bit OFFSET overflow on.
MAX_OFFSET = 10**9


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`limit` 1…500 (default PAGE_SIZE), `offset` 0…10⁹; non-numeric values fall back to the
    defaults, values past the bounds are clamped to them."""

    max_limit = MAX_LIMIT

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param, "")
        try:
            offset = int(raw)
        except (TypeError, ValueError):
            return 0
        return min(max(offset, 0), MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": MAX_LIMIT},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
