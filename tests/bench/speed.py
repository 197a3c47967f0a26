#!/usr/bin/python3
"""Speed and memory of entente against peer classifiers, in one run.

Run with the system interpreter (/usr/bin/python3), which has scikit-learn:

  make bench-speed
  /usr/bin/python3 tests/bench/speed.py [--sentences N] [--repeat R] [--keep] [--no-scaling]

1. Builds an input of N sentences (default 200,000) from the text column of
   ../shared/data/*.tsv (or of training/*.tsv when that directory is absent),
   repeated and shuffled with a fixed seed, as articles of 10 sentences: JSONL
   for entente, one sentence per line for the peers. Also N/10 and N*10
   sentence JSONL variants, for entente's peak RSS against input size.
2. Trains entente (train --c 1 --actors models/actors.tsv), fastText, scikit-learn
   LinearSVC, libsvm svm-train and liblinear-train on training/*.tsv (the six
   corpus files, not test.tsv) and reports each training time as a ratio to
   entente's.
3. Measures single-threaded classification throughput on the N sentences:
   entente classify -j 1 (JSONL in, JSONL out), fasttext predict-prob,
   scikit-learn transform+predict (timed in-process, after loading),
   svm-predict and liblinear-predict (on pre-made TF-IDF vectors: vectorizing
   is excluded). Also entente -j 2 against -j 1 (output must be byte-identical).
4. Peak RSS of every run (/usr/bin/time -f %M, else the rusage of the waited
   child from os.wait4), and entente's at N/10, N and N*10 sentences.
5. Prints a Markdown table (ratios to entente beside each figure, and the
   targets of the issue) and writes it to tests/bench/out/speed.md.

Each timed run is repeated R times (default 3), best (lowest) time kept; runs are
sequential. Exit status: 0 done (whether or not the targets are met), 1 a tool
failed, 2 a usage or data error.
"""

import argparse
import glob
import json
import os
import pickle
import random
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True    # no __pycache__ in tests/bench
sys.path.insert(0, HERE)
import peers  # noqa: E402  (shared settings: fastText, libsvm and LinearSVC parameters, data reader)

ROOT = peers.ROOT
TRAIN_FILES = ("africa", "americas", "east-asia", "europe", "global", "mideast")
ARTICLE = 10          # sentences per article
SHUFFLE_SEED = 1
LIBLINEAR_ARGS = ["-s", "1", "-c", "1", "-q"]   # L2-regularised L2-loss SVC (dual), as LinearSVC
TIME_BIN = "/usr/bin/time"
# Targets of the issue.
TARGET_FASTTEXT = 3.0     # entente throughput >= 3x fasttext predict
TARGET_SVM = 25.0         # entente throughput >= 25x svm-predict
TARGET_RSS_MB = 64.0      # entente peak RSS < 64 MB at any input size
TARGET_J2 = 1.7           # -j 2 >= 1.7x -j 1
J2_MIN_CORES = 1.5        # a -j 2 run that kept fewer cores busy had no second core to itself

BenchError, ToolError, rel = peers.BenchError, peers.ToolError, peers.rel


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- measuring


def measure(cmd, stdout=None, what=None):
    """Runs cmd once; returns {"wall": s, "cpu": user+sys s, "rss_kb": peak RSS}.
    stdout: a path, or None for /dev/null. Peak RSS from /usr/bin/time -f %M when
    present, else from the rusage os.wait4 returns for that one child (the
    per-child form of getrusage(RUSAGE_CHILDREN), which would keep the maximum
    over all earlier children)."""
    what = what or os.path.basename(cmd[0])
    fd, errpath = tempfile.mkstemp(prefix="speed-err-")
    os.close(fd)
    tpath = errpath + ".time"
    use_time = os.access(TIME_BIN, os.X_OK)
    full = [TIME_BIN, "-f", "%M %U %S", "-o", tpath] + cmd if use_time else cmd
    out = open(stdout, "wb") if stdout else open(os.devnull, "wb")
    try:
        with out, open(errpath, "wb") as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(full, stdout=out, stderr=err, cwd=ROOT)
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            with open(errpath, "rb") as f:
                msg = f.read().decode("utf-8", "replace")[-2000:]
            raise ToolError("%s failed (exit %d): %s\n%s" % (what, p.returncode, " ".join(cmd), msg))
        rss, cpu = ru.ru_maxrss, ru.ru_utime + ru.ru_stime
        if use_time:
            with open(tpath) as f:
                last = f.read().split("\n")
            fields = [l for l in last if l.strip()][-1].split()
            rss, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
        with open(errpath, "rb") as f:
            stderr = f.read().decode("utf-8", "replace")
        return {"wall": wall, "cpu": cpu, "rss_kb": rss, "stderr": stderr}
    finally:
        for path in (errpath, tpath):
            if os.path.exists(path):
                os.remove(path)


