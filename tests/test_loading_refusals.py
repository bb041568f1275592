"""Loading a codes file: what the loader refuses, as the person who wrote the file reads it.

Tests from a deliberate-bug audit: each one fails with a bug that the rest of the suite let through.
"""

from __future__ import annotations

import pytest

from smtpteach import CatalogueError

from .test_catalogue_loading import _change, _own_file, own_codes


@pytest.mark.parametrize("char", ["\x7f", "\x9b", "\x90"], ids=["DEL", "CSI", "DCS"])
def test_prose_with_a_del_or_c1_control_character_is_refused(tmp_path, catalogue, char):
    # C1's CSI (U+009B) starts a terminal escape as ESC [ does, and DEL is no text either: a loader that refused
    # only C0 let "smtpteach show 577" send them to the terminal as they were
    data = own_codes()
    _change(data, "basic/577/text/vi/fix", f"Xem {char}31mlog")
    path = _own_file(tmp_path, data)
    with pytest.raises(CatalogueError) as info:
        catalogue.with_file(path)
    assert str(info.value) == (
        f"{path}, entry '577', field 'text.vi.fix': holds the control character U+{ord(char):04X}")


def test_a_translated_template_that_drops_a_slot_with_an_underscore_is_refused(data_copy):
    # "{a_name}" is a slot like "{a}": when the check saw only slots without "_", a Vietnamese title that lost the
    # codes' names loaded, and every Vietnamese comparison's title went without them
    from smtpteach import Catalogue

    from .test_catalogue_loading import _edit

    _edit(data_copy / "vi" / "ui.yaml", 'title: "SMTP {a} {a_name} vs {b} {b_name}"', 'title: "SMTP {a} vs {b} {b_name}"')
    with pytest.raises(CatalogueError) as info:
        Catalogue(data_copy, root_name="data").check()
    assert str(info.value).startswith("data/vi/, entry 'ui.templates.title': the template's slots differ from en's")
