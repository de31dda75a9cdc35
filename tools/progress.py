#!/usr/bin/env python3
"""`make progress`: runs each kata's tests against exercises/ and prints where you stand.

Never fails the build: a kata that does not compile yet is just not solved yet.
Reads the structured results of the json doctest reporter (format in ARCHITECTURE.md).
"""
import json
import os
import re
import subprocess
import sys
import textwrap


def build(build_dir, kata):
    proc = subprocess.run(
        ["cmake", "--build", build_dir, "--target", f"{kata}_test"],
        capture_output=True, text=True)
    if proc.returncode == 0:
        return None
    for line in (proc.stdout + proc.stderr).splitlines():
        m = re.search(r"([^/\s]+\.(?:hpp|cpp)):(\d+):\d+: (?:fatal )?error: (.*)", line)
        if m:
            return f"does not compile\n{m.group(1)}:{m.group(2)}: {m.group(3)}"
    return f"does not compile (see the log: cmake --build {build_dir} --target {kata}_test)"


def run(build_dir, kata):
    exe = os.path.join(build_dir, f"{kata}_test")
    try:
        proc = subprocess.run([exe, "--reporters=json"], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return 0, 0, "stopped after 60 s: an infinite loop?"
    passed = failed = 0
    first = None
    for line in proc.stdout.splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        kind = event.get("type")
        if kind == "test_end":
            if event["passed"]:
                passed += 1
            else:
                failed += 1
        elif kind == "assert" and not event["passed"] and first is None:
            check = f"{event['macro']}({event['expr']})" if event["expr"] else event["macro"]
            detail = f" is {event['expanded']}" if event["expanded"] and event["expanded"] != event["expr"] else ""
            lines = [f"first failure in \"{event['test']}\"",
                     f"{event['file']}:{event['line']}: {check}{detail}"]
            lines += event["message"].splitlines() if event["message"] else []
            first = "\n".join(lines)
        elif kind == "exception" and first is None:
            first = f"first failure in \"{event['test']}\"\nthe test threw: {event['what']}"
    if proc.returncode < 0 and first is None:
        first = f"crashed (signal {-proc.returncode})"
    return passed, failed, first


def wrapped(text, indent, width=100):
    """The note under a kata's row: each line of it wrapped and indented under the status."""
    out = []
    for line in text.splitlines() or [""]:
        out.extend(textwrap.wrap(line, width=width, initial_indent=indent, subsequent_indent=indent + "  ") or [indent])
    return "\n".join(out)


def main():
    build_dir, katas = sys.argv[1], sys.argv[2:]
    rows = []
    solved = 0
    for kata in katas:
        try:
            error = build(build_dir, kata)
            if error:
                rows.append((kata, "not yet", error))
                continue
            passed, failed, first = run(build_dir, kata)
        except OSError as e:  # cmake or the test program could not be started at all
            rows.append((kata, "not yet", f"could not build or run it: {e}"))
            continue
        ok = failed == 0 and passed > 0 and first is None
        solved += ok
        rows.append((kata, "solved" if ok else f"{passed}/{passed + failed} tests", "" if ok else (first or "")))
    width = max(len(k) for k in katas)
    indent = " " * (width + 2)
    print(f"{'kata':<{width}}  status")
    print(f"{'-' * width}  {'-' * 12}")
    for kata, status, note in rows:
        print(f"{kata:<{width}}  {status}")
        if note:
            print(wrapped(note, indent + "  "))
    if solved == len(katas):
        print(f"\n{solved}/{len(katas)} katas solved. Well done.")
    else:
        print(f"\n{solved}/{len(katas)} katas solved. Edit exercises/<kata>/<kata>.hpp, then run `make progress` again.")


if __name__ == "__main__":
    main()
