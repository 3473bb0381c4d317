"""`propscope analyze`: placeholder until the command is implemented."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("analyze", help="(not implemented yet)")
    p.set_defaults(func=lambda args: print("not implemented yet") or 2)
