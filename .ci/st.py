"""Runs the schemathesis CLI (as `schemathesis …`), with one workaround.

CPython 3.11 can raise `SystemError: AST constructor recursion depth mismatch` (gh-106905) when
`ast.parse` runs deep inside a generator chain; hypothesis calls it only to *describe* a lambda
for a strategy's repr, and schemathesis then reports a "Runtime Error" for an operation whose
cases all passed. A description is cosmetic, so a failure to make one becomes hypothesis's own
"unknown" form instead of an error.
"""
import sys

try:
    import hypothesis.internal.lambda_sources as _sources

    _describe = _sources._lambda_description

    def _described(f, *args, **kwargs):
        try:
            return _describe(f, *args, **kwargs)
        except SystemError:
            return "lambda: <unknown>"

    _sources._lambda_description = _described
except (ImportError, AttributeError):
    pass

from schemathesis.cli import schemathesis  # noqa: E402

sys.argv[0] = "schemathesis"
schemathesis()
