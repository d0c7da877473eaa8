"""`field__prefix=path`: subtree filters on materialised paths that every database indexes.

`startswith` compiles to LIKE, which SQLite's index cannot narrow (its LIKE ignores case), so
on SQLite a prefix becomes the range `path <= x < path + U+10FFFF`. PostgreSQL keeps LIKE,
which its `varchar_pattern_ops` indexes serve (a range would not use them).
"""

from django.db.models import CharField, Lookup
from django.db.models.lookups import StartsWith

TOP = "\U0010ffff"  # sorts after every character, so every extension of the path is below it


@CharField.register_lookup
class Prefix(Lookup):
    lookup_name = "prefix"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        (path,) = rhs_params
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, path, *lhs_params, path + TOP]

    def as_postgresql(self, compiler, connection):
        return compiler.compile(StartsWith(self.lhs, self.rhs))