def best_of(repeat, fn, label, n=None):
    """Calls fn() repeat times (each returns a measure() dict, optionally with an
    "inner" time); keeps the lowest time and the highest peak RSS."""
    runs = []
    for i in range(repeat):
        r = fn()
        runs.append(r)
        log("  %-38s run %d/%d: %.2f s%s, peak RSS %.1f MB" % (
            label, i + 1, repeat, r["wall"],
            " (timed part %.2f s)" % r["inner"] if "inner" in r else "", r["rss_kb"] / 1024))
    key = "inner" if "inner" in runs[0] else "wall"
    best = min(runs, key=lambda r: r[key])
    ckey = "inner_cpu" if "inner_cpu" in runs[0] else "cpu"
    return {"time": best[key], "wall": best["wall"], "cpu": best["cpu"], "n": n,
            "cpu_time": min(r[ckey] for r in runs),
            "rss_kb": max(r["rss_kb"] for r in runs), "runs": [r[key] for r in runs]}


# ---------------------------------------------------------------- inputs


def source_sentences(data_dir):
    """(sentences, description): the text column of data_dir/*.tsv, else of training/*.tsv."""
    files = sorted(glob.glob(os.path.join(data_dir, "*.tsv")))
    if not files:
        files = sorted(glob.glob(os.path.join(ROOT, "training", "*.tsv")))
        where = "training/*.tsv (%s absent)" % rel(data_dir)
    else:
        where = "%s/*.tsv" % rel(data_dir)
    out = []
    for path in files:
        with open(path, encoding="utf-8", newline="\n") as f:
            lines = f.read().split("\n")
        header = [c.strip(" \t\r").lower() for c in lines[0].split("\t")]
        if "text" not in header:
            raise BenchError("%s: no 'text' column in the header" % rel(path))
        col = header.index("text")
        for line in lines[1:]:
            parts = line.rstrip("\r").split("\t")
            if len(parts) > col:
                text = " ".join(parts[col].split())   # one line, single spaces
                if text:
                    out.append(text)
    if not out:
        raise BenchError("no sentences in %s" % where)
    return out, where


def make_sentences(pool, n, seed):
    """n sentences: whole shuffled passes over pool (fixed seed), cut at n."""
    r = random.Random(seed)
    out = []
    while len(out) < n:
        batch = pool[:]
        r.shuffle(batch)
        out.extend(batch)
    return out[:n]


def write_jsonl(path, sentences):
    """Articles of ARTICLE sentences joined by a space; returns the article count."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        k = 0
        for k, i in enumerate(range(0, len(sentences), ARTICLE), 1):
            f.write(json.dumps({"id": "a%d" % k, "date": "2024-01-%02d" % (1 + k % 28),
                                "text": " ".join(sentences[i:i + ARTICLE])}, ensure_ascii=False))
            f.write("\n")
    return k


def write_lines(path, sentences, lower=False):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for s in sentences:
            f.write((s.lower() if lower else s) + "\n")


# ---------------------------------------------------------------- scikit-learn children
# Run as separate processes (this file with a hidden sub-command) so that each has
# its own peak RSS; they print one JSON line with the time of the part that counts.


def child_sklearn_train(args):
    sk = peers.sklearn_modules()
    rows = []
    for path in args.files:
        rows.extend(peers.read_data(path))
    texts, labels = [t for _, t in rows], [l for l, _ in rows]
    model = sk["make_pipeline"](peers.tfidf(sk), sk["LinearSVC"](C=peers.SVC_C, class_weight="balanced",
                                                                 random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        model.fit(texts, labels)
        t = time.perf_counter() - t0
    with open(args.out, "wb") as f:
        pickle.dump(model, f)
    print(json.dumps({"seconds": t, "rows": len(rows)}))
    return 0


def child_sklearn_predict(args):
    peers.sklearn_modules()
    with open(args.model, "rb") as f:
        model = pickle.load(f)
    with open(args.input, encoding="utf-8", newline="\n") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    t0, c0 = time.perf_counter(), time.process_time()
    pred = model.predict(texts)            # TfidfVectorizer.transform + LinearSVC.predict
    t, c = time.perf_counter() - t0, time.process_time() - c0
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(pred) + "\n")
    print(json.dumps({"seconds": t, "cpu": c, "n": len(texts)}))
    return 0


def child_vectors(args):
    """TF-IDF (peers.tfidf) fitted on the training rows: svmlight files of the
    training rows and of each input file (label 1: svm-predict needs one)."""
    sk = peers.sklearn_modules()
    rows = []
    for path in args.files:
        rows.extend(peers.read_data(path))
    vec = peers.tfidf(sk)
    X = vec.fit_transform([t for _, t in rows])
    y = [peers.LABELS.index(l) + 1 for l, _ in rows]
    sk["dump_svmlight_file"](X, y, args.train_out, zero_based=False)
    for src, dst in zip(args.inputs[0::2], args.inputs[1::2]):
        with open(src, encoding="utf-8", newline="\n") as f:
            texts = f.read().split("\n")
        if texts and texts[-1] == "":
            texts.pop()
        Xt = vec.transform(texts)
        sk["dump_svmlight_file"](Xt, [1] * len(texts), dst, zero_based=False)
    print(json.dumps({"features": len(vec.vocabulary_)}))
    return 0


def idle_fraction(seconds):
    """Share of all CPUs' time spent idle over the next seconds (from /proc/stat)."""
    def sample():
        with open("/proc/stat") as f:
            v = [int(t) for t in f.readline().split()[1:]]
        return v[3] + v[4], sum(v[:8])        # idle + iowait, total without guest
    try:
        i0, t0 = sample()
        time.sleep(seconds)
        i1, t1 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    return (i1 - i0) / (t1 - t0) if t1 > t0 else 0.0


