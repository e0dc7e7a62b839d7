"""The Python API exposes every stage the CLI uses, each resolving to a real function."""

from __future__ import annotations

import subprocess
import sys

import mctext.api as api


def test_every_export_resolves_to_a_callable() -> None:
    for name in api.__all__:
        assert callable(getattr(api, name)), name


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        api.no_such_function  # noqa: B018
    except AttributeError as exc:
        assert "no_such_function" in str(exc)
    else:  # pragma: no cover - the assertion is the test
        raise AssertionError("expected AttributeError")


def test_import_is_lazy() -> None:
    code = "import sys, mctext.api; print('torch' in sys.modules, 'spacy' in sys.modules, 'duckdb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]
