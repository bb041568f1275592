"""The package's promises about itself: a cheap import and an explicit public API."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import smtpteach


def test_import_loads_no_heavy_dependency_and_reads_no_data():
    code = (
        "import sys, builtins, json\n"
        "opened = []\n"
        "real_open = builtins.open\n"
        "builtins.open = lambda f, *a, **k: (opened.append(str(f)), real_open(f, *a, **k))[1]\n"
        "import smtpteach\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'sphinx', 'ipywidgets', 'anywidget', 'aiosmtpd', 'yaml', 'traitlets'})\n"
        "print(json.dumps({'heavy': heavy, 'opened': [f for f in opened if 'smtpteach' in f]}))\n"
    )
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert out == {"heavy": [], "opened": []}


def test_every_public_name_resolves_to_what_its_module_defines():
    import inspect

    homes = {"_codes", "_errors", "_entries", "_catalogue", "_compare", "_replies", "_explain", "_triage", "_quiz",
             "_own_quiz", "_samples", "_pairs"}
    for name in smtpteach.__all__:
        value = getattr(smtpteach, name)
        assert name in dir(smtpteach), name
        if name == "__version__":
            assert re.fullmatch(r"\d+\.\d+\.\d+", value), value
        elif name == "FREQUENTLY_CONFUSED":
            assert ("211", "550") in value and all(len(pair) == 2 for pair in value)
        else:  # a class or a function of the package's own, exported under its own name
            assert inspect.isclass(value) or inspect.isfunction(value), name
            assert value.__name__ == name and value.__module__.removeprefix("smtpteach.").split(".")[0] in homes, \
                (name, value.__module__)


def test_unknown_attribute_is_an_attribute_error():
    try:
        smtpteach.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_a_process_the_tests_start_imports_this_tree():
    # the kernels of nbval and of the Sphinx builds are such processes: in a clone tested with another clone's
    # environment, they would import the other clone's package and test its code (a test audit)
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", "import smtpteach; print(smtpteach.__file__)"], cwd="/",
                         capture_output=True, text=True, env=os.environ.copy(), check=True).stdout.strip()
    assert Path(out).resolve().is_relative_to(root), out
