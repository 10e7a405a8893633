"""What every command-line tool of the project owes its user: ``--help`` that helps."""

from __future__ import annotations

import argparse


def unhelpful(parser: argparse.ArgumentParser, path: str = "") -> list[str]:
    """What is missing from ``parser`` and its subcommands: a description, examples, and
    help for every argument (empty when nothing is)."""
    name = path or parser.prog
    missing: list[str] = []
    if not (parser.description or "").strip():
        missing.append(f"{name}: no description")
    if "examples:" not in (parser.epilog or ""):
        missing.append(f"{name}: no examples")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {a.dest: a.help for a in action._choices_actions}
            for command, sub in action.choices.items():
                if not summaries.get(command):
                    missing.append(f"{name} {command}: no summary in the command list")
                missing += unhelpful(sub, f"{name} {command}")
        elif not isinstance(action, argparse._HelpAction) and not action.help:
            missing.append(f"{name}: {action.dest} has no help")
    return missing
