"""The command line under ``--lang vi``: argparse's usage errors, the help, and the command line's own messages in
Vietnamese.

argparse words its messages in English from templates ("the following arguments are required: %s"). With
``--lang vi`` anywhere on the command line, the command line recognises each message by its English template
(data/en/cli.yaml) and says it with the Vietnamese one of the same key (data/vi/cli.yaml), keeping the names and values
argparse put in it. A message with no template stays English, whole. The command line's own messages (an empty text,
standard input that is no text, a search that finds nothing, output that cannot be written) are cli._MESSAGES in
English and "messages" of data/<lang>/cli.yaml in another language. Without ``--lang vi`` nothing changes.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import re
import signal
import sys
from pathlib import Path

import pytest

import smtpteach
from smtpteach import cli
from smtpteach._templates import SLOT_RE, fill
from smtpteach.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def words(lang: str) -> dict:
    return smtpteach.default_catalogue().ui(lang=lang)["cli"]


# -- usage errors -----------------------------------------------------------------------------------------------

# (argv without --lang, the English line, the Vietnamese line): each kind of usage error, whole lines, so that a
# template said for another one, or a name or a value lost or changed, is seen
USAGE_ERRORS = [
    (["show"], "smtpteach show: the following arguments are required: code",
     "smtpteach show: thiếu đối số bắt buộc: code"),
    (["compare", "550"], "smtpteach compare: the following arguments are required: b",
     "smtpteach compare: thiếu đối số bắt buộc: b"),
    (["quiz", "--count", "x"], "smtpteach quiz: argument --count: 'x' is not a whole number",
     "smtpteach quiz: tùy chọn --count: 'x' không phải số nguyên"),
    (["search", "mail", "--limit", "0"], "smtpteach search: argument --limit: '0' is too small: it must be at least 1",
     "smtpteach search: tùy chọn --limit: '0' quá nhỏ: giá trị phải từ 1 trở lên"),
    (["show", "550", "--bogus"], "smtpteach: unrecognized arguments: --bogus",
     "smtpteach: không nhận ra đối số: --bogus"),
    (["compare", "421", "450", "452"], "smtpteach: unrecognized arguments: 452",
     "smtpteach: không nhận ra đối số: 452"),
    (["quiz", "--seed"], "smtpteach quiz: argument --seed: expected one argument",
     "smtpteach quiz: tùy chọn --seed: cần một giá trị đi kèm"),
    (["search", "mail", "--l", "5"], "smtpteach search: ambiguous option: --l could match --limit, --lang",
     "smtpteach search: tùy chọn --l chưa rõ ràng: có thể là --limit, --lang"),
    (["list", "--enhanced=yes"], "smtpteach list: argument --enhanced: ignored explicit argument 'yes'",
     "smtpteach list: tùy chọn --enhanced: không nhận giá trị nào, nhưng lại được ghi kèm 'yes'"),
    # -h/--help is an option too, though its first name has one dash
    (["show", "550", "--help=x"], "smtpteach show: argument -h/--help: ignored explicit argument 'x'",
     "smtpteach show: tùy chọn -h/--help: không nhận giá trị nào, nhưng lại được ghi kèm 'x'"),
]

# invalid choices: the list of choices is argparse's, and newer Pythons write it otherwise ('text' or text); the line
# up to it, and every choice in it, are held
INVALID_CHOICES = [
    (["show", "550", "--format", "pdf"], "smtpteach show: argument --format: invalid choice: 'pdf' (choose from ",
     "smtpteach show: tùy chọn --format: giá trị 'pdf' không hợp lệ (chọn một trong: ", ["text", "markdown", "json"]),
    (["list", "--class", "9"], "smtpteach list: argument --class: invalid choice: ",
     "smtpteach list: tùy chọn --class: giá trị ", ["2, ", "3, ", "5"]),
    (["bogus"], "smtpteach: argument COMMAND: invalid choice: 'bogus' (choose from ",
     "smtpteach: đối số COMMAND: giá trị 'bogus' không hợp lệ (chọn một trong: ", ["show", "triage", "quiz"]),
]


def _one_line(code: int, out: str, err: str) -> str:
    assert code == 2 and out == "", (code, out, err)
    assert err.count("\n") == 1 and err.endswith("\n") and "Traceback" not in err, err
    return err[:-1]


@pytest.mark.parametrize("argv, english, vietnamese", USAGE_ERRORS, ids=[" ".join(a) for a, _, _ in USAGE_ERRORS])
def test_each_usage_error_is_said_in_vietnamese_under_lang_vi_and_in_english_without(capsys, argv, english, vietnamese):
    assert _one_line(*run(capsys, *argv)) == english
    assert _one_line(*run(capsys, *argv, "--lang", "vi")) == vietnamese
    assert _one_line(*run(capsys, *argv, "--lang", "en")) == english


@pytest.mark.parametrize("argv, english, vietnamese, choices", INVALID_CHOICES,
                         ids=[" ".join(a) for a, _, _, _ in INVALID_CHOICES])
def test_an_invalid_choice_names_the_option_the_value_and_the_choices_in_either_language(capsys, argv, english, vietnamese,
                                                                                       choices):
    en = _one_line(*run(capsys, *argv))
    vi = _one_line(*run(capsys, *argv, "--lang", "vi"))
    assert en.startswith(english) and vi.startswith(vietnamese), (en, vi)
    assert "invalid" not in vi and "choose" not in vi
    # the choices as argparse listed them, the same in both
    assert en.endswith(")") and vi.endswith(")")
    listed = en.rpartition("(choose from ")[2]
    assert listed and vi.rpartition("(chọn một trong: ")[2] == listed
    assert all(choice in vi for choice in choices)
    if argv[:2] == ["list", "--class"]:
        assert " 9 " in vi.replace("'9'", "9")  # argparse quotes the number on newer Pythons


@pytest.mark.parametrize("argv", [
    ["show", "--lang", "vi"], ["show", "--lang=vi"], ["show", "--la", "vi"], ["show", "--lan=vi"],
    ["show", "--lang", "en", "--lang", "vi"],
])
def test_lang_vi_is_found_wherever_argparse_would_take_it(capsys, argv):
    # the error stops argparse before it reads --lang: the command line reads it first
    assert _one_line(*run(capsys, *argv)) == "smtpteach show: thiếu đối số bắt buộc: code"


def test_lang_vi_before_the_error_it_is_about_counts_too(capsys):
    assert _one_line(*run(capsys, "quiz", "--lang", "vi", "--count", "x")) == \
        "smtpteach quiz: tùy chọn --count: 'x' không phải số nguyên"
    assert _one_line(*run(capsys, "export", "--lang", "vi")) == "smtpteach: không nhận ra đối số: --lang vi"


@pytest.mark.parametrize("before", [["--lang", "vi"], ["--lang=vi"], ["--la", "vi"]], ids=["space", "equals", "short"])
@pytest.mark.parametrize("argv", [["show", "550"], ["compare", "421", "450", "--format", "markdown"], ["list", "--class", "2"],
                                  ["parse", "5"], ["quiz", "--count", "x"], ["--help"], ["show", "--help"]])
def test_lang_before_the_command_means_what_it_means_after_it(capsys, monkeypatch, before, argv):
    # a review: "smtpteach --lang vi show 550" blamed 'vi' as a command, and "smtpteach --lang vi --help" failed
    monkeypatch.setenv("COLUMNS", "100")
    after = run(capsys, *argv, "--lang", "vi")
    assert run(capsys, *before, *argv) == after
    assert after[1] or after[2].count("\n") == 1  # an output, or one line of error


def test_lang_before_the_command_says_its_words_and_a_later_lang_wins(capsys):
    code, out, err = run(capsys, "--lang", "vi", "show", "550")
    assert (code, err) == (0, "") and out.startswith("SMTP 550 Hộp thư không khả dụng\n")
    assert run(capsys, "--lang", "vi", "show", "550", "--lang", "en")[1].startswith("SMTP 550 Mailbox Unavailable\n")
    assert run(capsys, "--lang", "en", "show", "550", "--lang", "vi")[1].startswith("SMTP 550 Hộp thư không khả dụng\n")
    assert run(capsys, "--lang", "vi", "parse", "5") == (
        2, "", "smtpteach: dòng 1: đầu dòng phải là mã phản hồi ba chữ số, nhưng lại là '5'\n")
    assert _one_line(*run(capsys, "--lang", "fr", "show", "550")) == \
        "smtpteach: argument --lang: invalid choice: 'fr' (choose from 'en', 'vi')"
    # the top-level --lang is hidden from the help, which stays as it was
    assert "--lang" not in run(capsys, "--help")[1]


@pytest.mark.parametrize("argv, english", [
    (["show", "--lang", "vi", "--lang", "en"], "smtpteach show: the following arguments are required: code"),
    (["show", "--lang", "fr"], "smtpteach show: argument --lang: invalid choice: 'fr' (choose from "),
    # after "--" nothing is an option: "--lang" is explain's text, and "vi" one argument too many
    (["explain", "--", "--lang", "vi"], "smtpteach: unrecognized arguments: vi"),
])
def test_what_is_no_lang_vi_to_argparse_leaves_the_error_in_english(capsys, argv, english):
    assert _one_line(*run(capsys, *argv)).startswith(english)


@pytest.mark.parametrize("argv, english", [
    # "-" is standard input, not an abbreviation of --lang: the word after it is no language asked for
    (["explain", "-", "vi"], {"smtpteach: unrecognized arguments: vi"}),
    # "--lang=" gives --lang an empty value, the last --lang: the word after it is not its value
    (["show", "--lang=", "vi"], {"smtpteach show: argument --lang: invalid choice: '' (choose from 'en', 'vi')",
                                  "smtpteach show: argument --lang: invalid choice: '' (choose from en, vi)"}),
], ids=["dash", "empty"])
def test_a_word_argparse_does_not_take_as_the_value_of_lang_asks_for_no_language(capsys, argv, english):
    assert _one_line(*run(capsys, *argv)) in english


def test_asked_lang_reads_the_command_line_as_argparse_does():
    assert cli._asked_lang([]) == cli._asked_lang(["show"]) == cli._asked_lang(["show", "--lang"]) == "en"
    assert cli._asked_lang(["search", "x", "--l", "vi"]) == "vi"  # argparse finds it ambiguous there, and says so
    assert cli._asked_lang(["show", "--lang", "vi", "--", "--lang", "en"]) == "vi"
    assert cli._asked_lang(["show", "--", "--lang", "vi"]) == "en"
    assert cli._asked_lang(["show", "-", "--lang", "vi"]) == "vi"  # "-" is standard input, not "--"
    assert cli._asked_lang(["show", "--codes=--lang", "vi"]) == "en" and cli._asked_lang(["--langs", "vi"]) == "en"


def test_a_message_with_no_vietnamese_template_stays_english_whole(capsys):
    parser = cli.build_parser(lang="vi")
    # a message argparse has but this command line never gives (a mutually exclusive group)
    with pytest.raises(cli._UsageError) as caught:
        parser.error("one of the arguments --a --b is required")
    assert str(caught.value) == "smtpteach: one of the arguments --a --b is required" and caught.value.lang == "en"
    # a known frame around an unknown message: not "tùy chọn --pair: expected 2 arguments", half in each language
    with pytest.raises(cli._UsageError) as caught:
        parser.error("argument --pair: expected 2 arguments")
    assert str(caught.value) == "smtpteach: argument --pair: expected 2 arguments"
    # and one argparse really makes, from an argument of a kind the command line does not have
    parser = cli._Parser(prog="smtpteach quiz", lang="vi")
    parser.add_argument("--pair", nargs=2)
    with pytest.raises(cli._UsageError) as caught:
        parser.parse_args(["--pair", "x"])
    assert str(caught.value) == "smtpteach quiz: argument --pair: expected 2 arguments"


def test_a_cut_argument_s_length_is_said_in_the_language_of_the_line(capsys):
    long = "x" * 100
    vi = _one_line(*run(capsys, "show", "550", "--format", long, "--lang", "vi"))
    assert vi.startswith("smtpteach show: tùy chọn --format: giá trị '" + "x" * 60 + "...' (100 ký tự) không hợp lệ")
    en = _one_line(*run(capsys, "show", "550", "--format", long))
    assert "...' (100 characters) (choose from" in en
    # the project's own errors: Vietnamese where the UI files word them, English (and its length) where not
    assert "...' (100 ký tự) không phải mã phản hồi" in _one_line(*run(capsys, "show", "q" * 100, "--lang", "vi"))
    # the command line's own messages: in the language asked for, the length too
    code, _, err = run(capsys, "search", "q" * 100, "--lang", "vi")
    assert (code, err) == (1, "smtpteach search: không có mã nào khớp với '" + "q" * 60 + "...' (100 ký tự)\n")
    code, _, err = run(capsys, "search", "q" * 100)
    assert (code, err) == (1, "smtpteach search: nothing matches '" + "q" * 60 + "...' (100 characters)\n")
    # characters, not bytes: a Vietnamese word is cut after its first 60 letters and counted in letters
    code, _, err = run(capsys, "search", "h\u1ed9p" * 40, "--lang", "vi")  # "hộp", 5 bytes in UTF-8
    assert (code, err) == (1, "smtpteach search: không có mã nào khớp với '" + "h\u1ed9p" * 20 + "...' (120 ký tự)\n")
    # a --codes file's problems stay English, and so does the length in them
    missing = "/nonexistent/" + "c" * 90 + ".yaml"
    line = _one_line(*run(capsys, "show", "550", "--codes", missing, "--lang", "vi"))
    assert line.startswith("smtpteach: /nonexistent/") and line.endswith("...' (108 characters)"), line


# -- the command line's own messages -------------------------------------------------------------------------------

class _Stdin:
    """Standard input as a pipe gives it: text on top of a byte buffer, each run reading ``data`` afresh; reading it
    fails when ``data`` is an error."""

    def __init__(self, data: bytes | OSError = b"", *, tty: bool = False):
        self.data, self.tty = data, tty

    @property
    def buffer(self):
        return self if isinstance(self.data, OSError) else io.BytesIO(self.data)

    def read(self) -> bytes:
        raise self.data

    def readline(self) -> str:  # the interactive quiz reads its answers so
        if isinstance(self.data, OSError):
            raise self.data
        return self.data.decode()

    def isatty(self) -> bool:
        return self.tty


class _Full(io.StringIO):
    def write(self, text):
        raise OSError(28, "No space left on device")


EIO = OSError(5, "Input/output error")
ENOSPC = "No space left on device"

# (the message's key in cli._MESSAGES, argv without --lang, standard input, standard output ("full", "closed" or
# None), the status, the English line, the Vietnamese line): every message the command line words itself, whole
# lines, so that a word changed, a value lost or another message said in its place is seen
OWN_MESSAGES = [
    ("stdin_closed", ["explain", "-"], None, None, 2,
     "smtpteach: '-' reads standard input, but standard input is closed",
     "smtpteach: '-' nghĩa là đọc từ đầu vào chuẩn (stdin), nhưng stdin đã bị đóng"),
    ("stdin_closed", ["triage", "-"], None, None, 2,
     "smtpteach triage: '-' reads standard input, but standard input is closed",
     "smtpteach triage: '-' nghĩa là đọc từ đầu vào chuẩn (stdin), nhưng stdin đã bị đóng"),
    ("stdin_unreadable", ["parse", "-"], _Stdin(EIO), None, 2,
     "smtpteach: cannot read standard input: Input/output error",
     "smtpteach: không đọc được đầu vào chuẩn (stdin): Input/output error"),
    ("not_utf16", ["explain", "-"], _Stdin(b"\xff\xfe5\x005\x00\x00"), None, 2,
     "smtpteach: standard input starts as UTF-16 but is not UTF-16",
     "smtpteach: đầu vào chuẩn (stdin) bắt đầu bằng BOM của UTF-16 nhưng nội dung không phải UTF-16 hợp lệ"),
    ("nul_bytes", ["explain", "-"], _Stdin(b"550 5.1.1 \x00\x01 user unknown"), None, 2,
     "smtpteach: standard input holds NUL bytes (at offset 10): it is not text",
     "smtpteach: đầu vào chuẩn (stdin) có byte NUL (ở vị trí 10): đây không phải văn bản"),
    ("not_utf8", ["parse", "-"], _Stdin(b"550 caf\xc3\xa9 \xfe"), None, 2,
     "smtpteach: standard input is not UTF-8: byte 0xfe at offset 10",
     "smtpteach: đầu vào chuẩn (stdin) không phải UTF-8 hợp lệ: byte 0xfe ở vị trí 10"),
    # an argument the shell passed as bytes that are not UTF-8 (Python gives them as lone surrogates)
    ("not_utf8", ["search", "h\u1ed9p", "\udcff"], None, None, 2,
     "smtpteach: the text is not UTF-8: byte 0xff at offset 6",
     "smtpteach: đoạn văn bản không phải UTF-8 hợp lệ: byte 0xff ở vị trí 6"),
    ("list_filters", ["list", "--enhanced", "--status", "core"], None, None, 2,
     "smtpteach list: --class and --status filter reply codes; with --enhanced, use --subject",
     "smtpteach list: --class và --status chỉ dùng để lọc mã phản hồi; khi có --enhanced, hãy dùng --subject"),
    ("list_subject", ["list", "--subject", "7"], None, None, 2,
     "smtpteach list: --subject filters enhanced status codes: add --enhanced",
     "smtpteach list: --subject dùng để lọc mã trạng thái mở rộng: hãy thêm --enhanced"),
    ("list_nothing", ["list", "--status", "non-standard", "--class", "3"], None, None, 1,
     "smtpteach list: no code matches those filters",
     "smtpteach list: không có mã nào khớp với các điều kiện lọc này"),
    ("search_no_words", ["search", " "], None, None, 2,
     "smtpteach search: give at least one word to search for",
     "smtpteach search: hãy gõ ít nhất một từ khóa cần tìm"),
    ("search_nothing", ["search", "zzzqqq", "xyzzy"], None, None, 1,
     "smtpteach search: nothing matches 'zzzqqq xyzzy'",
     "smtpteach search: không có mã nào khớp với 'zzzqqq xyzzy'"),
    ("explain_empty", ["explain", "   "], None, None, 2,
     "smtpteach explain: nothing to explain: the text is empty",
     "smtpteach explain: không có gì để giải thích: đoạn văn bản trống"),
    ("explain_path", ["explain", "/"], None, None, 2,
     "smtpteach explain: / is the name of a file or folder, not a reply: read a bounce with smtpteach explain - < FILE, "
     "a log or a folder with smtpteach triage /",
     "smtpteach explain: / là tên một tệp hoặc thư mục, không phải một phản hồi: đọc một thư bounce bằng smtpteach "
     "explain - < TỆP, còn log hoặc thư mục thì dùng smtpteach triage /"),
    ("triage_stdin_twice", ["triage", "-", "-"], _Stdin(), None, 2,
     "smtpteach triage: '-' (standard input) can be read once only",
     "smtpteach triage: '-' (đầu vào chuẩn) chỉ đọc được một lần"),
    ("triage_no_input", ["triage"], _Stdin(tty=True), None, 2,
     "smtpteach triage: give a log file, a mailbox or a folder of bounces, or pipe a log into it",
     "smtpteach triage: hãy chỉ định một tệp log, một hộp thư hay một thư mục thư bounce, hoặc đưa log vào qua pipe"),
    ("triage_csv_only", ["triage", "x.log", "--excel"], None, None, 2,
     "smtpteach triage: --excel and --separator shape the CSV: use them with --format csv",
     "smtpteach triage: --excel và --separator chỉ dùng để định dạng CSV: hãy dùng kèm --format csv"),
    ("triage_window", ["triage", "x.log", "--since", "2024-03-12", "--until", "2024-03-11"], None, None, 2,
     "smtpteach triage: --since (2024-03-12T00:00:00) must come before --until (2024-03-11T00:00:00)",
     "smtpteach triage: --since (2024-03-12T00:00:00) phải là thời điểm trước --until (2024-03-11T00:00:00)"),
    ("quiz_no_terminal", ["quiz", "--count", "1"], None, None, 2,
     "smtpteach quiz: an interactive quiz needs standard input and output; try --format text",
     "smtpteach quiz: bài trắc nghiệm tương tác cần có đầu vào chuẩn và đầu ra chuẩn; hãy thử --format text"),
    ("quiz_unreadable", ["quiz", "--count", "1"], _Stdin(EIO), None, 2,
     "smtpteach quiz: cannot read the answers from standard input: Input/output error",
     "smtpteach quiz: không đọc được câu trả lời từ đầu vào chuẩn (stdin): Input/output error"),
    ("quiz_no_answers", ["quiz", "--no-answers"], None, None, 2,
     "smtpteach quiz: --no-answers prints a quiz to hand out: use it with --format text, markdown or html",
     "smtpteach quiz: --no-answers in đề không kèm đáp án để phát cho học viên: hãy dùng kèm --format text, markdown "
     "hoặc html"),
    ("stdout_closed", ["show", "550"], None, "closed", 74,
     "smtpteach: standard output is closed", "smtpteach: đầu ra chuẩn (stdout) đã bị đóng"),
    # triage writes as it reads
    ("stdout_closed", ["triage", "-"], _Stdin(b"550 5.1.1 user unknown\n"), "closed", 74,
     "smtpteach: standard output is closed", "smtpteach: đầu ra chuẩn (stdout) đã bị đóng"),
    ("cannot_write", ["show", "550"], None, "full", 74,
     f"smtpteach: cannot write the output: {ENOSPC}", f"smtpteach: không ghi được kết quả: {ENOSPC}"),
    ("cannot_write", ["triage", "-", "--format", "jsonl"], _Stdin(b"550 5.1.1 user unknown\n"), "full", 74,
     f"smtpteach: cannot write the output: {ENOSPC}", f"smtpteach: không ghi được kết quả: {ENOSPC}"),
    ("cannot_write", ["quiz", "--count", "1"], _Stdin(b"1\n"), "full", 74,
     f"smtpteach: cannot write the output: {ENOSPC}", f"smtpteach: không ghi được kết quả: {ENOSPC}"),
    # the help, which argparse writes before the command runs
    ("cannot_write", ["show", "--help"], None, "full", 74,
     f"smtpteach: cannot write the output: {ENOSPC}", f"smtpteach: không ghi được kết quả: {ENOSPC}"),
]


def _said(capsys, monkeypatch, argv, stdin, stdout) -> tuple[int, str]:
    """The status and standard error of the command line run on ``argv``, with ``stdin`` and ``stdout`` so."""
    with monkeypatch.context() as m:
        m.setattr(sys, "stdin", stdin)
        if stdout is not None:
            m.setattr(sys, "stdout", _Full() if stdout == "full" else None)
        code = main(list(argv))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("key, argv, stdin, stdout, status, english, vietnamese", OWN_MESSAGES,
                         ids=[f"{c[0]}:{' '.join(c[1])}:{c[3]}" for c in OWN_MESSAGES])
def test_each_message_of_the_command_line_s_own_is_said_in_the_language_asked_for(capsys, monkeypatch, key, argv, stdin,
                                                                                 stdout, status, english, vietnamese):
    assert _said(capsys, monkeypatch, argv, stdin, stdout) == (status, english + "\n")
    assert _said(capsys, monkeypatch, [*argv, "--lang", "en"], stdin, stdout) == (status, english + "\n")
    assert _said(capsys, monkeypatch, [*argv, "--lang", "vi"], stdin, stdout) == (status, vietnamese + "\n")


def test_every_message_of_the_command_line_s_own_is_held_in_both_languages():
    # a message added to cli._MESSAGES without a line above would be said untested, in either language
    assert {c[0] for c in OWN_MESSAGES} == set(cli._MESSAGES)
    assert {"stdin", "text"} == set(cli._SOURCES)


def test_the_english_messages_in_the_data_are_the_command_line_s():
    assert words("en")["messages"] == cli._MESSAGES
    assert words("en")["sources"] == cli._SOURCES


@pytest.mark.parametrize("argv", [
    ["explain", "   ", "--lang=vi"], ["explain", "--la", "vi", "   "], ["explain", "   ", "--lang", "en", "--lang", "vi"],
])
def test_lang_vi_anywhere_argparse_takes_it_words_the_command_s_own_message(capsys, argv):
    assert run(capsys, *argv) == (2, "", "smtpteach explain: không có gì để giải thích: đoạn văn bản trống\n")


def test_every_slot_of_a_message_is_filled_with_the_same_value_in_both_languages():
    en, vi = words("en")["messages"], words("vi")["messages"]
    for key, template in en.items():
        values = _sample(template)
        said = fill(vi[key], values)
        assert all(value in said for value in values.values()), (key, said)


# the lines on standard error that cli.py writes with words of its own, outside cli._MESSAGES: none but these
ENGLISH_ON_PURPOSE = {
    # --show-unrecognised lists the input triage did not recognise, as "FILE:LINE: unrecognised: TEXT", like grep's
    # lines; TEXT is the input itself, or why a message is no bounce, said in English by the readers
    ": unrecognised: ",
}


def test_no_message_of_the_command_line_is_written_in_english_words_in_cli_py():
    """Each message that cli.py raises or writes on standard error gets its words from cli._MESSAGES (_said, keyed())
    or the UI files: what is written around them is the program's name, the command's, and punctuation."""
    tree = ast.parse(Path(cli.__file__).read_text(encoding="utf-8"))
    said = {"_UsageError", "_NoMatch", "_NoOutput", "_say"}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func.value if isinstance(node.func, ast.Attribute) and node.func.attr == "keyed" else node.func
        if isinstance(func, ast.Name) and func.id in said:  # _UsageError(message), _UsageError.keyed(prog, key)
            # the words of the message itself, not those of what fills it (_said's key, a key of the UI files)
            message = node.args[0]
            parts = message.values if isinstance(message, ast.JoinedStr) else [message]
            found += [part.value for part in parts if isinstance(part, ast.Constant) and isinstance(part.value, str)]
    assert found  # the test sees the calls
    words_of_their_own = [text for text in found if text not in ENGLISH_ON_PURPOSE
                          and not re.fullmatch(r"(smtpteach(?: [a-z]+)?)?:? ?|:", text)]
    assert words_of_their_own == []


# -- the templates ------------------------------------------------------------------------------------------------

def _sample(template: str) -> dict[str, str]:
    """A value for each slot of a template, each one different and marked, to see where it ends up. A {value} is
    typed on the command line, and argparse quotes it with repr(): it holds the template's own words, as a value
    typed may."""
    return {slot: repr(f"<{slot}:{i}> {template}") if slot == "value" else f"<{slot}:{i}>"
            for i, slot in enumerate(SLOT_RE.findall(template))}


@pytest.mark.parametrize("key", list(words("en")["argument_errors"]))
def test_every_argument_error_is_recognised_and_said_with_its_own_template_keeping_its_values(key):
    en, vi = words("en"), words("vi")
    inner = _sample(en["argument_errors"][key])
    for name, frame in (("--count", "option"), ("COMMAND", "argument")):
        message = fill(en["usage_errors"]["argument"], {"argument": name,
                                                         "message": fill(en["argument_errors"][key], inner)})
        said = cli._reworded(message, en, vi)
        assert said == fill(vi["usage_errors"][frame], {"argument": name,
                                                         "message": fill(vi["argument_errors"][key], inner)})
        assert all(value in said for value in inner.values())


@pytest.mark.parametrize("key", [k for k in words("en")["usage_errors"] if k not in {"argument", "option"}])
def test_every_usage_error_is_recognised_and_said_with_its_own_template_keeping_its_values(key):
    en, vi = words("en"), words("vi")
    values = _sample(en["usage_errors"][key])
    assert cli._reworded(fill(en["usage_errors"][key], values), en, vi) == fill(vi["usage_errors"][key], values)


def test_no_vietnamese_template_is_another_s_or_the_english():
    for group in ("usage_errors", "argument_errors", "argparse", "help", "messages", "sources"):
        vi = words("vi")[group]
        assert len(set(vi.values())) == len(vi), group
        assert [k for k, v in vi.items() if v == words("en")[group][k]] == [], group


def _string_constants(source: str) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)
            and isinstance(node.value, str)}


def _as_percent(template: str) -> re.Pattern:
    """A template of en/cli.yaml as argparse writes it: each {slot} is one of its %s, %r, %(name)s or %(name)r."""
    parts = SLOT_RE.split(template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else r"%(?:\(\w+\))?[rs]" for i, p in enumerate(parts)))


ARGPARSE = Path(argparse.__file__).read_text(encoding="utf-8")
NEWER = {"invalid_choice_closest": (3, 14)}  # Python 3.14's, with ArgumentParser(suggest_on_error=True)


@pytest.mark.parametrize("group", ["usage_errors", "argument_errors", "argparse"])
def test_the_english_templates_are_argparse_s_own_text(group):
    # a template that is not argparse's text recognises nothing, and the error would stay English unnoticed
    constants = _string_constants(ARGPARSE)
    for key, template in words("en")[group].items():
        if key in {"whole_number", "too_small", "not_a_time"} or sys.version_info < NEWER.get(key, (0,)):
            continue
        assert any(_as_percent(template).fullmatch(c) for c in constants), (group, key, template)


def test_the_whole_number_templates_are_the_command_line_s_own_messages():
    en = words("en")["argument_errors"]
    for text, minimum, key, values in (("x", 1, "whole_number", {"value": "'x'"}),
                                       ("3_0", None, "whole_number", {"value": "'3_0'"}),
                                       ("0", 1, "too_small", {"value": "'0'", "minimum": "1"})):
        with pytest.raises(argparse.ArgumentTypeError) as caught:
            cli._whole_number(minimum)(text)
        assert cli._matched(str(caught.value), en) == (key, values)


# argparse's messages that no command line of smtpteach can bring about, so they have no template: they stay English
NOT_WORDED = {
    # mistakes in building a parser, which the tests would meet first
    "%r is not callable", ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    "cannot merge actions - two groups are named %r", "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r", "dest= is required for options like %r",
    "invalid conflict_resolution value: %r", "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments", "conflicting option string: %s", "conflicting option strings: %s",
    # argparse.FileType, mutually exclusive groups, options that take a fixed number of values, ArgumentDefaultsHelpFormatter,
    # deprecated arguments, and argparse's own "error:" line: none of them here
    'argument "-" with mode %r', "can't open '%(filename)s': %(error)s", "not allowed with argument %s",
    "one of the arguments %s is required", "expected %s argument", "expected %s arguments", " (default: %(default)s)",
    "argument '%(argument_name)s' is deprecated", "command '%(parser_name)s' is deprecated",
    "option '%(option)s' is deprecated", "%(prog)s: warning: %(message)s\n", "%(prog)s: error: %(message)s\n",
    # the choices are checked first: a command that does not exist is an invalid choice
    "unknown parser %(parser_name)r (choices: %(choices)s)",
    # argparse's "shouldn't ever get here"
    "unexpected option string: %s",
    # Python 3.13's: a group without a title, and the colon after a heading (kept after a translated one)
    "subcommands", "%(heading)s:",
}


def test_every_argparse_message_a_user_can_meet_has_a_template():
    # what this Python's argparse passes to gettext: each one is worded, or can never reach this command line
    said = set()
    for node in ast.walk(ast.parse(ARGPARSE)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"_", "ngettext"}:
            said |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    en = words("en")
    templates = [t for group in ("usage_errors", "argument_errors", "argparse") for t in en[group].values()]
    unworded = sorted(m for m in said - NOT_WORDED if not any(_as_percent(t).fullmatch(m) for t in templates))
    assert unworded == []


def test_the_english_help_in_the_data_is_the_command_line_s():
    assert words("en")["help"] == cli._HELP
    assert words("en")["cut"] == cli._CUT


# -- help ---------------------------------------------------------------------------------------------------------

def _help(capsys, command: list[str], *argv: str) -> list[str]:
    assert main([*command, "--help", *argv]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return [" ".join(line.split()) for line in out.splitlines()]


def test_the_help_of_a_command_under_lang_vi_is_vietnamese(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    lines = _help(capsys, ["show"], "--lang", "vi")
    assert lines[0].startswith("cách dùng: smtpteach show [-h] [--lang {en,vi}] [--format {text,markdown,html,json}]")
    for line in ["đối số vị trí:", "code một mã phản hồi (550) hoặc một mã trạng thái mở rộng (5.1.1)", "tùy chọn:",
                 "-h, --help hiện trợ giúp này rồi thoát", "--lang {en,vi} ngôn ngữ hiển thị (mặc định en)",
                 "--format {text,markdown,html,json}", "định dạng đầu ra (mặc định text)",
                 "--codes FILE nạp thêm các mã của riêng bạn từ tệp YAML này"]:
        assert line in lines, line
    assert not [line for line in lines if "usage" in line or "options" in line or "show this help" in line]
    # --lang=vi, and --lang vi before --help
    assert _help(capsys, ["show"], "--lang=vi") == lines
    assert main(["show", "--lang", "vi", "-h"]) == 0 and capsys.readouterr().out.startswith("cách dùng: smtpteach show")


def test_the_top_help_under_lang_vi_says_what_each_command_does_in_vietnamese(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    lines = _help(capsys, [], "--lang", "vi")  # "smtpteach --help --lang vi": "smtpteach --lang vi" is no command
    assert lines[0] == "cách dùng: smtpteach [-h] [--version] COMMAND ..."
    assert "Học và tra cứu mã phản hồi SMTP." in lines
    says = words("vi")["help"]
    for command in ("show", "list", "search", "export", "compare", "parse", "explain", "triage", "quiz"):
        assert f"{command} {says[command]}" in lines, command
    assert "--version hiện số phiên bản của chương trình rồi thoát" in lines


COMMANDS = ([], ["show"], ["list"], ["search"], ["export"], ["compare"], ["parse"], ["explain"], ["triage"], ["quiz"])


def test_no_english_help_is_left_under_lang_vi(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # one line for each help, to look for it whole
    shown = "\n".join("\n".join(_help(capsys, command, "--lang", "vi")) for command in COMMANDS)
    english = [*cli._HELP.values(), *words("en")["argparse"].values()]
    assert [text for text in english if text.strip() in shown] == []
    # and each command's own help is there, in Vietnamese
    assert [text for key, text in words("vi")["help"].items() if text not in shown] == []


def test_every_commands_help_under_lang_vi_reads_as_written(monkeypatch, capsys):
    """The Vietnamese help of every command, whole, against tests/data/cli-help.vi.txt, as test_cli.py holds the
    English. (Regenerate it with: COLUMNS=100 python -m smtpteach COMMAND --help --lang vi, after a deliberate change.)"""
    monkeypatch.setenv("COLUMNS", "100")
    shown = []
    for command in COMMANDS:
        assert main([*command, "--help", "--lang", "vi"]) == 0
        shown.append(f"$ smtpteach {' '.join([*command, '--help', '--lang', 'vi'])}\n{capsys.readouterr().out}")
    want = (Path(__file__).parent / "data" / "cli-help.vi.txt").read_text(encoding="utf-8")
    assert "\n".join(shown) == want


# values typed with argparse's own words in them, quotes and line breaks: (argv without --lang, the English line, the
# Vietnamese line). CHOICES stands for the choices as argparse lists them ('text', ... or text, ... on newer Pythons)
BACKSLASHES = "\\" * 24 + "'\" (choose from text"
HOSTILE_VALUES = [
    (["show", "550", "--format", "pdf (choose from text"],
     "smtpteach show: argument --format: invalid choice: 'pdf (choose from text' (choose from CHOICES)",
     "smtpteach show: tùy chọn --format: giá trị 'pdf (choose from text' không hợp lệ (chọn một trong: CHOICES)"),
    (["show", "550", "--format", "x, maybe you meant 'json'? (choose from text"],
     "smtpteach show: argument --format: invalid choice: \"x, maybe you meant 'json'? (choose from text\" "
     "(choose from CHOICES)",
     "smtpteach show: tùy chọn --format: giá trị \"x, maybe you meant 'json'? (choose from text\" không hợp lệ "
     "(chọn một trong: CHOICES)"),
    (["show", "550", "--format", "it's \"html\" (choose from json)"],
     "smtpteach show: argument --format: invalid choice: 'it\\'s \"html\" (choose from json)' (choose from CHOICES)",
     "smtpteach show: tùy chọn --format: giá trị 'it\\'s \"html\" (choose from json)' không hợp lệ "
     "(chọn một trong: CHOICES)"),
    (["show", "550", "--format", "pdf\n (choose from text"],
     "smtpteach show: argument --format: invalid choice: 'pdf\\n (choose from text' (choose from CHOICES)",
     "smtpteach show: tùy chọn --format: giá trị 'pdf\\n (choose from text' không hợp lệ (chọn một trong: CHOICES)"),
    (["quiz", "--count", "'x' is too small: it must be at least 5"],
     "smtpteach quiz: argument --count: \"'x' is too small: it must be at least 5\" is not a whole number",
     "smtpteach quiz: tùy chọn --count: \"'x' is too small: it must be at least 5\" không phải số nguyên"),
    (["search", "mail", "--l=a could match b"],
     "smtpteach search: ambiguous option: --l=a could match b could match --limit, --lang",
     "smtpteach search: tùy chọn --l=a could match b chưa rõ ràng: có thể là --limit, --lang"),
    # an option is quoted as typed, and its line break said as a space
    (["search", "mail", "--l=a\ncould match b"],
     "smtpteach search: ambiguous option: --l=a could match b could match --limit, --lang",
     "smtpteach search: tùy chọn --l=a could match b chưa rõ ràng: có thể là --limit, --lang"),
    (["list", "--enhanced=invalid choice: x (choose from y)"],
     "smtpteach list: argument --enhanced: ignored explicit argument 'invalid choice: x (choose from y)'",
     "smtpteach list: tùy chọn --enhanced: không nhận giá trị nào, nhưng lại được ghi kèm "
     "'invalid choice: x (choose from y)'"),
    # letters beyond ASCII are quoted as they are, and a zero-width joiner as repr() writes it
    (["show", "550", "--format", "phở 📮\u200d (choose from text"],
     "smtpteach show: argument --format: invalid choice: 'phở 📮\\u200d (choose from text' (choose from CHOICES)",
     "smtpteach show: tùy chọn --format: giá trị 'phở 📮\\u200d (choose from text' không hợp lệ (chọn một trong: CHOICES)"),
    # backslashes, each quoted as two: a value's closing quote is found at once, however many come before it
    (["show", "550", "--format", BACKSLASHES],
     f"smtpteach show: argument --format: invalid choice: {BACKSLASHES!r} (choose from CHOICES)",
     f"smtpteach show: tùy chọn --format: giá trị {BACKSLASHES!r} không hợp lệ (chọn một trong: CHOICES)"),
]


@pytest.mark.parametrize("argv, english, vietnamese", HOSTILE_VALUES, ids=[repr(a[-1]) for a, _, _ in HOSTILE_VALUES])
def test_a_value_holding_argparse_s_own_words_leaves_the_line_whole_in_one_language(capsys, argv, english, vietnamese):
    # a product fix: a slot of a template took in as few characters as fitted, so a value typed with a template's
    # words in it was cut there ("giá trị 'pdf không hợp lệ (chọn một trong: text' (choose from ..."), or the line
    # read as another template. What was typed is now taken whole, as argparse quotes it, in either language
    formats = ("text", "markdown", "html", "json")
    listed = {", ".join(formats), ", ".join(map(repr, formats))}
    with _within(5):  # a value's slot that could end at any of its characters takes exponential time to give up
        assert _one_line(*run(capsys, *argv)) in {english.replace("CHOICES", c) for c in listed}
        assert _one_line(*run(capsys, *argv, "--lang", "en")) in {english.replace("CHOICES", c) for c in listed}
        assert _one_line(*run(capsys, *argv, "--lang", "vi")) in {vietnamese.replace("CHOICES", c) for c in listed}



@pytest.mark.parametrize("value", ["x'" + "a" * 100, "it's \"" + "a" * 100], ids=["double quotes", "escaped quote"])
def test_a_long_value_with_an_apostrophe_is_cut_inside_its_own_quotes_in_either_language(capsys, value):
    # a product fix: a long value that argparse quotes in double quotes, since it holds an apostrophe, was cut from
    # that apostrophe to the quote of the first choice, and the line lost its end ("x'aaa...' (115 characters)text',
    # 'markdown', ..."); a \' inside single quotes ended the value there. Each is now cut inside its own quotes
    quoted = repr(value)
    quote, inside = quoted[0], quoted[1:-1]
    shown = f"{quote}{inside[:60]}...{quote}"
    formats = ("text", "markdown", "html", "json")
    listed = {", ".join(formats), ", ".join(map(repr, formats))}
    assert _one_line(*run(capsys, "show", "550", "--format", value)) in {
        f"smtpteach show: argument --format: invalid choice: {shown} ({len(inside)} characters) (choose from {c})"
        for c in listed}
    assert _one_line(*run(capsys, "show", "550", "--format", value, "--lang", "vi")) in {
        f"smtpteach show: tùy chọn --format: giá trị {shown} ({len(inside)} ký tự) không hợp lệ (chọn một trong: {c})"
        for c in listed}

@contextlib.contextmanager
def _within(seconds: int):
    """Fail, rather than hang, when the block runs longer than ``seconds`` (the regular expression engine stops
    for the alarm's handler)."""
    def late(signum, frame):
        raise AssertionError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, late)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("argv, english, vietnamese", [
    (["list", "--class", "-1"], "smtpteach list: argument --class: invalid choice: VALUE (choose from 2, 3, 4, 5)",
     "smtpteach list: tùy chọn --class: giá trị VALUE không hợp lệ (chọn một trong: 2, 3, 4, 5)"),
    (["list", "--enhanced", "--subject", "-3"],
     "smtpteach list: argument --subject: invalid choice: VALUE (choose from 0, 1, 2, 3, 4, 5, 6, 7)",
     "smtpteach list: tùy chọn --subject: giá trị VALUE không hợp lệ (chọn một trong: 0, 1, 2, 3, 4, 5, 6, 7)"),
], ids=["class", "subject"])
def test_a_negative_number_out_of_the_choices_is_said_in_vietnamese_with_its_minus_sign(capsys, argv, english,
                                                                                         vietnamese):
    # a product fix: argparse writes a number that is not among the choices as repr() writes it, -1 with its minus
    # sign (Python 3.12.8 and later quote it: '-1'); {value} took a number as digits only, so the line stayed English
    # under --lang vi
    value = argv[-1]
    values = {value, repr(value)}
    assert _one_line(*run(capsys, *argv)) in {english.replace("VALUE", v) for v in values}
    assert _one_line(*run(capsys, *argv, "--lang", "vi")) in {vietnamese.replace("VALUE", v) for v in values}


