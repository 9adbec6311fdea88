"""A doc that names code is tested: README's "Commands" table lists every command the `tutopanda`
parser defines, with each option (in brackets when optional, with its choices), and nothing else."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

from tutopanda.cli import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"
Command = tuple[str, ...]
# An option's long name -> (optional, its choices or None).
Options = dict[str, tuple[bool, tuple[str, ...] | None]]
_COMMAND_WORD = re.compile(r"[a-z][a-z-]*|\|")  # `db`, `prune-drafts`, `|` between alternatives


def _leaves(
    parser: argparse.ArgumentParser, path: Command = ()
) -> Iterator[tuple[Command, Options]]:
    """Every command that runs something (no subcommands below it), with its options."""
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for action in subcommands:
        for name, subparser in action.choices.items():
            yield from _leaves(subparser, (*path, name))
    if not subcommands:
        yield (
            path,
            {
                max(action.option_strings, key=len): (
                    not action.required,
                    tuple(action.choices) if action.choices else None,
                )
                for action in parser._actions
                if action.option_strings and not isinstance(action, argparse._HelpAction)
            },
        )


def parser_commands() -> dict[Command, Options]:
    return dict(_leaves(build_parser()))


def _usage_options(usage: str) -> Options:
    options: Options = {}
    for found in re.finditer(
        r"(?P<open>\[\s*)?(?P<name>--[a-z][a-z-]*)(?:\s+(?P<value>[^\s\]]+))?", usage
    ):
        value = found["value"] or ""
        choices = tuple(value.split("|")) if "|" in value else None
        options[found["name"]] = (found["open"] is not None, choices)
    return options


def readme_commands() -> dict[Command, Options]:
    """The first cell of each row of the Commands table: `tutopanda a b [--opt X]`, where
    `a b \\| c` names the commands `a b` and `a c`."""
    section = README.read_text().split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    commands: dict[Command, Options] = {}
    for row in re.finditer(r"^\| `tutopanda ([^`]+)` \|", section, re.MULTILINE):
        words = row[1].replace("\\|", "|").split()
        named = next((i for i, w in enumerate(words) if not _COMMAND_WORD.fullmatch(w)), len(words))
        first, *others = " ".join(words[:named]).split(" | ")
        *parents, name = first.split(" ")
        for leaf in (name, *others):
            commands[(*parents, leaf)] = _usage_options(" ".join(words[named:]))
    return commands


def test_the_readme_lists_every_command_with_its_options() -> None:
    assert readme_commands() == parser_commands()
