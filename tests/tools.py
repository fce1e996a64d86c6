"""The npm and Java tools of the accessibility checks (docs/accessibility.md).

``make tools`` installs them. A missing one fails the test where ``CI`` is set,
so CI never passes by skipping, and skips it elsewhere with the command to run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(reason: str) -> None:
    """Fail in CI, skip elsewhere."""
    message = f"{reason}: run `make tools`"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must run this check")
    pytest.skip(message)


def axe_script() -> Path:
    if not AXE.exists():
        missing(f"axe-core is not installed ({AXE.relative_to(ROOT)})")
    return AXE


def vnu_command() -> list[str]:
    """The Nu HTML Checker, started as ``java -jar vnu.jar``."""
    java = shutil.which("java")
    if java is None:
        missing("Java is not installed (the Nu HTML Checker runs on it)")
    if not VNU.exists():
        missing(f"vnu-jar is not installed ({VNU.relative_to(ROOT)})")
    return [str(java), "-jar", str(VNU)]