# each argument error as argparse (or smtpteach's own types) writes it, and the Vietnamese line, written out: a
# Vietnamese template with its slots swapped says the values in each other's places. invalid_choice_closest is Python
# 3.14's, with ArgumentParser(suggest_on_error=True)
ARGUMENT_ERRORS_WRITTEN_OUT = [
    ("invalid_choice", "invalid choice: 'pdf' (choose from 'text', 'json')",
     "giá trị 'pdf' không hợp lệ (chọn một trong: 'text', 'json')"),
    ("invalid_choice_closest", "invalid choice: 'jsn', maybe you meant 'json'? (choose from text, json)",
     "giá trị 'jsn' không hợp lệ, có phải ý bạn là 'json'? (chọn một trong: text, json)"),
    ("invalid_value", "invalid float value: 'x'", "giá trị 'x' không hợp lệ với kiểu float"),
    ("expected_one", "expected one argument", "cần một giá trị đi kèm"),
    ("expected_at_most_one", "expected at most one argument", "chỉ nhận tối đa một giá trị"),
    ("expected_at_least_one", "expected at least one argument", "cần ít nhất một giá trị đi kèm"),
    ("ignored_explicit", "ignored explicit argument 'yes'", "không nhận giá trị nào, nhưng lại được ghi kèm 'yes'"),
    ("whole_number", "'x' is not a whole number", "'x' không phải số nguyên"),
    ("too_small", "'0' is too small: it must be at least 1", "'0' quá nhỏ: giá trị phải từ 1 trở lên"),
    ("not_a_time", "'yesterday' is not an ISO 8601 date or date and time (2024-03-11, 2024-03-11T08:00, "
     "2024-03-11T08:00+07:00)", "'yesterday' không phải ngày, hoặc ngày và giờ, theo ISO 8601 (2024-03-11, "
     "2024-03-11T08:00, 2024-03-11T08:00+07:00)"),
]


