"""Refuse, in one sentence, a Python older than 3.11 before anything is installed."""
import sys

if sys.version_info < (3, 11):
    found = ".".join(map(str, sys.version_info[:3]))
    sys.exit(f"fundwatch needs Python 3.11 or newer; `{sys.executable}` is {found}. "
             "Install Python 3.11 and run `make PYTHON=python3.11 run`.")
