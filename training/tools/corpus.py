#!/usr/bin/env python3
"""Corpus tooling for entente's training data (standard library only).

  corpus.py split SRC_DIR   reviewed region files -> training/<region>.tsv + training/test.tsv
  corpus.py check           validates training/*.tsv: columns, labels vs CAMEO roots,
                            exact and near duplicates, coverage (countries, organizations,
                            CAMEO roots); exits 1 on any problem
"""
import collections
import glob
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLUMNS = ["label", "cameo", "actors", "text", "review"]
LABEL_OF_ROOT = {**{"%02d" % r: "neutral" for r in range(0, 3)},
                 **{"%02d" % r: "cooperative" for r in range(3, 9)},
                 **{"%02d" % r: "conflictual" for r in range(9, 21)}}
TEST_PERCENT = 15
NEAR_DUPLICATE = 0.6  # Jaccard similarity of word 3-gram sets


def read_rows(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for number, line in enumerate(f, start=2):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            yield number, dict(zip(header, fields + [""] * (len(header) - len(fields)))), len(fields), header


def write_rows(path, rows, columns):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(columns) + "\n")
        for row in rows:
            f.write("\t".join(row.get(c, "") for c in columns) + "\n")


def held_out(text):
    """A stable 15% sample: decided by the text alone, so reruns agree."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < TEST_PERCENT


def split(src_dir):
    """Drops near-duplicates (the later row of each pair), then holds out 15%."""
    rows = []
    for path in sorted(glob.glob(os.path.join(src_dir, "*.tsv"))):
        if path.endswith(".second.tsv"):
            continue
        region = os.path.basename(path)[:-4]
        for _, r, _, _ in read_rows(path):
            r["region"] = region
            rows.append(r)
    dropped = {b for _, b, _ in near_duplicates(rows)}
    seen = set()
    for i, r in enumerate(rows):
        key = " ".join(words(r["text"]))
        if key in seen:
            dropped.add(i)
        seen.add(key)
    kept = [r for i, r in enumerate(rows) if i not in dropped]
    for region in sorted({r["region"] for r in kept}):
        write_rows(os.path.join(ROOT, region + ".tsv"),
                   [r for r in kept if r["region"] == region and not held_out(r["text"])], COLUMNS)
    write_rows(os.path.join(ROOT, "test.tsv"), [r for r in kept if held_out(r["text"])], COLUMNS + ["region"])
    print("kept %d rows, dropped %d near-duplicates" % (len(kept), len(dropped)))


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def shingles(text):
    w = words(text)
    return {" ".join(w[i:i + 3]) for i in range(max(1, len(w) - 2))}


def near_duplicates(rows):
    sets = [shingles(r["text"]) for r in rows]
    index = collections.defaultdict(list)
    for i, s in enumerate(sets):
        for g in s:
            index[g].append(i)
    shared = collections.Counter()
    for ids in index.values():
        if len(ids) > 50:  # a phrase this common says nothing about duplication
            continue
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                shared[(ids[a], ids[b])] += 1
    for (a, b), n in shared.items():
        jaccard = n / len(sets[a] | sets[b])
        if jaccard >= NEAR_DUPLICATE:
            yield a, b, jaccard


def check():
    problems, rows = [], []
    files = sorted(glob.glob(os.path.join(ROOT, "*.tsv")))
    for path in files:
        name = os.path.relpath(path, os.path.dirname(ROOT))
        for number, row, nfields, header in read_rows(path):
            if header[:5] != COLUMNS:
                problems.append("%s: header must start with %s" % (name, " ".join(COLUMNS)))
                break
            where = "%s:%d" % (name, number)
            if nfields != len(header):
                problems.append("%s: expected %d fields, found %d" % (where, len(header), nfields))
            if LABEL_OF_ROOT.get(row["cameo"]) != row["label"]:
                problems.append("%s: label %r does not fit CAMEO root %r" % (where, row["label"], row["cameo"]))
            row["where"] = where
            rows.append(row)
    seen = {}
    for row in rows:
        key = " ".join(words(row["text"]))
        if key in seen:
            problems.append("%s: duplicate of %s" % (row["where"], seen[key]))
        seen[key] = row["where"]
    for a, b, j in near_duplicates(rows):
        problems.append("%s: near-duplicate of %s (Jaccard %.2f)" % (rows[b]["where"], rows[a]["where"], j))
    report(rows)
    for p in problems:
        print(p, file=sys.stderr)
    print("%d problem(s)" % len(problems))
    return 1 if problems else 0


def report(rows):
    labels = collections.Counter(r["label"] for r in rows)
    roots = collections.Counter(r["cameo"] for r in rows)
    codes = collections.Counter(c for r in rows for c in r["actors"].split())
    countries = sorted(c for c in codes if re.fullmatch(r"[A-Z]{3}", c) and c not in {"WHO", "IMF", "WTO", "ARL", "OAS", "GCC", "OIC", "WFP", "ICC", "ICJ", "SCO", "PIF", "COE", "CIS"})
    orgs = sorted(c for c in codes if c not in countries)
    reviewed = collections.Counter(r["review"].split(":")[0] or "agreed" for r in rows)
    print("sentences: %d" % len(rows))
    print("labels: " + ", ".join("%s %d (%.1f%%)" % (k, v, 100.0 * v / len(rows)) for k, v in sorted(labels.items())))
    print("CAMEO roots: " + " ".join("%s:%d" % kv for kv in sorted(roots.items())))
    print("countries: %d; organizations: %d (%s)" % (len(countries), len(orgs), " ".join(orgs)))
    print("second pass: " + ", ".join("%s %d" % kv for kv in sorted(reviewed.items())))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "split":
        split(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "check":
        sys.exit(check())
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
