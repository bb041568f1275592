"""Jupyter kernels that listen on Unix sockets instead of TCP ports.

jupyter_client gives a new kernel its five TCP ports by binding port 0, reading the
numbers the system chose, and letting the ports go. The kernel binds those numbers
about a second later, once its Python has started. Anything else on the machine that
opens a socket in that second can be handed one of them: pytest-xdist's other worker
with its browser, SMTP server or Sphinx build, or Sphinx's second reading process with
its own kernel. The kernel then dies with "Address already in use" before it answers
``kernel_info``, and a notebook fails without running a cell. CI hit exactly that.

A Unix socket is a file whose name we choose, so there is nothing to race for. Every
place in this repository that starts a kernel uses these managers: myst-nb because this
module is a Sphinx extension listed in ``docs/conf.py``, nbval through the root
``conftest.py``, and ``tools/nbtool.py`` and the benchmarks by passing them to nbclient.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from jupyter_client.manager import AsyncKernelManager, KernelManager
from traitlets import default

# ZeroMQ's ipc transport needs Unix sockets; where there are none (Windows), the
# kernels keep jupyter_client's TCP ports.
_HAVE_UNIX_SOCKETS = os.name == "posix"


def socket_prefix() -> str:
    """A fresh path prefix for one kernel's sockets, short enough for any of them.

    A Unix socket's path must fit in 107 bytes, and a kernel adds ``-1`` to ``-5``.
    The runtime directory under a long home directory might not fit, so the sockets
    go in the temporary directory under a random name.
    """
    name = f"kernel-{uuid.uuid4().hex[:16]}"
    prefix = os.path.join(tempfile.gettempdir(), name)
    if len(os.fsencode(prefix)) + len("-99") > 107 and os.path.isdir("/tmp"):
        prefix = os.path.join("/tmp", name)  # a TMPDIR too long for a socket path
    return prefix


def _on_unix_sockets(base: type[KernelManager], name: str, doc: str) -> type[KernelManager]:
    # traitlets takes @default handlers only from HasTraits classes, so a plain
    # mixin would be ignored: each manager is a direct subclass of its base.
    class Manager(base):  # type: ignore[valid-type, misc]
        @default("transport")
        def _unix_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _unix_socket_prefix(self) -> str:
            return socket_prefix()

    Manager.__name__ = Manager.__qualname__ = name
    Manager.__doc__ = doc
    return Manager


UnixSocketKernelManager = _on_unix_sockets(
    KernelManager, "UnixSocketKernelManager",
    "jupyter_client's blocking kernel manager, on Unix sockets (for nbval).")
AsyncUnixSocketKernelManager = _on_unix_sockets(
    AsyncKernelManager, "AsyncUnixSocketKernelManager",
    "jupyter_client's asynchronous kernel manager, on Unix sockets (for nbclient and myst-nb).")


def use_for_nbval() -> None:
    """Make nbval start its kernels with :class:`UnixSocketKernelManager`.

    nbval builds its kernel manager from the name ``KernelManager`` in
    ``nbval.kernel`` and offers no option for another class.
    """
    import nbval.kernel

    if _HAVE_UNIX_SOCKETS:
        nbval.kernel.KernelManager = UnixSocketKernelManager


def use_for_nbclient() -> None:
    """Make nbclient, and so myst-nb, default to :class:`AsyncUnixSocketKernelManager`.

    nbclient's ``NotebookClient.kernel_manager_class`` defaults to whatever
    ``jupyter_client.AsyncKernelManager`` names when a notebook starts; myst-nb
    offers no option to pass another class through to it.
    """
    import jupyter_client

    if _HAVE_UNIX_SOCKETS:
        jupyter_client.AsyncKernelManager = AsyncUnixSocketKernelManager


def setup(app: object) -> dict[str, object]:
    """Sphinx extension: the notebooks myst-nb executes run on Unix sockets."""
    use_for_nbclient()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
