"""The command line under ``--lang vi``: argparse's usage errors and help in Vietnamese.

argparse words its messages in English from templates ("the following arguments are required: %s"). With
``--lang vi`` anywhere on the command line, the command line recognises each message by its English template
(data/en/cli.yaml) and says it with the Vietnamese one of the same key (data/vi/cli.yaml), keeping the names and values
argparse put in it. A message with no template stays English, whole. Without ``--lang vi`` nothing changes.
"""

from __future__ import annotations

import argparse
import ast
import re
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
     "smtpteach search: tùy chọn --l không rõ là tùy chọn nào: có thể là --limit, --lang"),
    (["list", "--enhanced=yes"], "smtpteach list: argument --enhanced: ignored explicit argument 'yes'",
     "smtpteach list: tùy chọn --enhanced: không nhận giá trị nào, nhưng lại được ghi kèm 'yes'"),
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


@pytest.mark.parametrize("argv, english", [
    (["show", "--lang", "vi", "--lang", "en"], "smtpteach show: the following arguments are required: code"),
    (["show", "--lang", "fr"], "smtpteach show: argument --lang: invalid choice: 'fr' (choose from "),
    # after "--" nothing is an option: "--lang" is explain's text, and "vi" one argument too many
    (["explain", "--", "--lang", "vi"], "smtpteach: unrecognized arguments: vi"),
])
def test_what_is_no_lang_vi_to_argparse_leaves_the_error_in_english(capsys, argv, english):
    assert _one_line(*run(capsys, *argv)).startswith(english)


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
    assert _one_line(*run(capsys, "explain", "   ", "--lang", "vi")) == \
        "smtpteach explain: nothing to explain: the text is empty"
    code, _, err = run(capsys, "search", "q" * 100, "--lang", "vi")
    assert code == 1 and err.endswith("...' (100 characters)\n")


# -- the templates ------------------------------------------------------------------------------------------------

def _sample(template: str) -> dict[str, str]:
    """A value for each slot of a template, each one different and marked, to see where it ends up."""
    return {slot: f"<{slot}:{i}>" for i, slot in enumerate(SLOT_RE.findall(template))}


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
    for group in ("usage_errors", "argument_errors", "argparse", "help"):
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
        if key in {"whole_number", "too_small"} or sys.version_info < NEWER.get(key, (0,)):
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
    assert "--version in phiên bản của chương trình rồi thoát" in lines


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
