#!/usr/bin/env python3
"""Every binding under bindings/<lang>/ offers every function of
include/eiam.h: its sources (tests excluded) must name each one. A binding
added later is checked the same way, with no change here.

Signatures are checked where each binding is built: cgo and the C++ wrapper
include eiam.h itself, so a changed signature fails their build, and the
Node binding declares its functions from the header (bindings/node/ffi.js)
and tests that its committed copy is fresh.

A function a binding leaves to its users on purpose is listed, with the
reason, in bindings/<lang>/header-parity-exempt.txt ("name  # why").
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE_SUFFIXES = {".go", ".c", ".hpp", ".h", ".cpp", ".js", ".ts", ".json", ".java", ".py"}


def header_functions():
    header = (ROOT / "include" / "eiam.h").read_text()
    return sorted(set(re.findall(r"\b(eiam_[a-z0-9_]+)\s*\(", header)) - {"eiam_h"})


def binding_sources(binding):
    for path in sorted(binding.rglob("*")):
        parts = set(path.relative_to(binding).parts)
        if path.suffix not in SOURCE_SUFFIXES or parts & {"node_modules", "test", "tests", "target"}:
            continue
        if path.name.endswith("_test.go"):
            continue
        yield path


def exemptions(binding):
    listed = binding / "header-parity-exempt.txt"
    if not listed.exists():
        return {}
    out = {}
    for line in listed.read_text().splitlines():
        name, _, why = line.partition("#")
        if name.strip():
            out[name.strip()] = why.strip()
    return out


def main():
    functions = header_functions()
    if len(functions) < 20:
        sys.exit(f"found only {len(functions)} functions in include/eiam.h")
    problems = []
    bindings = sorted(p for p in (ROOT / "bindings").iterdir() if p.is_dir())
    for binding in bindings:
        text = "\n".join(p.read_text(errors="replace") for p in binding_sources(binding))
        exempt = exemptions(binding)
        for name in exempt:
            if name not in functions:
                problems.append(f"{binding.name}: exempts {name}, which the header does not have")
        missing = [f for f in functions if f not in exempt and not re.search(rf"\b{f}\b", text)]
        for name in missing:
            problems.append(f"{binding.name}: lacks {name}")
        print(f"{binding.name}: {len(functions) - len(missing)} of {len(functions)} functions"
              + (f" ({len(exempt)} exempt)" if exempt else ""))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
