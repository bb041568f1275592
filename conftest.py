"""pytest set-up for the whole tree: the tests, the package's doctests and the lessons.

nbval's kernels listen on Unix sockets, not on TCP ports (see docs/_ext/unix_kernels.py):
with pytest-xdist, the other worker's browser or SMTP server can take a port that
jupyter_client picked for a kernel before the kernel binds it.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "docs" / "_ext"))

import unix_kernels

unix_kernels.use_for_nbval()
