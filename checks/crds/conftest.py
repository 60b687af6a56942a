"""Puts checks/crds on sys.path so the tests can import crdlib."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
