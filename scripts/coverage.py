#!/usr/bin/env python3
"""Prints line and branch coverage per source folder from a gcovr
--json-summary file, then the total."""
import json
import sys
from collections import defaultdict

data = json.load(open(sys.argv[1]))
acc = defaultdict(lambda: [0, 0, 0, 0])
for f in data["files"]:
    name = f["filename"]
    parts = name.split("/")
    folder = "/".join(parts[:2]) if len(parts) > 2 else name
    a = acc[folder]
    a[0] += f["line_covered"]
    a[1] += f["line_total"]
    a[2] += f["branch_covered"]
    a[3] += f["branch_total"]


def pct(c, t):
    return f"{100.0 * c / t:5.1f}%" if t else "    -"


print(f"{'folder':<14} {'lines':>7} {'':>13} {'branches':>9} {'':>13}")
tot = [0, 0, 0, 0]
for folder in sorted(acc):
    a = acc[folder]
    tot = [x + y for x, y in zip(tot, a)]
    print(f"{folder:<14} {pct(a[0], a[1]):>7} {a[0]:>6}/{a[1]:<6} {pct(a[2], a[3]):>9} {a[2]:>6}/{a[3]:<6}")
print(f"{'total':<14} {pct(tot[0], tot[1]):>7} {tot[0]:>6}/{tot[1]:<6} {pct(tot[2], tot[3]):>9} {tot[2]:>6}/{tot[3]:<6}")
