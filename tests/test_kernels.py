"""Kernels started for the lessons listen on Unix sockets (docs/_ext/unix_kernels.py).

With TCP, jupyter_client picks five free ports and lets them go before the kernel
binds them; under pytest-xdist another process can take one first, and the kernel
dies before its first reply. These tests start real kernels the way nbval and
nbclient do and check that no TCP port is involved.
"""

from __future__ import annotations

import os
import socket
import tempfile

import jupyter_client
import nbformat
import pytest
import unix_kernels
from nbclient import NotebookClient
from nbval.kernel import RunningKernel

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Unix sockets need a POSIX system")


def _socket_files(prefix: str) -> list[str]:
    folder, stem = os.path.split(prefix)
    return sorted(name for name in os.listdir(folder) if name.startswith(stem + "-"))


def test_nbval_kernels_listen_on_unix_sockets_and_clean_them_up():
    kernel = RunningKernel("python3")
    try:
        info = kernel.km.get_connection_info()
        assert info["transport"] == "ipc"
        assert os.path.dirname(info["ip"]) == tempfile.gettempdir()
        files = _socket_files(info["ip"])
        assert len(files) == 5
        for name in files:
            path = os.path.join(tempfile.gettempdir(), name)
            assert len(os.fsencode(path)) < 108, path
            with socket.socket(socket.AF_UNIX) as probe:
                probe.connect(path)  # a live socket, not a stale file
        reply = kernel.kc.execute_interactive("answer = 6 * 7", timeout=30)
        assert reply["content"]["status"] == "ok"
    finally:
        prefix = kernel.km.ip
        kernel.stop()
    assert _socket_files(prefix) == []


def test_every_kernel_gets_its_own_sockets():
    first, second = unix_kernels.UnixSocketKernelManager(), unix_kernels.UnixSocketKernelManager()
    assert first.ip != second.ip
    assert first.transport == second.transport == "ipc"


def test_nbclient_and_so_myst_nb_run_notebooks_on_unix_sockets(monkeypatch):
    monkeypatch.setattr(jupyter_client, "AsyncKernelManager", jupyter_client.AsyncKernelManager)
    unix_kernels.use_for_nbclient()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    client = NotebookClient(nb, timeout=60, kernel_name="python3")
    seen = {}
    client.on_notebook_start = lambda notebook: seen.update(client.km.get_connection_info())
    client.execute()
    assert seen["transport"] == "ipc"
    assert nb.cells[0].outputs[0]["text"] == "42\n"


def test_the_sphinx_extension_switches_nbclient(monkeypatch):
    monkeypatch.setattr(jupyter_client, "AsyncKernelManager", jupyter_client.AsyncKernelManager)
    meta = unix_kernels.setup(object())
    assert jupyter_client.AsyncKernelManager is unix_kernels.AsyncUnixSocketKernelManager
    assert meta["parallel_read_safe"] is True


def test_a_temporary_folder_too_long_for_a_socket_path_falls_back_to_tmp(tmp_path, monkeypatch):
    deep = tmp_path / ("x" * 100)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    prefix = unix_kernels.socket_prefix()
    assert os.path.dirname(prefix) == "/tmp" and len(os.fsencode(prefix + "-5")) < 108
