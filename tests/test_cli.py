from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import smtpteach
from smtpteach.cli import main


def run(capsys, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        import io
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_show(capsys):
    code, out, err = run(capsys, "show", "550")
    assert code == 0 and err == "" and out.startswith("SMTP 550 Mailbox Unavailable") and "How to fix" in out
    code, out, _ = run(capsys, "show", "5.7.1", "--lang", "vi", "--format", "markdown")
    assert code == 0 and out.startswith("# SMTP X.7.1 ") and "## Mô tả" in out
    code, out, _ = run(capsys, "show", "421", "--format", "json")
    data = json.loads(out)
    assert data["code"] == "421" and data["class"] == 4 and data["retry"] == "retry"
    code, out, _ = run(capsys, "show", "550", "--format", "html")
    assert out.startswith('<article class="smtpteach-entry smtpteach-basic" id="smtp-550-en"')


@pytest.mark.parametrize(
    "argv, message",
    [(["show", "559"], "559 is not in the catalogue; did you mean 556, 555, 554?"),
     (["show", "abc"], "'abc' is not a reply code"),
     (["show", "550", "--lang", "fr"], "invalid choice: 'fr'"),
     (["compare", "550", "550"], "both codes are 550"),
     (["compare", "550", "5.1.1"], "two basic codes or two enhanced codes"),
     (["compare", "211"], "the following arguments are required: b"),
     (["parse", "5501 no"], "line 1: '5501' has more than three digits"),
     (["parse", "550 5.01.1 x"], "line 1: enhanced code 5.01.1 writes a number with a leading 0, which RFC 3463 §2 "
                                 "forbids (5.1.1)"),
     (["parse", "550-5.1.1 a\r\n550 b"], "line 2: no enhanced code, but line 1 starts with 5.1.1; RFC 2034 §4"),
     (["list", "--class", "9"], "invalid choice: 9"),
     (["bogus"], "invalid choice: 'bogus'"),
     (["show", "550", "--codes", "/nonexistent/codes.yaml"], "cannot read the file"),
     (["explain", "  "], "nothing to explain: the text is empty"),
     (["search", "  "], "give at least one word to search for")],
)
def test_bad_input_is_one_line_and_status_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv, message", [
    (["search", "zzzqqq"], "smtpteach search: nothing matches 'zzzqqq'"),
    (["list", "--status", "non-standard", "--class", "3"], "smtpteach list: no code matches those filters"),
])
def test_no_match_is_status_1_like_grep_so_scripts_tell_it_from_a_mistake(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "" and err == message + "\n"


def test_list_and_search(capsys):
    code, out, _ = run(capsys, "list", "--class", "4")
    codes = [line.split()[0] for line in out.splitlines()]
    assert code == 0 and codes and all(c.startswith("4") for c in codes) and "421" in codes
    code, out, _ = run(capsys, "list", "--status", "non-standard")
    assert "571" in out and "550" not in out
    code, out, _ = run(capsys, "list", "--enhanced", "--subject", "2")
    assert [line.split()[0] for line in out.splitlines()] == ["X.2.0", "X.2.1", "X.2.2", "X.2.3", "X.2.4"]
    code, out, _ = run(capsys, "search", "mailbox", "full")
    assert "X.2.2" in out


def test_export_contract(capsys):
    code, out, _ = run(capsys, "export", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["schema", "languages", "classes", "categories", "subjects", "basic", "enhanced"]
    assert data["schema"] == 1 and data["languages"] == ["en", "vi"]
    b550 = next(b for b in data["basic"] if b["code"] == "550")
    assert list(b550) == ["code", "class", "category", "status", "references", "commands", "enhanced", "text"]
    assert b550["class"] == 5 and b550["category"] == 5 and b550["status"] == "core"
    assert "RCPT" in b550["commands"] and "5.1.1" in b550["enhanced"]
    assert set(b550["text"]) == {"en", "vi"} and list(b550["text"]["vi"]) == ["name", "description", "when", "fix"]
    x11 = next(e for e in data["enhanced"] if e["code"] == "X.1.1")
    assert list(x11) == ["code", "subject", "detail", "basic_codes", "references", "text"]
    assert x11["basic_codes"] == ["451", "550"]
    assert next(e for e in data["enhanced"] if e["code"] == "X.1.0")["basic_codes"] == []
    assert next(e for e in data["enhanced"] if e["code"] == "X.0.0")["basic_codes"] == ["Any"]
    assert next(e for e in data["enhanced"] if e["code"] == "X.7.17")["basic_codes"] == ["5XX"]
    assert len(data["enhanced"]) == 81 and [c["digit"] for c in data["classes"]] == [2, 3, 4, 5]


def test_compare_formats(capsys):
    code, out, _ = run(capsys, "compare", "421", "450", "--lang", "vi")
    assert code == 0 and out.startswith("SMTP 421") and "Sự khác biệt chính" in out
    code, out, _ = run(capsys, "compare", "421", "450", "--format", "json")
    data = json.loads(out)
    assert data["a"] == "421" and data["differences"][0]["kind"] == "class"


def test_parse_reads_stdin(capsys, monkeypatch):
    code, out, _ = run(capsys, "parse", "-", "--format", "json", stdin="250-a\r\n250 b\r\n", monkeypatch=monkeypatch)
    assert code == 0 and json.loads(out)["lines"] == ["250-a", "250 b"]


def test_python_dash_m_works():
    proc = subprocess.run([sys.executable, "-m", "smtpteach", "show", "211"], capture_output=True, text=True)
    assert proc.returncode == 0 and "System Status" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "smtpteach", "show", "2111"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_explain_formats(capsys, monkeypatch):
    code, out, _ = run(capsys, "explain", "-", "--format", "json", stdin="452 4.2.2 over quota\n", monkeypatch=monkeypatch)
    data = json.loads(out)
    assert code == 0 and (data["basic"], data["enhanced"], data["permanent"], data["reason"], data["retry"]) == \
        ("452", "4.2.2", False, "mailboxfull", "retry")
    code, out, _ = run(capsys, "explain", "550 5.1.1 <b>x</b> user unknown", "--format", "html")
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>" not in out
    code, out, _ = run(capsys, "explain", "550 5.1.1 user unknown", "--lang", "vi")
    assert out.startswith("550 5.1.1: Người nhận không tồn tại.")


@pytest.mark.parametrize(
    "argv, message",
    [(["list", "--subject", "1"], "--subject filters enhanced status codes: add --enhanced"),
     (["list", "--enhanced", "--class", "5"], "with --enhanced, use --subject"),
     (["list", "--enhanced", "--status", "core"], "with --enhanced, use --subject"),
     (["search", "mail", "--limit", "0"], "argument --limit: '0' is too small: it must be at least 1"),
     (["search", "mail", "--limit", "-1"], "argument --limit: '-1' is too small: it must be at least 1"),
     (["search", "mail", "--limit", "x3"], "argument --limit: 'x3' is not a whole number"),
     (["quiz", "--count", "\u0663"], "'\u0663' is not a whole number"),
     (["quiz", "--count", "3_0"], "'3_0' is not a whole number"),
     (["quiz", "--seed", "x1"], "argument --seed: 'x1' is not a whole number")],
)
def test_filters_and_numbers_that_would_be_ignored_are_refused(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err


def test_search_limit_and_a_negative_seed_work(capsys):
    code, out, _ = run(capsys, "search", "mailbox", "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 2
    code, out, _ = run(capsys, "quiz", "--seed", "-5", "--count", "1", "--format", "json")
    assert code == 0 and json.loads(out)["seed"] == -5


def test_quiz_takes_your_own_codes(capsys, tmp_path):
    from .conftest import own_codes_yaml

    codes = tmp_path / "codes.yaml"
    codes.write_text(own_codes_yaml("599", {"name": "Zap Refused", "description": "A made-up refusal.", "when": "Never.",
                                            "fix": "Nothing."},
                                    {"name": "Từ chối Zap", "description": "Một lời từ chối bịa ra.", "when": "Không bao giờ.",
                                     "fix": "Không cần."}), encoding="utf-8")
    code, out, err = run(capsys, "quiz", "--count", "3", "--format", "json", "--codes", str(codes))
    assert code == 0 and err == "" and len(json.loads(out)["questions"]) == 3
    code, out, err = run(capsys, "quiz", "--count", "3", "--codes", str(tmp_path / "missing.yaml"))
    assert code == 2 and "cannot read the file" in err


def _cli(args, **kw):
    return subprocess.run([sys.executable, "-m", "smtpteach", *args], capture_output=True, **kw)


@pytest.mark.parametrize("argv", [["parse", "-"], ["explain", "-"], ["quiz", "--count", "2"]])
def test_a_closed_stdin_is_one_line(argv):
    # as `smtpteach parse - <&-` does: with fd 0 closed, Python sets sys.stdin to None
    proc = subprocess.run(f"{sys.executable} -m smtpteach {' '.join(argv)} <&-", shell=True, capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "standard input" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_terminal_that_cannot_show_vietnamese_gets_escapes():
    import os

    proc = _cli(["show", "550", "--lang", "vi"], env=dict(os.environ, PYTHONIOENCODING="ascii", LC_ALL="C"))
    assert proc.returncode == 0 and proc.stderr == b""
    assert b"H\\u1ed9p th\\u01b0 kh\\xf4ng kh\\u1ea3 d\\u1ee5ng" in proc.stdout


def test_output_that_cannot_be_written():
    # the reader goes away: quiet, status 0, and no "Exception ignored" from Python's exit flush
    proc = subprocess.run(f"{sys.executable} -m smtpteach export | true", shell=True, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == ""
    # status 74 (sysexits.h's EX_IOERR): 1 is "nothing found", which a script reads as a search that found nothing
    full = subprocess.run(f"{sys.executable} -m smtpteach show 550 > /dev/full", shell=True, capture_output=True, text=True)
    assert full.returncode == 74 and full.stderr == "smtpteach: cannot write the output: No space left on device\n"
    closed = subprocess.run(f"{sys.executable} -m smtpteach show 550 >&-", shell=True, capture_output=True, text=True)
    assert closed.returncode == 74 and closed.stderr == "smtpteach: standard output is closed\n"
    import smtpteach

    streamed = subprocess.run(f"{sys.executable} -m smtpteach triage {smtpteach.sample_path('mail.log')} >&-", shell=True,
                              capture_output=True, text=True)  # written as it goes
    assert streamed.returncode == 74 and streamed.stderr == "smtpteach: standard output is closed\n"


@pytest.mark.parametrize("command", [
    "triage {log}", "triage {log} --format jsonl", "triage {log} --format csv", "triage {log} --format html",
    "quiz --count 1 --seed 1 < {answers}",  # written as it goes, not at the end as the others
])
def test_output_written_as_it_goes_that_cannot_be_written(command, tmp_path):
    import smtpteach

    answers = tmp_path / "answers"
    answers.write_text("1\n", encoding="utf-8")
    cmd = command.format(log=smtpteach.sample_path("mail.log"), answers=answers)
    proc = subprocess.run(f"{sys.executable} -m smtpteach {cmd} > /dev/full", shell=True, capture_output=True, text=True)
    assert (proc.returncode, proc.stderr) == (74, "smtpteach: cannot write the output: No space left on device\n")


@pytest.mark.parametrize(("argv", "message"), [
    ("explain -", "smtpteach: cannot read standard input: Bad file descriptor"),
    ("parse -", "smtpteach: cannot read standard input: Bad file descriptor"),
    ("quiz --count 1", "smtpteach quiz: cannot read the answers from standard input: Bad file descriptor"),
])
def test_standard_input_that_cannot_be_read(argv, message, tmp_path):
    # standard input open for writing only: reading it fails with EBADF
    proc = subprocess.run(f"{sys.executable} -m smtpteach {argv} 0>{tmp_path / 'out'}", shell=True,
                          capture_output=True, text=True)
    assert (proc.returncode, proc.stderr.splitlines()[-1:]) == (2, [message]) and "Traceback" not in proc.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_text_with_a_byte_order_mark(encoding):
    raw = ("\ufeff" if encoding == "utf-16-le" else "") + "550 5.1.1 Hộp thư không tồn tại\n"
    for command in ("explain", "parse"):
        proc = _cli([command, "-"], input=raw.encode(encoding))
        assert proc.returncode == 0 and proc.stderr == b"", (command, proc.stderr)
        assert (b"550 5.1.1" if command == "explain" else b"code: 550 5.1.1") in proc.stdout


def test_binary_input_is_no_text():
    proc = _cli(["explain", "-"], input=b"550 5.1.1 \x00\x01\x02 user unknown")
    assert proc.returncode == 2 and proc.stderr == b"smtpteach: standard input holds NUL bytes (at offset 10): it is not text\n"
    odd = _cli(["explain", "-"], input=b"\xff\xfe5\x005\x00\x00")  # a BOM, then an odd number of bytes
    assert odd.returncode == 2 and odd.stderr == b"smtpteach: standard input starts as UTF-16 but is not UTF-16\n"


@pytest.mark.parametrize(("argv", "message"), [
    (["list", "--class", "\uff15"], "smtpteach list: argument --class: '\uff15' is not a whole number"),  # a full-width 5
    (["list", "--class", "0_5"], "smtpteach list: argument --class: '0_5' is not a whole number"),
    (["list", "--enhanced", "--subject", "\u0667"], "smtpteach list: argument --subject: '\u0667' is not a whole number"),
    (["show", "   "], "smtpteach: '   ' is not a reply code (three digits, 2xx-5xx) or an enhanced status code (such as 5.1.1)"),
])
def test_what_the_user_typed_is_named_as_typed(argv, message):
    proc = _cli(argv, text=True)
    assert (proc.returncode, proc.stderr) == (2, message + "\n")


def test_search_words_that_are_not_utf8():
    proc = subprocess.run(f"{sys.executable} -m smtpteach search $(printf '\\377\\376')", shell=True,
                          capture_output=True, executable="/bin/bash")
    assert (proc.returncode, proc.stderr) == (2, b"smtpteach: the text is not UTF-8: byte 0xff at offset 0\n")


def test_text_that_is_not_utf8():
    bad = b"550 5.1.1 user \xff\xfe unknown"
    proc = _cli(["parse", "-"], input=bad)
    assert proc.returncode == 2 and proc.stderr == b"smtpteach: standard input is not UTF-8: byte 0xff at offset 15\n"
    proc = _cli(["explain", "-", "--format", "json"], input=bad)  # lenient: each bad byte becomes U+FFFD
    assert proc.returncode == 0 and json.loads(proc.stdout)["reason"] == "userunknown"
    proc = _cli(["parse", b"550 \xff x"])  # an argument the shell passed as raw bytes
    assert proc.returncode == 2 and proc.stderr == b"smtpteach: the text is not UTF-8: byte 0xff at offset 4\n"


def test_bare_command_prints_usage_to_stderr():
    proc = _cli([], text=True)
    assert proc.returncode == 2 and proc.stdout == "" and proc.stderr.startswith("usage: smtpteach")


def test_the_registry_wording_is_shown_in_the_page_language(capsys):
    _, out, _ = run(capsys, "show", "X.3.6", "--lang", "vi")
    assert "250 hoặc 251" in out and "250 or 251" not in out
    _, out, _ = run(capsys, "show", "X.0.0", "--lang", "vi")
    assert "(theo registry): Bất kỳ" in out
    _, out, _ = run(capsys, "show", "X.3.6")
    assert "250 or 251" in out


# -- the machine-readable outputs, whole, and the input paths, in this process ---------------
# (the subprocess tests above show the real command; these reach the same code where mutation testing sees it)

def _entry_contract(entry, lang: str) -> dict:
    """What `show --format json` promises for an entry, written out from the catalogue's own fields."""
    out = {"code": entry.key, "kind": entry.kind}
    if entry.kind == "basic":
        out |= {"class": int(entry.key[0]), "category": int(entry.key[1]), "status": entry.status,
                "commands": list(entry.commands), "retry": entry.retry, "actor": entry.actor,
                "enhanced": list(entry._catalogue.related_enhanced(entry.key))}
    else:
        subject, detail = entry.key.split(".")[1:]
        out |= {"subject": int(subject), "detail": int(detail), "title": entry.title,
                "basic_codes": list(entry.basic_codes), "deprecated_by": entry.deprecated_by or None}
    text = entry.text(lang=lang)
    return out | {"references": list(entry.references),
                  "text": {lang: {f: getattr(text, f) for f in ("name", "description", "when", "fix")}}}


@pytest.mark.parametrize("code, lang", [("550", "en"), ("535", "vi"), ("X.7.14", "vi"), ("X.6.10", "en"), ("5.2.2", "en")])
def test_show_json_is_the_whole_entry(capsys, catalogue, code, lang):
    status, out, err = run(capsys, "show", code, "--format", "json", "--lang", lang)
    assert status == 0 and err == ""
    entry = catalogue.lookup(code)
    assert json.loads(out) == _entry_contract(entry, lang)
    assert out.startswith('{\n  "code": ')  # indented by two
    if lang == "vi":
        assert entry.text(lang="vi").name in out  # Vietnamese as it is written, not as \u escapes


def test_show_json_names_what_replaces_a_deprecated_code(capsys):
    _, out, _ = run(capsys, "show", "X.6.10", "--format", "json")
    data = json.loads(out)
    assert data["deprecated_by"] == "X.6.8" and data["basic_codes"] == [] and data["references"] == ["RFC 6531 §4.2"]


@pytest.mark.parametrize("fmt, expected", [
    ("text", "code: 550 5.1.1\nlines: 2\ntext:\n  Xin chào\n  user unknown\n"),
    ("json", '{\n  "code": "550",\n  "enhanced": "5.1.1",\n  "lines": [\n    "550-5.1.1 Xin chào",\n'
             '    "550 5.1.1 user unknown"\n  ],\n  "text": "Xin chào\\nuser unknown"\n}\n'),
])
def test_parse_prints_the_reply_whole(capsys, monkeypatch, fmt, expected):
    status, out, err = run(capsys, "parse", "-", "--format", fmt, stdin="550-5.1.1 Xin chào\r\n550 5.1.1 user unknown\r\n",
                           monkeypatch=monkeypatch)
    assert (status, out, err) == (0, expected, "")


def test_parse_without_an_enhanced_code(capsys):
    assert run(capsys, "parse", "250 ok") == (0, "code: 250\nlines: 1\ntext:\n  ok\n", "")
    status, out, _ = run(capsys, "parse", "250 ok", "--format", "json")
    assert json.loads(out) == {"code": "250", "enhanced": None, "lines": ["250 ok"], "text": "ok"}


class _BytesStdin:
    """Standard input as the terminal gives it: text on top of a byte buffer."""

    def __init__(self, data: bytes):
        import io

        self.buffer = io.BytesIO(data)

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("argv, data, expected", [
    (["parse", "-"], b"550 caf\xc3\xa9 \xff", (2, "", "smtpteach: standard input is not UTF-8: byte 0xff at offset 10\n")),
    (["parse", "-"], "550 Hộp thư đầy".encode(), (0, "code: 550\nlines: 1\ntext:\n  Hộp thư đầy\n", "")),
])
def test_standard_input_is_read_as_utf8_bytes(capsys, monkeypatch, argv, data, expected):
    monkeypatch.setattr(sys, "stdin", _BytesStdin(data))
    assert run(capsys, *argv) == expected


def test_explain_reads_bad_bytes_leniently(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _BytesStdin(b"550 5.1.1 \xff user unknown"))
    status, out, _ = run(capsys, "explain", "-", "--format", "json")
    data = json.loads(out)
    assert status == 0 and (data["basic"], data["enhanced"], data["reason"]) == ("550", "5.1.1", "userunknown")


def test_an_argument_of_undecodable_bytes(capsys):
    # what Python makes of argv bytes that are not UTF-8: lone surrogates, which come back as the bytes they were
    assert run(capsys, "parse", "550 caf\udcc3\udca9") == (0, "code: 550\nlines: 1\ntext:\n  café\n", "")
    assert run(capsys, "parse", "550 \udcff x") == (2, "", "smtpteach: the text is not UTF-8: byte 0xff at offset 4\n")


@pytest.mark.parametrize("argv", [["parse", "-"], ["explain", "-"]])
def test_a_closed_stdin_in_this_process(capsys, monkeypatch, argv):
    monkeypatch.setattr(sys, "stdin", None)
    assert run(capsys, *argv) == (2, "", "smtpteach: '-' reads standard input, but standard input is closed\n")


class _Terminal(_BytesStdin):
    def isatty(self) -> bool:
        return True


def test_triage_usage_errors_in_this_process(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "stdin", _Terminal(b""))
    assert run(capsys, "triage") == (
        2, "", "smtpteach triage: give a log file, a mailbox or a folder of bounces, or pipe a log into it\n")
    assert run(capsys, "triage", "-", "-") == (2, "", "smtpteach triage: '-' (standard input) can be read once only\n")
    monkeypatch.setattr(sys, "stdin", None)
    assert run(capsys, "triage", "-") == (
        2, "", "smtpteach triage: '-' reads standard input, but standard input is closed\n")
    # a file named on the command line needs no standard input at all
    log = tmp_path / "replies.txt"
    log.write_text("550 5.1.1 user unknown\n", encoding="utf-8")
    status, out, _ = run(capsys, "triage", str(log), "--format", "jsonl")
    assert status == 0 and json.loads(out)["reason"] == "userunknown"


def test_triage_reads_a_pipe_when_no_file_is_named(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _BytesStdin("452 4.2.2 Hộp thư đầy\n".encode()))
    status, out, err = run(capsys, "triage", "--format", "jsonl")
    record = json.loads(out)
    assert status == 0 and err == "" and (record["source"], record["line"], record["reason"]) == ("-", 1, "mailboxfull")
    assert "Hộp thư đầy" in out  # written as it is, not as \u escapes


def test_triage_csv_rows(capsys, tmp_path):
    from smtpteach._triage import FIELDS

    log = tmp_path / "replies.txt"
    log.write_text("550 5.1.1 user unknown\n421 4.7.0 try later\n250 2.0.0 ok\n", encoding="utf-8")
    status, out, _ = run(capsys, "triage", str(log), "--format", "csv")
    assert status == 0 and "\r" not in out
    lines = out.split("\n")
    assert lines[0] == ",".join(FIELDS) and lines[-1] == "" and len(lines) == 5
    import csv

    rows = [dict(zip(FIELDS, row)) for row in csv.reader(lines[1:-1])]
    assert [(r["basic"], r["permanent"], r["status"]) for r in rows] == [
        ("550", "true", "bounced"), ("421", "false", "deferred"), ("250", "", "delivered")]


def test_triage_loads_the_codes_file_it_is_given(capsys, tmp_path):
    bad = tmp_path / "codes.yaml"
    bad.write_text("- not a mapping\n", encoding="utf-8")
    log = tmp_path / "replies.txt"
    log.write_text("550 5.1.1 user unknown\n", encoding="utf-8")
    status, out, err = run(capsys, "triage", str(log), "--codes", str(bad))
    assert (status, out) == (2, "") and err == f"smtpteach: {bad}: the file must hold a mapping at the top\n"


@pytest.mark.parametrize("argv", [["explain", "550 5.1.1 Hộp thư không tồn tại", "--format", "json", "--lang", "vi"],
                                  ["quiz", "--count", "1", "--seed", "3", "--format", "json", "--lang", "vi"],
                                  ["compare", "450", "550", "--format", "json", "--lang", "vi"]])
def test_json_outputs_are_indented_and_keep_vietnamese_as_written(capsys, argv):
    status, out, _ = run(capsys, *argv)
    assert status == 0 and out.startswith('{\n  "') and "\\u" not in out
    assert json.loads(out)  # and it is JSON
    assert any(ch in out for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def test_explain_of_nothing_in_this_process(capsys):
    assert run(capsys, "explain", "   ") == (2, "", "smtpteach explain: nothing to explain: the text is empty\n")


def test_explain_given_a_file_s_name_says_so_rather_than_explaining_the_name(capsys, monkeypatch, tmp_path):
    # "smtpteach explain bounce.eml" for "smtpteach explain - < bounce.eml": the name names no cause, and the
    # operator who typed it is to learn that, not read "Undetermined" with status 0
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bounce.eml").write_text("Subject: Undelivered Mail Returned to Sender\n")
    (tmp_path / "bounces").mkdir()
    for name in ("bounce.eml", "bounces"):
        assert run(capsys, "explain", name) == (
            2, "", f"smtpteach explain: {name} is the name of a file or folder, not a reply: read a bounce with "
                   f"smtpteach explain - < FILE, a log or a folder with smtpteach triage {name}\n")
    # a reply, or a code, that happens to be a file's name here is explained as it is; and a name of no file too
    (tmp_path / "550").write_text("")
    (tmp_path / "550 5.1.1 User unknown").write_text("")
    for text in ("550", "550 5.1.1 User unknown", "nothing.eml"):
        status, out, err = run(capsys, "explain", text)
        assert status == 0 and err == "" and out


def test_explain_refuses_a_file_s_name_only_when_it_is_a_one_line_argument_with_no_code_and_no_cause(
        capsys, monkeypatch, tmp_path):
    # the refusal is for a name typed where a reply was meant; each other condition keeps a text explained as it is
    monkeypatch.chdir(tmp_path)
    for name in ("bounce.eml", "mailbox full", "5.0.0", "bounce\n.eml"):
        (tmp_path / name).write_text("")
    # a cause and no code ("mailbox full"), an enhanced code and no cause ("5.0.0"), a name with a line break
    for text, reason in (("mailbox full", "mailboxfull"), ("5.0.0", "undefined"), ("bounce\n.eml", "undefined")):
        status, out, err = run(capsys, "explain", text, "--format", "json")
        assert (status, err, json.loads(out)["reason"]) == (0, "", reason), text
    # the text read from standard input is what a server said, even when a file of that name is here
    status, out, err = run(capsys, "explain", "-", "--format", "json", stdin="bounce.eml", monkeypatch=monkeypatch)
    assert (status, err, json.loads(out)["reason"]) == (0, "", "undefined")
    assert run(capsys, "explain", "bounce.eml")[0] == 2


def test_an_interactive_quiz_needs_a_terminal_in_this_process(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    assert run(capsys, "quiz", "--count", "1", "--format", "interactive") == (
        2, "", "smtpteach quiz: an interactive quiz needs standard input and output; try --format text\n")


def _ascii_stream() -> io.TextIOWrapper:
    """A stream whose terminal shows ASCII only, as an old console or LANG=C does."""
    return io.TextIOWrapper(io.BytesIO(), encoding="ascii", write_through=True)


def _written(stream: io.TextIOWrapper) -> str:
    return stream.buffer.getvalue().decode("ascii")


def test_a_terminal_that_shows_ascii_only_gets_escapes_not_a_traceback(monkeypatch):
    out, err = _ascii_stream(), _ascii_stream()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["show", "552", "--lang", "vi"]) == 0
    name = smtpteach.lookup("552").text(lang="vi").name
    assert name.encode("ascii", "backslashreplace").decode() in _written(out) and name not in _written(out)
    assert main(["show", "Hộp"]) == 2  # the error names what was typed, escaped the same way
    assert _written(err) == "smtpteach: 'H\\u1ed9p' is not a reply code (three digits, 2xx-5xx) or an enhanced status code (such as 5.1.1)\n"


class _Full(io.StringIO):
    def write(self, text):
        raise OSError(28, "No space left on device")


def test_output_that_cannot_be_written_is_one_line_and_status_74(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdout", _Full())
    assert main(["show", "550"]) == 74
    assert capsys.readouterr().err == "smtpteach: cannot write the output: No space left on device\n"
    monkeypatch.setattr(sys, "stdout", None)
    assert main(["show", "550"]) == 74
    assert capsys.readouterr().err == "smtpteach: standard output is closed\n"


@pytest.mark.parametrize("argv, message", [
    (["list", "--enhanced", "--class", "5"],
     "smtpteach list: --class and --status filter reply codes; with --enhanced, use --subject"),
    (["list", "--subject", "7"], "smtpteach list: --subject filters enhanced status codes: add --enhanced"),
    (["search", " "], "smtpteach search: give at least one word to search for"),
])
def test_usage_errors_of_list_and_search_in_this_process(capsys, argv, message):
    assert run(capsys, *argv) == (2, "", message + "\n")


def test_list_search_and_export_read_the_codes_file_given(capsys, tmp_path):
    from .conftest import own_codes_yaml

    codes = tmp_path / "codes.yaml"
    en = {"name": "Quarantined by the gateway", "description": "Held.", "when": "After DATA.", "fix": "Ask."}
    vi = {"name": "Bị cổng lọc giữ lại", "description": "Bị giữ.", "when": "Sau DATA.", "fix": "Hỏi."}
    codes.write_text(own_codes_yaml("577", en, vi), encoding="utf-8")
    _, out, _ = run(capsys, "list", "--codes", str(codes))
    assert "577" in out
    _, out, _ = run(capsys, "search", "quarantined", "--codes", str(codes))
    assert out.startswith("577")
    status, out, _ = run(capsys, "export", "--codes", str(codes))
    data = json.loads(out)
    assert status == 0 and "577" in {e["code"] for e in data["basic"]}
    assert out.startswith('{\n "') and "Bị cổng lọc giữ lại" in out  # indented by one, Vietnamese as written
    assert data["classes"][0] == {"digit": 2, "references": ["RFC 5321 §4.2.1"],
                                  "text": data["classes"][0]["text"]} and set(data["classes"][0]["text"]) == {"en", "vi"}


def test_a_latin1_terminal_keeps_what_it_can_show(monkeypatch):
    out = io.TextIOWrapper(io.BytesIO(), encoding="latin-1", write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["parse", "550 café Hộp"]) == 0
    assert out.buffer.getvalue().decode("latin-1") == "code: 550\nlines: 1\ntext:\n  café H\\u1ed9p\n"


def test_errors_go_to_a_stderr_that_names_no_encoding(monkeypatch):
    err = io.StringIO()  # encoding None, as some embedding programs give
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["show", "Hộp"]) == 2
    assert err.getvalue() == ("smtpteach: 'Hộp' is not a reply code (three digits, 2xx-5xx) or an enhanced status code "
                              "(such as 5.1.1)\n")


def test_the_help_names_every_command_and_what_it_does(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: smtpteach [-h] [--version] COMMAND ...")
    assert "Learn and look up SMTP reply codes." in out
    for command, help_ in [("show", "show one code"), ("list", "list codes"), ("search", "search codes by words"),
                           ("export", "export the whole catalogue"), ("compare", "compare two codes"),
                           ("parse", "parse one reply strictly (RFC 5321 §4.2); '-' reads stdin"),
                           ("explain", "explain a reply, a bounce or a log line; '-' reads stdin"),
                           ("quiz", "take a quiz in the terminal")]:
        assert f"    {command:<9} {help_}" in out, command
    assert " triage    explain a whole mail log or folder of bounces, record by record;" in out
    assert main(["--version"]) == 0 and capsys.readouterr().out == "smtpteach 0.1.0\n"
    assert main([]) == 2 and capsys.readouterr().err.startswith("usage: smtpteach [-h] [--version] COMMAND ...")


def test_the_help_of_a_command_says_what_each_option_is(capsys):
    assert main(["show", "--help"]) == 0
    lines = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    # whole lines, so that a word added or changed around them is seen
    for line in ["code a reply code (550) or an enhanced status code (5.1.1)",
                 "--lang {en,vi} language of the prose (default en)",
                 "--format {text,markdown,html,json}", "output format (default text)",
                 "--codes FILE also load your own codes from this YAML file"]:
        assert line in lines, line
    assert main(["--help"]) == 0
    assert "Learn and look up SMTP reply codes." in capsys.readouterr().out.splitlines()


def test_a_command_missing_its_argument_says_so_in_one_line(capsys):
    assert run(capsys, "show") == (2, "", "smtpteach show: the following arguments are required: code\n")
    assert run(capsys, "compare", "550") == (2, "", "smtpteach compare: the following arguments are required: b\n")


def test_the_triage_help_says_what_it_reads_and_writes(capsys):
    assert main(["triage", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "log files, .eml files, mbox files, Maildirs or folders (gzip too); '-' or none reads stdin" in out
    assert "a summary table (default), one JSON record per line, CSV, or an HTML report with a chart" in out
    assert "--top TOP" in out and "--show-unrecognised" in out


class _GoneReader(io.StringIO):
    """Standard output whose reader went away (``| head -1``), on a real file descriptor."""

    def __init__(self, fd: int):
        super().__init__()
        self._fd = fd

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self._fd


def test_a_reader_that_went_away_is_a_quiet_success(capsys, monkeypatch, tmp_path):
    import os

    target = tmp_path / "out.txt"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT)
    try:
        monkeypatch.setattr(sys, "stdout", _GoneReader(fd))
        assert main(["show", "550"]) == 0
        os.write(fd, b"after")  # the descriptor now leads to the null device, not to the file
    finally:
        os.close(fd)
    assert capsys.readouterr().err == "" and target.read_bytes() == b""


def test_unrecognised_lines_are_shown_by_their_first_line_up_to_300_characters(capsys, tmp_path):
    log = tmp_path / "mixed.txt"
    long_line = "x" * 350
    log.write_text(f"550 5.1.1 no such user\n{long_line}\n", encoding="utf-8")
    status, out, err = run(capsys, "triage", str(log), "--show-unrecognised", "--format", "jsonl")
    assert status == 0 and err == f"{log}:2: unrecognised: {'x' * 300}\n"


# -- what the full mutation run of cli found untested ------------------------------------------------------------

def _mail_log() -> str:
    import smtpteach

    return str(smtpteach.sample_path("mail.log"))


def test_triage_shows_as_many_domains_as_asked_in_the_table_and_the_report(capsys):
    for fmt in ("table", "html"):
        code, one, _ = run(capsys, "triage", _mail_log(), "--format", fmt, "--top", "1")
        code5, five, _ = run(capsys, "triage", _mail_log(), "--format", fmt)
        assert code == code5 == 0 and len(one) < len(five)
        assert one.count("city.example") >= 1 and five.count(".example") > one.count(".example")
    code, table, _ = run(capsys, "triage", _mail_log())
    assert table.endswith("Log lines that report no delivery attempt: 427\n") and not table.endswith("\n\n")


def test_triage_names_the_first_line_of_what_it_could_not_read(capsys, tmp_path):
    log = tmp_path / "odd.log"
    log.write_text("weird first line\n  folded second line\n  folded third line\n", encoding="utf-8")
    code, out, err = run(capsys, "triage", "--show-unrecognised", str(log))
    assert code == 1 and err.splitlines()[0] == f"{log}:1: unrecognised: weird first line"


def test_triage_of_standard_input_that_is_no_byte_stream(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("550 5.1.1 no such user\n"))  # text only, no .buffer
    code, out, err = run(capsys, "triage", "-")
    assert code == 2 and err == "smtpteach triage: '-' reads standard input, but standard input is closed\n"


def test_a_streamed_table_on_a_terminal_that_cannot_show_vietnamese_gets_escapes():
    import os

    proc = _cli(["triage", _mail_log(), "--lang", "vi"], env=dict(os.environ, PYTHONIOENCODING="ascii", LC_ALL="C"))
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout.isascii() and b"\\u" in proc.stdout


def test_ctrl_c_is_status_130_and_no_traceback(capsys, monkeypatch):
    import smtpteach.cli as cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_show", interrupted)
    assert cli.main(["show", "550"]) == 130 and capsys.readouterr() == ("", "")
    # ... also while the output is written, into a slow pipe ("smtpteach export | less")
    monkeypatch.undo()
    monkeypatch.setattr(cli, "_write", interrupted)
    assert cli.main(["show", "550"]) == 130 and capsys.readouterr() == ("", "")


def test_every_commands_help_reads_as_written(monkeypatch, capsys):
    """The help of every command, whole, against tests/data/cli-help.txt: a word changed in any option's help is seen.
    (Regenerate it with: COLUMNS=100 python -m smtpteach COMMAND --help, for each command, after a deliberate change.)"""
    monkeypatch.setenv("COLUMNS", "100")
    shown = []
    for command in ([], ["show"], ["list"], ["search"], ["export"], ["compare"], ["parse"], ["explain"], ["triage"],
                    ["quiz"]):
        assert main([*command, "--help"]) == 0
        shown.append(f"$ smtpteach {' '.join([*command, '--help'])}\n{capsys.readouterr().out}")
    want = (Path(__file__).parent / "data" / "cli-help.txt").read_text(encoding="utf-8")
    assert "\n".join(shown) == want


# -- the same input and output paths in this process (the tests above run the command line as a program, which
#    mutation testing cannot see into) --------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_text_with_a_byte_order_mark_in_this_process(capsys, monkeypatch, encoding):
    text = "550 5.1.1 Hộp thư không tồn tại\n"
    raw = ("\ufeff" if encoding == "utf-16-le" else "") + text
    for command in ("explain", "parse"):
        monkeypatch.setattr(sys, "stdin", _BytesStdin(text.encode("utf-8")))
        plain = run(capsys, command, "-")
        monkeypatch.setattr(sys, "stdin", _BytesStdin(raw.encode(encoding)))
        # the mark is no text: the same answer, byte for byte, as for the text in UTF-8 without one
        assert run(capsys, command, "-") == plain and plain[0] == 0 and "550 5.1.1" in plain[1]


@pytest.mark.parametrize(("data", "message"), [
    (b"550 5.1.1 \x00\x01\x02 user unknown", "smtpteach: standard input holds NUL bytes (at offset 10): it is not text"),
    (b"\x00550 user unknown \x00", "smtpteach: standard input holds NUL bytes (at offset 0): it is not text"),
    # a UTF-8 mark, then a NUL: the offset counts from after the mark
    (b"\xef\xbb\xbf550\x00", "smtpteach: standard input holds NUL bytes (at offset 3): it is not text"),
    (b"\xff\xfe5\x005\x00\x00", "smtpteach: standard input starts as UTF-16 but is not UTF-16"),
    (b"550 5.1.1 H\xf4p th\xfa", "smtpteach: standard input is not UTF-8: byte 0xf4 at offset 11"),
])
def test_binary_or_broken_input_in_this_process(capsys, monkeypatch, data, message):
    monkeypatch.setattr(sys, "stdin", _BytesStdin(data))
    assert run(capsys, "parse", "-") == (2, "", message + "\n")


class _Unreadable(_BytesStdin):
    def __init__(self, error: OSError):
        self.buffer = self
        self.error = error

    def read(self) -> bytes:
        raise self.error


@pytest.mark.parametrize(("error", "said"), [(OSError(5, "Input/output error"), "Input/output error"),
                                             (OSError("not readable"), "not readable")])
def test_standard_input_that_cannot_be_read_in_this_process(capsys, monkeypatch, error, said):
    monkeypatch.setattr(sys, "stdin", _Unreadable(error))
    assert run(capsys, "explain", "-") == (2, "", f"smtpteach: cannot read standard input: {said}\n")


def test_a_streamed_triage_on_a_terminal_that_shows_ascii_only_in_this_process(monkeypatch):
    """triage writes as it reads: a character the terminal cannot show is written as an escape, and the rest as it is."""
    out, err = _ascii_stream(), _ascii_stream()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdin", _BytesStdin("550 5.1.1 <a@b.example>: user unknown\n".encode()))
    assert main(["triage", "-", "--lang", "vi", "--format", "jsonl"]) == 0
    record = json.loads(_written(out))  # JSON's own escapes: the same record as on a terminal that shows all
    monkeypatch.setattr(sys, "stdin", _BytesStdin("550 5.1.1 <a@b.example>: user unknown\n".encode()))
    assert main(["triage", "-", "--lang", "vi"]) == 0
    shown = _written(out).split("\n", 1)[1]
    name = smtpteach.explain("550 5.1.1 user unknown", lang="vi").reason_name
    assert name.encode("ascii", "backslashreplace").decode() in shown and "\\u" in shown
    assert record["reason"] == "userunknown" and _written(err) == ""


class _NoEncoding(io.StringIO):
    """A stream that cannot take text outside ASCII and does not say its encoding."""
    encoding = None

    def write(self, text):
        if not text.isascii():
            raise UnicodeEncodeError("ascii", text, 0, 1, "not ASCII")
        return super().write(text)


def test_a_streamed_triage_to_a_stream_that_names_no_encoding_is_written_as_ascii(monkeypatch):
    out = _NoEncoding()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stdin", _BytesStdin("550 5.1.1 <a@b.example>: user unknown\n".encode()))
    assert main(["triage", "-", "--lang", "vi"]) == 0
    name = smtpteach.explain("550 5.1.1 user unknown", lang="vi").reason_name
    assert name.encode("ascii", "backslashreplace").decode() in out.getvalue()


def test_a_streamed_triage_that_cannot_be_written_in_this_process(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _BytesStdin(b"550 5.1.1 user unknown\n"))
    monkeypatch.setattr(sys, "stdout", _Full())
    assert main(["triage", "-"]) == 74
    assert capsys.readouterr().err == "smtpteach: cannot write the output: No space left on device\n"
    monkeypatch.setattr(sys, "stdin", _BytesStdin(b"550 5.1.1 user unknown\n"))
    monkeypatch.setattr(sys, "stdout", None)
    assert main(["triage", "-"]) == 74
    assert capsys.readouterr().err == "smtpteach: standard output is closed\n"


def test_the_defaults_the_help_states_are_the_defaults(capsys, monkeypatch):
    """The help says "default 20", "default 5", "default 0": leaving an option out gives what giving its default does,
    and something else than giving another value (where the data can tell them apart)."""
    def same(argv: list[str], other: list[str]) -> bool:
        return run(capsys, *argv) == run(capsys, *other)

    assert len(run(capsys, "search", "mail")[1].splitlines()) == 20
    assert len(run(capsys, "search", "mail", "--limit", "21")[1].splitlines()) == 21
    assert same(["export"], ["export", "--format", "json"])
    assert same(["parse", "550 x"], ["parse", "550 x", "--format", "text"])
    assert not same(["parse", "550 x"], ["parse", "550 x", "--format", "json"])
    assert same(["quiz", "--format", "text"], ["quiz", "--format", "text", "--count", "5", "--seed", "0"])
    assert not same(["quiz", "--format", "text"], ["quiz", "--format", "text", "--count", "6"])
    assert not same(["quiz", "--format", "text"], ["quiz", "--format", "text", "--seed", "1"])
    # seven receiving domains for one reason: the table shows five of them unless told otherwise
    log = "".join(f"Dec  4 10:00:0{n} mx postfix/smtp[1]: A{n}: to=<u@d{n}.example>, relay=mx.d{n}.example[192.0.2.1]:25, "
                  f"dsn=5.1.1, status=bounced (host mx.d{n}.example[192.0.2.1] said: 550 5.1.1 no such user)\n"
                  for n in range(7)).encode()

    def table(*extra):
        monkeypatch.setattr(sys, "stdin", _BytesStdin(log))
        return run(capsys, "triage", "-", *extra)

    assert table() == table("--top", "5") and table() != table("--top", "6")


@pytest.mark.parametrize("argv, status", [
    (["show", "a" * 100_000], 2), (["compare", "550", "b" * 100_000], 2), (["search", "c" * 100_000], 1),
    (["quiz", "--format", "text", "--topics", "d" * 100_000], 2),
])
def test_an_error_about_a_huge_argument_quotes_its_start_and_says_how_long_it_was(argv, status, capsys):
    # a bad-input review: the whole 100 KB argument came back on standard error
    assert main(argv) == status
    err = capsys.readouterr().err
    assert len(err) < 400 and err.count("\n") == 1
    assert "...' (100000 characters)" in err and argv[-1][:60] in err and argv[-1][:61] not in err


def test_an_error_is_said_in_the_language_asked_for_where_it_is_worded(capsys, monkeypatch):
    import smtpteach.cli as cli
    from smtpteach import ReplyCode

    def broken(args):
        ReplyCode("1xx")

    monkeypatch.setattr(cli, "cmd_show", broken)
    assert cli.main(["show", "550", "--lang", "vi"]) == 2
    assert capsys.readouterr().err == ("smtpteach: '1xx' không phải mã phản hồi SMTP: mã phải có ba chữ số, chữ số đầu "
                                       "từ 2 đến 5\n")
    assert cli.main(["show", "550"]) == 2
    assert capsys.readouterr().err == "smtpteach: '1xx' is not an SMTP reply code: it needs three digits, the first 2 to 5\n"


def test_parse_says_a_broken_reply_s_fault_in_the_language_asked_for(capsys):
    assert main(["parse", "--lang", "vi", "250-mx.example.org\n251 OK"]) == 2
    assert capsys.readouterr().err == ("smtpteach: dòng 2: mã 251 khác với mã 250 ở dòng 1; mọi dòng của một phản hồi "
                                       "nhiều dòng đều mang cùng một mã\n")
    assert main(["parse", "250-mx.example.org\n251 OK"]) == 2
    assert capsys.readouterr().err == ("smtpteach: line 2: code 251 differs from 250 on line 1; every line of a "
                                       "multi-line reply carries the same code\n")


def test_a_quoted_argument_is_cut_from_80_characters_on(capsys):
    assert main(["show", "q" * 79]) == 2
    assert "'" + "q" * 79 + "'" in capsys.readouterr().err
    assert main(["show", "q" * 80]) == 2
    err = capsys.readouterr().err
    assert "'" + "q" * 60 + "...' (80 characters)" in err and "q" * 61 not in err


class _Full:
    """A stream on a full disk: every write fails, as on /dev/full with PYTHONUNBUFFERED set."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")

    def flush(self) -> None:
        raise OSError(28, "No space left on device")


def test_help_that_cannot_be_written_is_no_success_and_an_error_s_status_stands_without_its_message(capsys, monkeypatch):
    # a bad-input review: "--help > /dev/full" exited 0 (argparse hides the failure), and a usage error into a full
    # standard error exited 1 with a traceback nobody could read
    monkeypatch.setattr(sys, "stdout", _Full())
    assert main(["--help"]) == 74 and main(["--version"]) == 74
    assert capsys.readouterr().err.splitlines() == ["smtpteach: cannot write the output: No space left on device"] * 2
    monkeypatch.undo()
    monkeypatch.setattr(sys, "stderr", _Full())
    assert main(["show"]) == 2 and main(["show", "599"]) == 2


# -- control characters from outside ---------------------------------------------------------------------------------
# a reviewer's log line: an address with an OSC sequence in it that retitles the terminal window (ESC ] 0 ; ... BEL)
_OSC_LINE = ("Dec  4 10:00:01 mx postfix/smtp[1201]: A1B2C3D4E5: to=<bob@ex\x1b]0;PWN\x07ample.org>, "
             "relay=mx.example.org[192.0.2.10]:25, dsn=5.1.1, status=bounced (host mx said: 550 5.1.1 User unknown "
             "(in reply to RCPT TO command))\n")


def test_a_control_character_from_a_log_reaches_the_table_escaped(capsys, tmp_path):
    log = tmp_path / "e.log"
    log.write_text(_OSC_LINE, encoding="utf-8")
    assert main(["triage", str(log)]) == 0
    out = capsys.readouterr().out
    assert "  ex\\x1b]0;pwn\\x07ample.org  1\n" in out and "\x1b" not in out and "\x07" not in out


def test_show_unrecognised_escapes_control_characters_and_bidi_overrides(capsys, tmp_path):
    log = tmp_path / "esc.log"
    log.write_bytes(b"550 5.1.1 x\nhello \x1b]0;PWNED\x07 \x1b[2J w\x7f\xc2\x9b\xe2\x80\xaedlrow\xe2\x81\xa6\tend\n")
    assert main(["triage", str(log), "--show-unrecognised"]) == 0
    assert capsys.readouterr().err == (f"{log}:2: unrecognised: hello \\x1b]0;PWNED\\x07 \\x1b[2J w\\x7f\\x9b\\u202edlrow"
                                       "\\u2066\tend\n")


def test_jsonl_keeps_control_characters_as_json_escapes_that_decode_to_them(capsys, tmp_path):
    log = tmp_path / "e.log"
    log.write_text(_OSC_LINE.replace("PWN", "P\x7fW\x9bN\u202e"), encoding="utf-8")
    assert main(["triage", str(log), "--format", "jsonl"]) == 0
    out = capsys.readouterr().out
    assert '"recipient": "bob@ex\\u001b]0;P\\u007fW\\u009bN\\u202e\\u0007ample.org", ' in out
    assert json.loads(out)["recipient"] == "bob@ex\x1b]0;P\x7fW\x9bN\u202e\x07ample.org"


@pytest.mark.parametrize("fmt", ["csv", "html"])
def test_csv_and_html_show_control_characters_escaped(capsys, tmp_path, fmt):
    log = tmp_path / "e.log"
    log.write_text(_OSC_LINE, encoding="utf-8")
    assert main(["triage", str(log), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "ex\\x1b]0;pwn\\x07ample.org" in out and "\x1b" not in out and "\x07" not in out


def test_the_text_explain_echoes_and_an_argument_an_error_quotes_are_escaped(capsys):
    assert main(["explain", "550 5.1.1 bad \x1b[31mred\u202e x", "--format", "markdown"]) == 0
    assert "\n```text\n550 5.1.1 bad \\x1b[31mred\\u202e x\n```\n" in capsys.readouterr().out
    assert main(["show", "55\x1b[2J0"]) == 2
    assert capsys.readouterr().err.startswith("smtpteach: '55\\x1b[2J0' is not a reply code")
    assert main(["triage", "no\x1b]0;x\x07such.log"]) == 2
    assert capsys.readouterr().err.startswith("smtpteach triage: no\\x1b]0;x\\x07such.log: cannot read it: ")


def test_a_crlf_and_a_tab_stay_as_they_are_and_a_lone_carriage_return_is_escaped(capsys):
    from smtpteach._terminal import escaped

    assert escaped("a\tb\r\nc\rd\n") == "a\tb\r\nc\\x0dd\n"



def test_an_escaped_domain_keeps_the_columns_of_triage_s_table_in_line(capsys, tmp_path):
    # the table measured its columns on the address as the log has it, one character for the ESC, and the command
    # line then wrote four (\x1b): the count after it stood two places to the right of the others
    log = tmp_path / "e.log"
    other = _OSC_LINE.replace("bob@ex\x1b]0;PWN\x07ample.org", "ann@example-long-domain.org")
    log.write_text(_OSC_LINE + other + other, encoding="utf-8")
    assert main(["triage", str(log)]) == 0
    out = capsys.readouterr().out
    assert "\nRecipient unknown (userunknown)\n  example-long-domain.org    2\n  ex\\x1b]0;pwn\\x07ample.org  1\n\n" in out
    assert smtpteach.triage([str(log)]).summary().to_text().count("  ex\\x1b]0;pwn\\x07ample.org  1\n") == 1


@pytest.mark.parametrize("argv", [["show", "550", "--lang", "vi", "--format", "json"], ["export"],
                                  ["explain", "550 5.1.1 hộp thư 📧 không tồn tại", "--lang", "vi", "--format", "json"]])
def test_json_on_a_terminal_that_lacks_a_character_still_reads_back(monkeypatch, capsys, argv):
    # on an ASCII terminal (LANG=C, PYTHONIOENCODING=ascii) à was written \xe0, which JSON has no escape for: the whole
    # output failed to load. JSON's own \u00e0 (and a surrogate pair for 📧) reads back as the same text
    assert main(argv) == 0
    utf8 = capsys.readouterr().out
    written = _ascii_terminal(monkeypatch)
    assert main(argv) == 0
    assert written() == json.dumps(json.loads(utf8), ensure_ascii=True, indent=1 if argv == ["export"] else 2) + "\n"


def _ascii_terminal(monkeypatch):
    """Standard output as a terminal whose encoding is ASCII; returns a function that gives what was written to it."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stdout)

    def written() -> str:
        stdout.flush()
        return stdout.buffer.getvalue().decode("ascii")
    return written


def test_jsonl_on_a_terminal_that_lacks_a_character_still_reads_back(monkeypatch, tmp_path):
    log = tmp_path / "e.log"
    log.write_text(_OSC_LINE.replace("bob@ex\x1b]0;PWN\x07ample.org", "bà@exämple.org"), encoding="utf-8")
    terminal = _ascii_terminal(monkeypatch)
    assert main(["triage", str(log), "--format", "jsonl"]) == 0
    written = terminal()
    assert '"recipient": "b\\u00e0@ex\\u00e4mple.org", "domain": "ex\\u00e4mple.org", ' in written
    assert json.loads(written)["recipient"] == "bà@exämple.org"


def test_every_page_that_lists_triage_s_exit_statuses_lists_74_too():
    # the how-to on triage listed 2, 1 "and 0 otherwise" after 74 came in, so that a full disk read as success there
    root = Path(__file__).resolve().parent.parent
    ends = {"en": "and 0 otherwise.", "vi": "và 0 trong các trường hợp còn lại."}
    found = 0
    for page in ["howto/triage.md", "reference/cli.md"]:
        for lang, folder in (("en", root / "docs"), ("vi", root / "docs" / "vi")):
            text = " ".join((folder / page).read_text(encoding="utf-8").split())
            for sentence in re.findall(r"[^.]*?" + re.escape(ends[lang]), text):
                found += 1
                assert " 74 " in sentence and " 1 " in sentence and " 2 " in sentence, (page, lang, sentence)
    assert found == 4


# every character a terminal obeys rather than shows, as the reference lists them: C0 but tab and line feed (a CR not
# before a LF is one too), DEL, C1, and the bidi embeddings, overrides (U+202A to U+202E) and isolates (U+2066 to U+2069)
_OBEYED = {*range(0x09), 0x0b, 0x0c, 0x0d, *range(0x0e, 0x20), *range(0x7f, 0xa0), *range(0x202a, 0x202f),
           *range(0x2066, 0x206a)}


def test_escaped_shows_every_character_a_terminal_obeys_as_its_escape_and_no_other():
    from smtpteach._terminal import escaped

    # each of the first 0x2100 code points (Latin, Vietnamese letters, the bidi marks around the two ranges), alone
    # between two letters: one the terminal obeys is its escape, as Python writes it or as JSON does; any other stays
    for point in range(0x2100):
        char = chr(point)
        shown = (f"\\x{point:02x}" if point <= 0xFF else f"\\u{point:04x}") if point in _OBEYED else char
        assert escaped(f"a{char}b") == f"a{shown}b", hex(point)
        assert escaped(f"a{char}b", json=True) == (f"a\\u{point:04x}b" if point in _OBEYED else f"a{char}b"), hex(point)


def test_escaped_leaves_ordinary_text_in_any_script_byte_for_byte():
    from smtpteach._terminal import escaped

    text = "Hộp thư đầy — 邮箱已满 — メールボックス — 📧👩‍💻 — café\u00a0\u200e\u200f\u2028\ufeff\tend\r\n"
    assert escaped(text) == text and escaped(text, json=True) == text


def test_encodable_writes_python_s_escapes_unless_told_the_text_is_json():
    # as its doctest shows: without json=True a character the encoding lacks becomes \xe0 or \u1ed9, never JSON's
    # \u00e0, which a reader of plain text would not expect
    from smtpteach._terminal import encodable

    assert encodable("bà ộ", "ascii") == "b\\xe0 \\u1ed9"
    assert encodable("bà ộ", "ascii", json=True) == "b\\u00e0 \\u1ed9"


def test_a_control_character_is_escaped_on_a_terminal_that_lacks_a_character_too(monkeypatch, tmp_path):
    # where the terminal cannot show a character (à on an ASCII one), what is written is still the escaped text: the
    # ESC of a log's address stays \x1b in the table, in a CSV row and in what explain echoes, never the ESC itself
    log = tmp_path / "e.log"
    log.write_text(_OSC_LINE.replace("User unknown", "Người nhận không tồn tại"), encoding="utf-8")
    terminal = _ascii_terminal(monkeypatch)
    assert main(["triage", str(log), "--lang", "vi"]) == 0
    assert main(["triage", str(log), "--format", "csv"]) == 0
    assert main(["explain", "550 5.1.1 bà \x1b[2J x", "--format", "markdown"]) == 0
    written = terminal()
    assert "\n  ex\\x1b]0;pwn\\x07ample.org  1\n" in written and "\n550 5.1.1 b\\xe0 \\x1b[2J x\n" in written
    assert ",A1B2C3D4E5,,bob@ex\\x1b]0;PWN\\x07ample.org,ex\\x1b]0;pwn\\x07ample.org,mx.example.org[192.0.2.10],550,5.1.1," \
        in written
    assert "Ng\\u01b0\\u1eddi nh\\u1eadn kh\\xf4ng t\\u1ed3n t\\u1ea1i" in written
    assert "\x1b" not in written and "\x07" not in written


def test_a_line_break_in_a_file_name_on_standard_error_is_a_space_not_its_escape(capsys):
    # the reference: on standard error a line break in what a message quotes is a space (CR, VT, FF, NEL, U+2028)
    assert main(["triage", "no\rsuch\x0bfile\x85here\u2028.log"]) == 2
    assert capsys.readouterr().err == "smtpteach triage: no such file here .log: cannot read it: No such file or directory\n"
