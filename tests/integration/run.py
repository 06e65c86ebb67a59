#!/usr/bin/env python3
"""run.py: runs every test_* function of tests/integration/test_*.py.

Each test gets a fresh temporary directory and must clean up the processes
it starts.  Prints one line per test and ends on 'N passed, N failed', after a line
naming the tests that raised harness.Skip (not counted as passed).
Usage: run.py [-k SUBSTRING] [--keep]"""
import argparse
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep temporary directories")
    args = ap.parse_args()

    tests = []
    for fn in sorted(os.listdir(HERE)):
        if fn.startswith("test_") and fn.endswith(".py"):
            spec = importlib.util.spec_from_file_location(fn[:-3], os.path.join(HERE, fn))
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            for name in sorted(dir(mod)):
                if name.startswith("test_") and args.k in f"{fn[:-3]}.{name}":
                    tests.append((f"{fn[:-3]}.{name}", getattr(mod, name)))

    passed = failed = 0
    skipped = []
    for name, fn in tests:
        tmp = harness.tempdir()
        t0 = time.monotonic()
        try:
            fn(tmp)
            passed += 1
            print(f"ok     {name} ({time.monotonic() - t0:.1f} s)", flush=True)
        except harness.Skip as e:
            skipped.append(name)
            print(f"skip   {name}: {e}", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL   {name} ({time.monotonic() - t0:.1f} s)\n" + traceback.format_exc(), flush=True)
            for log in sorted(os.listdir(tmp)):
                if log.endswith(".log"):
                    with open(os.path.join(tmp, log), errors="replace") as f:
                        tail = f.read()[-3000:]
                    print(f"--- {log} (tail)\n{tail}", flush=True)
        finally:
            if not args.keep:
                harness.cleanup(tmp)
    if skipped:
        print(f"{len(skipped)} skipped: {', '.join(skipped)}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