def retry_threads(args, R, cmd):
    """Waits up to --wait-idle seconds for the CPUs to be idle, then times -j 1 and -j 2
    again, alternating, R runs each. None when the machine never went idle."""
    log("-j 2 did not get two cores: waiting up to %d s for idle CPUs to measure it again"
        % args.wait_idle)
    deadline = time.monotonic() + args.wait_idle
    while time.monotonic() < deadline:
        idle = idle_fraction(3)
        if idle >= 0.9:
            runs = {1: [], 2: []}
            for i in range(R):
                for j in (1, 2):
                    r = measure(cmd(j), None, "entente classify -j %d" % j)
                    runs[j].append(r)
                    log("  %-38s run %d/%d: %.2f s, %.2f cores" % ("entente classify -j %d (idle)" % j,
                                                                   i + 1, R, r["wall"], r["cpu"] / r["wall"]))
            b1, b2 = (min(runs[j], key=lambda r: r["wall"]) for j in (1, 2))
            return {"idle": idle, "at": time.strftime("%H:%M:%S"), "j1": b1, "j2": b2}
        time.sleep(5)
    log("  the CPUs never went idle")
    return None


def child(cmd, what):
    """A scikit-learn child under measure(); its JSON line is at the end of stdout."""
    fd, outpath = tempfile.mkstemp(prefix="speed-child-")
    os.close(fd)
    try:
        r = measure([sys.executable, os.path.abspath(__file__)] + cmd, stdout=outpath, what=what)
        with open(outpath) as f:
            r["json"] = json.loads(f.read().strip().split("\n")[-1])
        if "seconds" in r["json"]:
            r["inner"] = r["json"]["seconds"]
        if "cpu" in r["json"]:
            r["inner_cpu"] = r["json"]["cpu"]
        return r
    finally:
        os.remove(outpath)


# ---------------------------------------------------------------- formatting


def x(v):
    return "–" if v is None else ("%.1f×" % v if v < 100 else "%.0f×" % v)


def mb(kb):
    return "%.1f" % (kb / 1024.0)


def num(v):
    return "{:,.0f}".format(v)


def met(ok):
    return "**yes**" if ok else "**NO**"


# ---------------------------------------------------------------- main run