def test_the_written_out_argument_errors_cover_every_template():
    assert sorted(key for key, _, _ in ARGUMENT_ERRORS_WRITTEN_OUT) == sorted(words("en")["argument_errors"])


@pytest.mark.parametrize("key, english, vietnamese", ARGUMENT_ERRORS_WRITTEN_OUT,
                         ids=[k for k, _, _ in ARGUMENT_ERRORS_WRITTEN_OUT])
def test_each_argument_error_is_said_in_vietnamese_as_written_out(key, english, vietnamese):
    en, vi = words("en"), words("vi")
    assert cli._matched(english, en["argument_errors"])[0] == key
    assert cli._reworded(f"argument --format: {english}", en, vi) == f"tùy chọn --format: {vietnamese}"


@pytest.mark.parametrize("argv, english, vietnamese", [
    # argparse quotes an argument as it was typed, line breaks and all
    (["compare", "550", "421", "a\nb"], "smtpteach: unrecognized arguments: a b",
     "smtpteach: không nhận ra đối số: a b"),
    (["search", "mail", "--l=a\r\nb"], "smtpteach search: ambiguous option: --l=a b could match --limit, --lang",
     "smtpteach search: tùy chọn --l=a b chưa rõ ràng: có thể là --limit, --lang"),
], ids=["unrecognized", "ambiguous"])  # an id with a line break in it cannot be given back to pytest by name
def test_a_usage_error_quoting_a_line_break_is_one_line_in_either_language(capsys, argv, english, vietnamese):
    assert _one_line(*run(capsys, *argv)) == english
    assert _one_line(*run(capsys, *argv, "--lang", "vi")) == vietnamese


def test_export_takes_lang_before_it_for_its_messages_alone():
    # export's output holds both languages, so --lang after it is refused (above); before it, the command line's
    # own messages are Vietnamese and the output is the same whole catalogue
    import subprocess
    import sys

    full = subprocess.run(f"{sys.executable} -m smtpteach --lang vi export > /dev/full", shell=True, capture_output=True,
                          text=True)
    assert full.returncode == 74 and full.stderr == "smtpteach: không ghi được kết quả: No space left on device\n"
    plain = subprocess.run([sys.executable, "-m", "smtpteach", "export"], capture_output=True, text=True)
    said = subprocess.run([sys.executable, "-m", "smtpteach", "--lang", "vi", "export"], capture_output=True, text=True)
    assert said.returncode == plain.returncode == 0 and said.stdout == plain.stdout
