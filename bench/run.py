"""Run every benchmark in bench/ (files named bench_*.py), one process each, printing figures.

make bench            # or: .venv/bin/python bench/run.py [name ...]

A name picks the benchmarks whose file name contains it, "-" read as "_": `bench/run.py scale-out`
runs the load test (bench_scale_out.py), `bench/run.py scale-pages` the dashboard and "My reviews"
at demo scale (bench_scale_pages.py), `bench/run.py scale` both.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        wanted = [name.replace("-", "_") for name in names]
        scripts = [script for script in scripts if any(name in script.stem for name in wanted)]
    failed = 0
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        failed += subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
