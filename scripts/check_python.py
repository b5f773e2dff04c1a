"""Refuse, in one sentence, a Python older than 3.11 before anything is installed.

Written for any Python, 2.7 included (no f-strings): an old interpreter must get the
sentence, not a SyntaxError.
"""
import sys

if sys.version_info < (3, 11):
    found = ".".join(str(part) for part in sys.version_info[:3])
    sys.exit("fundwatch needs Python 3.11 or newer; `%s` is %s. Install Python 3.11 and run "
             "`make PYTHON=python3.11 run` (or `PYTHON=python3.11 ./fundwatch run`)." % (sys.executable, found))
