"""Time of comparing two versions of a paragraph, as the section page does for each suggestion
and the history for each pair of versions: an ordinary paragraph, a 30,000-word paragraph with
one word changed, and a 30,000-word paragraph changed at both ends (compared by paragraph past
reports.diff.MAX_COMPARISON, where word by word took 43-51 s). Pure functions: no database."""

import os
import random
import statistics
import sys
import time
from pathlib import Path

RUNS = 5
VOCABULARY = "the police visited and she said that he was at home with the child".split()


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    import django

    django.setup()
    from reports.diff import diff_rows

    rng = random.Random(7)
    ordinary = " ".join(rng.choice(VOCABULARY) for _ in range(200))
    long = " ".join(rng.choice(VOCABULARY) for _ in range(30_000))
    cases = {
        "200 words, reworded at both ends": (ordinary, f"Now {ordinary[10:-10]} then"),
        "30,000 words, one word changed": (long, long.replace("visited", "rang", 1)),
        "30,000 words, changed at both ends": (long, f"Earlier {long[8:-8]} later"),
    }
    for name, (old, new) in cases.items():
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            rows = diff_rows(f"<p>{old}</p>", f"<p>{new}</p>")
            times.append(time.perf_counter() - start)
        by = "by paragraph" if any(row.whole for row in rows) else "word by word"
        print(f"diff {name}: median {statistics.median(times) * 1000:.0f} ms ({by})")


if __name__ == "__main__":
    main()
