"""The package is fully typed (py.typed): mypy over src/kfgraph stays clean."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from kfgraph.settings import PROJECT_ROOT


@pytest.mark.slow
def test_mypy_is_clean() -> None:
    if shutil.which("mypy") is None and subprocess.run([sys.executable, "-m", "mypy", "--version"], capture_output=True).returncode:
        pytest.skip("mypy is not installed (it is in the test extra)")
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
