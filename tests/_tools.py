"""The scripts of tools/ as modules, for the tests that call their functions."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def load_tool(name: str) -> ModuleType:
    """``tools/<name>.py``, run afresh as the module ``name``. It is registered in ``sys.modules``
    before it runs, as an import would: a dataclass looks its module up there."""
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def usage_error(main: Callable[[list[str]], int], argv: list[str], capsys) -> str:
    """What a tool's ``main(argv)`` writes to stderr when it refuses its arguments: it must exit with
    status 2, as argparse does, never with a traceback."""
    import pytest

    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2, (argv, exc.value.code)
    return capsys.readouterr().err