def bench(args):
    exe = peers.entente_bin(args.entente)
    missing = {}
    for tool, pkg in (("fasttext", "fasttext"), ("svm-train", "libsvm-tools"), ("svm-predict", "libsvm-tools"),
                      ("liblinear-train", "liblinear-tools"), ("liblinear-predict", "liblinear-tools")):
        if shutil.which(tool) is None:
            missing[tool] = "'%s' not on PATH (package %s)" % (tool, pkg)
    try:
        sk = peers.sklearn_modules()
        import sklearn
        sk_version = sklearn.__version__
    except BenchError as e:
        sk, sk_version = None, None
        missing["scikit-learn"] = str(e)
    for t, why in missing.items():
        log("skip %s: %s" % (t, why))
    have = lambda t: t not in missing   # noqa: E731
    vectors_ok = sk is not None
    actors = os.path.join(ROOT, "models", "actors.tsv")
    actor_args = ["--actors", actors] if os.path.exists(actors) else ["--no-actors"]
    train_files = [os.path.join(ROOT, "training", f + ".tsv") for f in TRAIN_FILES]
    for f in train_files:
        if not os.path.exists(f):
            raise BenchError("%s is missing" % rel(f))
    n = args.sentences
    if n < ARTICLE * 10:
        raise BenchError("--sentences must be at least %d" % (ARTICLE * 10))
    R = args.repeat
    load_start = os.getloadavg()
    tmp = args.workdir or tempfile.mkdtemp(prefix="entente-speed-")
    os.makedirs(tmp, exist_ok=True)
    W = lambda name: os.path.join(tmp, name)   # noqa: E731
    res = {"train": {}, "cls": {}, "startup": {}, "scale": {}}
    try:
        # A private copy: a 'make' elsewhere during the run must not swap the binary.
        res["revision"] = revision()
        shutil.copy2(exe, W("entente"))
        exe = W("entente")
        # ---- 1. inputs
        pool, where = source_sentences(os.path.join(ROOT, args.data_dir))
        log("input: %d distinct sentences from %s" % (len(pool), where))
        sizes = {"small": n // 10, "main": n, "large": n * 10}
        if args.no_scaling:
            sizes = {"main": n}
        main = make_sentences(pool, n, SHUFFLE_SEED)
        articles = write_jsonl(W("main.jsonl"), main)
        write_lines(W("main.txt"), main)
        write_lines(W("main.lower.txt"), main, lower=True)
        write_jsonl(W("one.jsonl"), main[:1])
        write_lines(W("one.txt"), main[:1])
        write_lines(W("one.lower.txt"), main[:1], lower=True)
        chars = sum(len(s) for s in main) / len(main)
        for k in ("small", "large"):
            if k in sizes:
                write_jsonl(W("%s.jsonl" % k), make_sentences(pool, sizes[k], SHUFFLE_SEED))
        del main
        log("wrote %s (%d sentences in %d articles) and variants" % (W("main.jsonl"), n, articles))

        # ---- 2. training (all on training/*.tsv)
        log("training")
        ent_model = W("entente.model")
        res["train"]["entente"] = best_of(R, lambda: measure(
            [exe, "train"] + train_files + ["-o", ent_model, "--c", "1"] + actor_args,
            what="entente train"), "entente train")
        if vectors_ok:
            r = child(["_vectors", "--train-out", W("train.svm"), "--files"] + train_files +
                      ["--inputs", W("main.txt"), W("main.svm"), W("one.txt"), W("one.svm")], "vectors")
            res["features"] = r["json"]["features"]
            res["train"]["sklearn"] = best_of(R, lambda: child(
                ["_sklearn-train", "--out", W("sklearn.pkl"), "--files"] + train_files,
                "scikit-learn fit"), "scikit-learn fit")
        if have("fasttext"):
            ft_train = W("fasttext-train.txt")
            with open(ft_train, "w", encoding="utf-8", newline="\n") as f:
                for path in train_files:
                    for label, text in peers.read_data(path):
                        f.write("__label__%s %s\n" % (label, peers.FastText.line(text)))
            res["train"]["fasttext"] = best_of(R, lambda: measure(
                ["fasttext", "supervised", "-input", ft_train, "-output", W("fasttext")] +
                peers.FASTTEXT_ARGS, what="fasttext supervised"), "fasttext supervised")
            res["fasttext_bin_mb"] = os.path.getsize(W("fasttext.bin")) / 1e6
        if vectors_ok and have("svm-train"):
            res["train"]["svm-train"] = best_of(R, lambda: measure(
                ["svm-train"] + peers.SVM_ARGS + [W("train.svm"), W("libsvm.model")]), "svm-train")
        if vectors_ok and have("liblinear-train"):
            res["train"]["liblinear-train"] = best_of(R, lambda: measure(
                ["liblinear-train"] + LIBLINEAR_ARGS + [W("train.svm"), W("liblinear.model")]),
                "liblinear-train")

        # ---- 3 & 4. classification, single thread, n sentences
        log("classifying %d sentences" % n)
        ent_cmd = lambda j, inp: [exe, "classify", "-m", ent_model, "--input", "jsonl",   # noqa: E731
                                  "--format", "jsonl", "-j", str(j), inp]
        cls, st = res["cls"], res["startup"]
        cls["entente"] = best_of(R, lambda: measure(ent_cmd(1, W("main.jsonl")), W("out-j1.jsonl"),
                                                    "entente classify"), "entente classify -j 1")
        st["entente"] = best_of(R, lambda: measure(ent_cmd(1, W("one.jsonl")), W("out-one.jsonl"),
                                                   "entente classify"), "entente classify, 1 sentence")
        found = 0
        with open(W("out-j1.jsonl"), encoding="utf-8") as f:
            lines = 0
            for line in f:
                lines += 1
                found += len(json.loads(line)["sentences"])
        if lines != articles:
            raise ToolError("entente classify wrote %d lines for %d articles" % (lines, articles))
        res["entente_found"] = found
        cls["entente-j2"] = best_of(R, lambda: measure(ent_cmd(2, W("main.jsonl")), W("out-j2.jsonl"),
                                                       "entente classify -j 2"), "entente classify -j 2")
        res["j2_identical"] = subprocess.call(["cmp", "-s", W("out-j1.jsonl"), W("out-j2.jsonl")]) == 0
        os.remove(W("out-j2.jsonl"))
        if have("fasttext"):
            ft = lambda inp, out: measure(["fasttext", "predict-prob", W("fasttext.bin"), inp],   # noqa: E731
                                          out, "fasttext predict-prob")
            cls["fasttext"] = best_of(R, lambda: ft(W("main.lower.txt"), W("out-ft.txt")),
                                      "fasttext predict-prob")
            st["fasttext"] = best_of(R, lambda: ft(W("one.lower.txt"), W("out-ft-one.txt")),
                                     "fasttext predict-prob, 1 sentence")
            with open(W("out-ft.txt"), "rb") as f:
                res["fasttext_lines"] = sum(1 for _ in f)
        if vectors_ok:
            cls["sklearn"] = best_of(R, lambda: child(
                ["_sklearn-predict", W("sklearn.pkl"), W("main.txt"), W("out-sk.txt")],
                "scikit-learn predict"), "scikit-learn transform+predict")
        if vectors_ok and have("svm-predict"):
            # svm-predict computes one kernel per support vector and sentence: a prefix of
            # the same shuffled input keeps each run under a minute or so.
            m = min(n, args.svm_sentences)
            with open(W("main.svm"), "rb") as f, open(W("svm-prefix.svm"), "wb") as g:
                for i, line in enumerate(f):
                    if i >= m:
                        break
                    g.write(line)
            sp = lambda inp, out: measure(["svm-predict", "-q", inp, W("libsvm.model"), out],  # noqa: E731
                                          what="svm-predict")
            cls["svm-predict"] = best_of(R, lambda: sp(W("svm-prefix.svm"), W("out-svm.txt")),
                                         "svm-predict (%d sentences)" % m, m)
            st["svm-predict"] = best_of(R, lambda: sp(W("one.svm"), W("out-svm-one.txt")),
                                        "svm-predict, 1 sentence")
        if vectors_ok and have("liblinear-predict"):
            lp = lambda inp, out: measure(["liblinear-predict", "-q", inp, W("liblinear.model"), out],  # noqa: E731
                                          what="liblinear-predict")
            cls["liblinear-predict"] = best_of(R, lambda: lp(W("main.svm"), W("out-ll.txt")),
                                               "liblinear-predict")
            st["liblinear-predict"] = best_of(R, lambda: lp(W("one.svm"), W("out-ll-one.txt")),
                                              "liblinear-predict, 1 sentence")

        # ---- 4. entente's peak RSS against input size (output discarded, one run each)
        log("entente peak RSS against input size")
        for k, size in sizes.items():
            name = "main.jsonl" if k == "main" else "%s.jsonl" % k
            r = measure(ent_cmd(1, W(name)), None, "entente classify")
            log("  %-38s %.2f s, peak RSS %.1f MB" % ("%d sentences" % size, r["wall"], r["rss_kb"] / 1024))
            res["scale"][size] = r

        # ---- -j 2 again, if the first pair did not get two cores and they free up in time
        j2 = cls["entente-j2"]
        if j2["cpu"] / j2["wall"] < J2_MIN_CORES and args.wait_idle > 0:
            res["retry"] = retry_threads(args, R, lambda j: ent_cmd(j, W("main.jsonl")))
    finally:
        if args.keep:
            log("work files kept in %s" % tmp)
        elif not args.workdir:
            shutil.rmtree(tmp, ignore_errors=True)
    res.update(n=n, articles=articles, pool=len(pool), where=where, chars=chars, repeat=R,
               load=(load_start, os.getloadavg()), missing=missing, sk_version=sk_version,
               actor_args=actor_args, autogroup=autogroup())
    if args.keep or args.workdir:
        with open(os.path.join(tmp, "results.pickle"), "wb") as f:
            pickle.dump(res, f)       # the raw figures, to re-render or inspect
    md = markdown(res)
    print(md, end="")
    out = args.out if os.path.isabs(args.out) else os.path.join(ROOT, args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(md)
    log("wrote %s" % rel(out))
    return 0


def markdown(res):
    n, R = res["n"], res["repeat"]
    L = []
    add = L.append
    add("# entente speed and memory against peers\n")
    cpus = os.cpu_count()
    (l1, _, _), (l2, _, _) = res["load"]
    add("Written by `tests/bench/speed.py`. Machine: %d CPUs, 1-minute load average %.2f at the start "
        "and %.2f at the end%s. Every timed run is repeated %d times in sequence and the best kept; "
        "peak RSS is the highest of the runs (`%s`). entente at `%s`; versions: %s."
        % (cpus, l1, l2,
           " (other processes were running: see the *CPU ÷ wall* and *by CPU time* columns)"
           if l1 > 0.5 or l2 > 1.5 else "",
           R, "/usr/bin/time -f %M" if os.access(TIME_BIN, os.X_OK) else "os.wait4 rusage", res["revision"],
           peers.versions(res["sk_version"] or "absent") + ", liblinear " + dpkg("liblinear-tools")))
    add("")
    add("Input: %s sentences (%s distinct, from %s, mean %.0f characters) shuffled with seed %d, "
        "as %s JSONL articles of %d sentences for entente and one sentence per line for the peers "
        "(lowercased for fastText, as it was trained). entente's sentence splitter finds %s "
        "sentences in those articles (a source sentence without final punctuation runs into the "
        "next); rates below are per input sentence for every tool."
        % (num(n), num(res["pool"]), res["where"], res["chars"], SHUFFLE_SEED, num(res["articles"]),
           ARTICLE, num(res["entente_found"])))
    if "fasttext_lines" in res and res["fasttext_lines"] != n:
        add("")
        add("Note: fastText wrote %s lines for %s sentences." % (num(res["fasttext_lines"]), num(n)))
    for t, why in res["missing"].items():
        add("")
        add("Not run: %s — %s." % (t, why))

    # ---- training
    tr = res["train"]
    base = tr["entente"]["time"]
    add("")
    add("## Training on training/{%s}.tsv\n" % ",".join(TRAIN_FILES))
    add("| tool | settings | time ÷ entente's | peak RSS MB | RSS ÷ entente's |")
    add("|---|---|---:|---:|---:|")
    rows = [
        ("entente", "entente", "`train --c 1 %s` (libsvm linear C-SVC, balanced class weights, "
         "Platt probabilities: an inner 5-fold CV)" % " ".join(
             rel(a) if os.path.isabs(a) else a for a in res["actor_args"])),
        ("sklearn", "scikit-learn", "`TfidfVectorizer(1-2 grams, sublinear_tf)` + `LinearSVC(C=%g, "
         "class_weight=balanced)`; `fit` only" % peers.SVC_C),
        ("fasttext", "fastText", "`supervised %s`; writes a %.0f MB .bin"
         % (" ".join(peers.FASTTEXT_ARGS), res.get("fasttext_bin_mb", 0))),
        ("svm-train", "libsvm svm-train", "`svm-train %s` on pre-made TF-IDF vectors (%s features; "
         "no probabilities, no class weights)" % (" ".join(peers.SVM_ARGS), num(res.get("features", 0)))),
        ("liblinear-train", "liblinear-train", "`liblinear-train %s` on the same vectors"
         % " ".join(LIBLINEAR_ARGS)),
    ]
    e_rss = tr["entente"]["rss_kb"]
    for key, name, settings in rows:
        if key not in tr:
            continue
        r = tr[key]
        add("| %s | %s | %s | %s | %s |" % (name, settings,
                                             "1.00 (%.1f s)" % base if key == "entente" else "%.3f" % (r["time"] / base),
                                             mb(r["rss_kb"]), "%.2f" % (r["rss_kb"] / e_rss)))

    # ---- classification
    cls, st = res["cls"], res["startup"]
    e = cls["entente"]
    e_rate = n / e["time"]
    e_rate_x = n / max(e["time"] - st["entente"]["time"], 1e-9)
    add("")
    add("## Classification, one thread, %s sentences\n" % num(n))
    add("*entente ÷ tool* is entente's throughput over the tool's (above 1: entente is faster), by "
        "wall-clock time (what the targets use) and by CPU time (user + system of the best run; "
        "steadier when other processes compete for the cores). *Without start-up* subtracts each "
        "program's wall time on a 1-sentence input (mostly loading its model). *CPU ÷ wall* well "
        "below 1.0 means the run waited for a core.\n")
    add("| tool | what runs (timed) | sentences/s | entente ÷ tool | by CPU time | without start-up | "
        "CPU ÷ wall | peak RSS MB | RSS ÷ entente's | target |")
    add("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    rows = [
        ("entente", "entente -j 1", "`classify --input jsonl --format jsonl -j 1`: raw text → sentences, "
         "labels, probabilities, actors, tone; JSONL to a file", None),
        ("fasttext", "fastText", "`predict-prob MODEL.bin FILE` → label and probability per line, to a file",
         TARGET_FASTTEXT),
        ("sklearn", "scikit-learn", "`pipeline.predict(texts)` = TF-IDF transform + LinearSVC, in-process "
         "after loading (peak RSS: the whole Python process)", None),
        ("svm-predict", "libsvm svm-predict", "`svm-predict -q` on pre-made vectors (vectorizing excluded) → "
         "labels, to a file", TARGET_SVM),
        ("liblinear-predict", "liblinear-predict", "`liblinear-predict -q` on the same vectors", None),
    ]
    e_cpu_rate = n / e["cpu_time"]
    for key, name, what, target in rows:
        if key not in cls:
            continue
        r = cls[key]
        rn = r["n"] or n
        if rn != n:
            what += " (the first %s of the sentences)" % num(rn)
        rate = rn / r["time"]
        if key == "entente":
            ratio, ratio_c, ratio_x = "1.00", "1.00", "1.00"
        else:
            ratio = x(e_rate / rate)
            ratio_c = x(e_cpu_rate / (rn / r["cpu_time"]))
            ratio_x = x(e_rate_x / (rn / max(r["time"] - st[key]["time"], 1e-9))) if key in st else "–"
        tgt = "≥ %g× %s" % (target, met(e_rate / rate >= target)) if target else ""
        if key == "sklearn":
            cpu = "%.2f" % (r["cpu_time"] / r["time"])
        else:
            cpu = "%.2f" % (r["cpu"] / r["wall"])
        add("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, what, num(rate), ratio, ratio_c, ratio_x, cpu, mb(r["rss_kb"]),
            "%.2f" % (r["rss_kb"] / e["rss_kb"]), tgt))

    # ---- entente: threads and input size
    j2 = cls["entente-j2"]
    in_run = e["time"] / j2["time"]
    j2_cores = j2["cpu"] / j2["wall"]
    retry = res.get("retry")
    # The speed-up counts only from a pair whose -j 2 run had two cores, near enough:
    # the in-run pair, else the pair re-measured once the CPUs were idle.
    if j2_cores >= J2_MIN_CORES or in_run >= TARGET_J2:
        speedup, basis = in_run, None
    elif retry and retry["j2"]["cpu"] / retry["j2"]["wall"] >= J2_MIN_CORES:
        speedup, basis = retry["j1"]["wall"] / retry["j2"]["wall"], "re-measured"
    else:
        speedup, basis = None, "not measured"
    j2_verdict = "**not measured** (see below)" if speedup is None else met(speedup >= TARGET_J2)
    add("")
    add("## entente: two threads, and memory against input size\n")
    add("| measure | value | target |")
    add("|---|---:|---|")
    add("| -j 2 ÷ -j 1 throughput (%s sentences; cores kept busy by -j 2: %.2f of 2) | %.2f× | %s |"
        % (num(n), j2_cores, in_run, "≥ %g× %s" % (TARGET_J2, j2_verdict) if basis is None else
           "– (-j 2 lacked a second core)"))
    if retry:
        add("| the same, re-measured at %s when the CPUs were %.0f %% idle (best of %d, alternating; "
            "cores kept busy by -j 2: %.2f) | %.2f× | %s |"
            % (retry["at"], 100 * retry["idle"], R, retry["j2"]["cpu"] / retry["j2"]["wall"],
               retry["j1"]["wall"] / retry["j2"]["wall"],
               "≥ %g× %s" % (TARGET_J2, j2_verdict) if basis == "re-measured" else "– (-j 2 lacked a second core)"))
    add("| CPU time of -j 2 ÷ of -j 1 (threading overhead, plus cache sharing) | %.2f× | – |"
        % ((retry["j2"]["cpu"] / retry["j1"]["cpu"]) if basis == "re-measured" else j2["cpu_time"] / e["cpu_time"]))
    add("| -j 2 output byte-identical to -j 1 | %s | identical %s |"
        % ("yes" if res["j2_identical"] else "NO", met(res["j2_identical"])))
    add("| peak RSS at -j 2 | %s MB | < %g MB %s |" % (mb(j2["rss_kb"]), TARGET_RSS_MB,
                                                     met(j2["rss_kb"] / 1024 < TARGET_RSS_MB)))
    sc = res["scale"]
    sizes = sorted(sc)
    small = sc[sizes[0]]["rss_kb"]
    for s in sizes:
        r = sc[s]
        add("| peak RSS at %s sentences (%s articles; output discarded) | %s MB (%.2f× the %s-sentence run) "
            "| < %g MB %s |" % (num(s), num(s // ARTICLE), mb(r["rss_kb"]), r["rss_kb"] / small,
                                num(sizes[0]), TARGET_RSS_MB, met(r["rss_kb"] / 1024 < TARGET_RSS_MB)))
    if len(sizes) > 1:
        add("| throughput at %s ÷ at %s sentences (one run each) | %.2f× | – |"
            % (num(sizes[-1]), num(sizes[0]), (sizes[-1] / sc[sizes[-1]]["wall"]) / (sizes[0] / sc[sizes[0]]["wall"])))

    # ---- summary
    add("")
    add("## Targets of the issue\n")
    add("| target | measured | met |")
    add("|---|---:|---|")
    rate = lambda k: (cls[k]["n"] or n) / cls[k]["time"]   # noqa: E731
    if "fasttext" in cls:
        v = e_rate / rate("fasttext")
        vc = (n / e["cpu_time"]) / ((cls["fasttext"]["n"] or n) / cls["fasttext"]["cpu_time"])
        add("| entente throughput ≥ %g× fastText predict | %s (by CPU time %s) | %s |"
            % (TARGET_FASTTEXT, x(v), x(vc), met(v >= TARGET_FASTTEXT)))
    if "svm-predict" in cls:
        v = e_rate / rate("svm-predict")
        vc = (n / e["cpu_time"]) / ((cls["svm-predict"]["n"] or n) / cls["svm-predict"]["cpu_time"])
        add("| entente throughput ≥ %g× svm-predict | %s (by CPU time %s) | %s |"
            % (TARGET_SVM, x(v), x(vc), met(v >= TARGET_SVM)))
    peak = max([r["rss_kb"] for r in sc.values()] + [e["rss_kb"], j2["rss_kb"]] +
               ([retry["j1"]["rss_kb"], retry["j2"]["rss_kb"]] if retry else [])) / 1024
    add("| entente peak RSS < %g MB at any input size (%s) | %.1f MB | %s |"
        % (TARGET_RSS_MB, ", ".join(num(s) for s in sizes) + " sentences, -j 1 and -j 2", peak,
           met(peak < TARGET_RSS_MB)))
    add("| -j 2 ≥ %g× -j 1 | %s | %s |" % (
        TARGET_J2, "–" if speedup is None else "%.2f×%s" % (speedup, " (re-measured when idle)"
                                                            if basis == "re-measured" else ""), j2_verdict))
    if basis is not None:
        add("")
        add("The -j 2 run among the others kept only %.2f cores busy on average: other processes held "
            "the second core%s. %s" % (
                j2_cores, " (the kernel shares CPU time per session, `sched_autogroup_enabled` = 1: "
                "while another session is busy, a 2-thread process gets no more than a 1-thread one)"
                if res["autogroup"] else "",
                "The speed-up above is from the pair re-measured once the CPUs were idle."
                if basis == "re-measured" else
                "The CPUs did not go idle within --wait-idle, so this run cannot tell whether entente "
                "reaches %g× on two free cores: re-run on an idle machine." % TARGET_J2))
    add("")
    return "\n".join(L)


def autogroup():
    """True when the kernel shares CPU time per session (CONFIG_SCHED_AUTOGROUP)."""
    try:
        with open("/proc/sys/kernel/sched_autogroup_enabled") as f:
            return f.read().strip() == "1"
    except OSError:
        return False


def revision():
    """The commit bin/entente was presumably built from, and whether the tree had changes."""
    try:
        p = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return p.stdout.decode().strip() or "?"
    except OSError:
        return "?"


def dpkg(pkg):
    try:
        p = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return p.stdout.decode().strip() or "?"
    except OSError:
        return "?"


def main(argv):
    if argv and argv[0].startswith("_"):     # internal: a scikit-learn child
        ap = argparse.ArgumentParser(prog="speed.py " + argv[0])
        if argv[0] == "_sklearn-train":
            ap.add_argument("--out", required=True)
            ap.add_argument("--files", nargs="+", required=True)
            return child_sklearn_train(ap.parse_args(argv[1:]))
        if argv[0] == "_sklearn-predict":
            ap.add_argument("model")
            ap.add_argument("input")
            ap.add_argument("out")
            return child_sklearn_predict(ap.parse_args(argv[1:]))
        if argv[0] == "_vectors":
            ap.add_argument("--train-out", required=True)
            ap.add_argument("--files", nargs="+", required=True)
            ap.add_argument("--inputs", nargs="+", required=True)
            return child_vectors(ap.parse_args(argv[1:]))
        print("speed.py: unknown internal command %s" % argv[0], file=sys.stderr)
        return 2
    ap = argparse.ArgumentParser(prog="speed.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sentences", type=int, default=200000,
                    help="sentences of the main input (default 200000); variants at /10 and x10")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing, best kept (default 3)")
    ap.add_argument("--data-dir", default="../shared/data",
                    help="sentence source (default ../shared/data, from the root; training/ if absent)")
    ap.add_argument("--svm-sentences", type=int, default=20000,
                    help="svm-predict runs on this many of the sentences (default 20000): it is slow")
    ap.add_argument("--entente", default="bin/entente")
    ap.add_argument("--out", default="tests/bench/out/speed.md")
    ap.add_argument("--workdir", help="keep inputs, models and outputs here (default: a temporary "
                                      "directory, removed)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--no-scaling", action="store_true", help="skip the /10 and x10 memory runs")
    ap.add_argument("--wait-idle", type=int, default=300, metavar="SECONDS",
                    help="when -j 2 did not get two cores, wait up to this long for idle CPUs and "
                         "measure -j 1 and -j 2 again (default 300; 0: never)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    try:
        return bench(args)
    except BenchError as e:
        print("speed.py: %s" % e, file=sys.stderr)
        return 2
    except ToolError as e:
        print("speed.py: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
