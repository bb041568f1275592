"""Show the race that docs/_ext/unix_kernels.py removes.

    python tools/kernel_port_race.py [KERNELS]     # default 20

A thread keeps taking free TCP ports (about as a busy test worker, browser or SMTP lab
does, only faster) while kernels start one after another, first on jupyter_client's TCP
ports and then on Unix sockets. It prints how many kernels died before their first reply.
"""

from __future__ import annotations

import collections
import os
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs" / "_ext"))

from jupyter_client.manager import KernelManager
from unix_kernels import UnixSocketKernelManager

HOLD = 1.5  # seconds each taken port is held: about one kernel's start-up


def take_ports(stop: threading.Event) -> None:
    held: collections.deque[tuple[float, socket.socket]] = collections.deque()
    while not stop.is_set():
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        held.append((time.monotonic(), sock))
        while held and held[0][0] < time.monotonic() - HOLD:
            held.popleft()[1].close()
        time.sleep(0.0005)
    for _, sock in held:
        sock.close()


def deaths(manager: type[KernelManager], kernels: int) -> int:
    died = 0
    for _ in range(kernels):
        km = manager(kernel_name="python3")
        with open(os.devnull, "w") as quiet:
            km.start_kernel(stderr=quiet)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=30)
        except RuntimeError:
            died += 1
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return died


def main() -> None:
    kernels = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    stop = threading.Event()
    taker = threading.Thread(target=take_ports, args=(stop,), daemon=True)
    taker.start()
    time.sleep(HOLD)
    try:
        for manager in (KernelManager, UnixSocketKernelManager):
            print(f"{manager.__name__}: {deaths(manager, kernels)} of {kernels} kernels died before replying", flush=True)
    finally:
        stop.set()
        taker.join()


if __name__ == "__main__":
    main()
