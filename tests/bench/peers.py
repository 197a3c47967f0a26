#!/usr/bin/python3
"""Accuracy of entente against peer classifiers on the same data.

Run with the system interpreter (/usr/bin/python3), which has scikit-learn:

  /usr/bin/python3 tests/bench/peers.py cv [--data-dir DIR] [--tools LIST] [--keep]
  /usr/bin/python3 tests/bench/peers.py report --model MODEL --train DATA... --test DATA...

cv      5-fold cross-validation inside each file of ../shared/data, on folds made
        once (StratifiedKFold(5, shuffle=True, random_state=1)) and shared by every
        tool: entente (train --grid --seed 1), scikit-learn (TF-IDF 1-2-grams,
        sublinear tf + LinearSVC(C=0.5, class_weight=balanced)), fastText
        (supervised, 25 epochs, word bigrams, lowercased) and libsvm (svm-train
        -t 0 -c 1 on the same TF-IDF vectors). Prints a Markdown table and writes
        it to tests/bench/out/cv.md. Skips (exit 0) when the data directory is absent.
report  trains the peers on --train, then evaluates them and entente's --model on
        every --test file and every ../shared/data file present. Prints Markdown
        tables (macro-F1, accuracy, per-class F1). Output is deterministic: no
        timings, fastText on one thread, fixed seeds.

Macro-F1 is the mean F1 over the classes present in the gold labels of what is
scored; "pooled" concatenates the predictions of all folds before scoring.
Exit status: 0 done or skipped, 1 a tool failed, 2 usage or data error.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LABELS = ("cooperative", "conflictual", "neutral")
SHORT = {"cooperative": "coop", "conflictual": "conf", "neutral": "neutral"}
CV_FILES = ("cameo-news-dev.tsv", "newsmtsc-dev.tsv", "dse-dev.tsv")
TOOLS = ("entente", "sklearn", "fasttext", "svm-train")
TOOL_NAMES = {
    "entente": "entente",
    "sklearn": "scikit-learn LinearSVC",
    "fasttext": "fastText",
    "svm-train": "libsvm svm-train",
}
FOLDS = 5
FOLD_SEED = 1
SVC_C = 0.5
FASTTEXT_ARGS = ["-epoch", "25", "-wordNgrams", "2", "-thread", "1", "-seed", "0", "-verbose", "0"]
SVM_ARGS = ["-t", "0", "-c", "1", "-q"]


class BenchError(Exception):
    """A data or usage problem (exit 2)."""


class ToolError(Exception):
    """A tool failed (exit 1)."""


def rel(path):
    """Path relative to the project root when inside or beside it, for messages."""
    r = os.path.relpath(path, ROOT)
    return r if not r.startswith("../../") else path


# ---------------------------------------------------------------- data


def read_data(path):
    """Rows (label, text) of a TSV file with a header naming 'label' and 'text'
    (or of JSONL with those keys), read the way entente reads them: blank lines
    skipped, fields trimmed of spaces and tabs, labels exact."""
    rows = []
    try:
        f = open(path, encoding="utf-8", newline="\n")
    except OSError as e:
        raise BenchError("%s: %s" % (path, e.strerror))
    with f:
        jsonl = path.endswith(".jsonl") or path.endswith(".json")
        label_col = text_col = fields = None
        header = False
        try:
            lines = f.read().split("\n")
        except UnicodeDecodeError as e:
            raise BenchError("%s: invalid UTF-8 (%s)" % (path, e.reason))
        for number, line in enumerate(lines, 1):
            if line.endswith("\r"):
                line = line[:-1]
            if line.strip(" \t") == "":
                continue
            if not header:
                header = True
                jsonl = jsonl or line.startswith("{")
                if not jsonl:
                    cols = [c.strip(" \t").lower() for c in line.split("\t")]
                    if "label" not in cols or "text" not in cols:
                        raise BenchError("%s:%d: header must name a 'label' and a 'text' column "
                                         "(tab-separated)" % (path, number))
                    label_col, text_col, fields = cols.index("label"), cols.index("text"), len(cols)
                    continue
            if jsonl:
                try:
                    obj = json.loads(line)
                    label, text = obj["label"], obj["text"]
                except (ValueError, KeyError, TypeError):
                    raise BenchError("%s:%d: expected a JSON object with 'label' and 'text'"
                                     % (path, number))
            else:
                parts = line.split("\t")
                if len(parts) != fields:
                    raise BenchError("%s:%d: expected %d tab-separated fields as in the header, "
                                     "found %d" % (path, number, fields, len(parts)))
                label, text = parts[label_col], parts[text_col]
            label, text = label.strip(" \t"), text.strip(" \t")
            if label not in LABELS:
                raise BenchError("%s:%d: unknown label '%s'" % (path, number, label[:40]))
            if not text:
                raise BenchError("%s:%d: empty text" % (path, number))
            rows.append((label, text))
    if not header:
        raise BenchError("%s: no data" % path)
    return rows


def clean(text, chars="\t\r\n"):
    """Text safe for one TSV field (or, with more chars, one fastText line)."""
    for ch in chars:
        text = text.replace(ch, " ")
    return text


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("label\ttext\n")
        for label, text in rows:
            f.write("%s\t%s\n" % (label, clean(text)))


def counts(rows):
    c = {l: 0 for l in LABELS}
    for label, _ in rows:
        c[label] += 1
    return c


# ---------------------------------------------------------------- scoring


def confusion(gold, pred):
    m = {t: {p: 0 for p in LABELS} for t in LABELS}
    for t, p in zip(gold, pred):
        m[t][p] += 1
    return m


def add_confusion(a, b):
    return {t: {p: a[t][p] + b[t][p] for p in LABELS} for t in LABELS}


def scores(m):
    """accuracy, macro-F1 over the gold classes present, per-class F1 (None when absent)."""
    n = sum(m[t][p] for t in LABELS for p in LABELS)
    f1 = {}
    for c in LABELS:
        tp = m[c][c]
        support = sum(m[c][p] for p in LABELS)
        predicted = sum(m[t][c] for t in LABELS)
        if support == 0:
            f1[c] = None
            continue
        prec = tp / predicted if predicted else 0.0
        rec = tp / support
        f1[c] = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
    present = [v for v in f1.values() if v is not None]
    return {
        "n": n,
        "accuracy": sum(m[c][c] for c in LABELS) / n if n else 0.0,
        "macro_f1": sum(present) / len(present) if present else 0.0,
        "f1": f1,
    }


def fmt(x, digits=3):
    return "–" if x is None else "%.*f" % (digits, x)


# ---------------------------------------------------------------- tools


def run(cmd, what):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    if p.returncode != 0:
        raise ToolError("%s failed (exit %d): %s\n%s" % (what, p.returncode, " ".join(cmd),
                                                         p.stderr.decode("utf-8", "replace")[-2000:]))
    return p.stdout.decode("utf-8", "replace")


def entente_bin(path):
    exe = path if os.path.isabs(path) else os.path.join(ROOT, path)
    if not os.access(exe, os.X_OK):
        raise BenchError("%s not found: run 'make' first" % rel(exe))
    return exe


def actors_args():
    actors = os.path.join(ROOT, "models", "actors.tsv")
    return ["--actors", actors] if os.path.exists(actors) else ["--no-actors"]


def entente_train(exe, train_path, model_path):
    run([exe, "train", train_path, "-o", model_path, "--grid", "--seed", "1"] + actors_args(),
        "entente train")


def entente_eval(exe, model_path, test_path, expect_n):
    """Confusion matrix of entente's model on a data file, from eval --format json."""
    out = run([exe, "eval", "-m", model_path, test_path, "--format", "json"], "entente eval")
    try:
        d = json.loads(out)
        m = {t: {p: int(d["confusion"].get(t, {}).get(p, 0)) for p in LABELS} for t in LABELS}
    except (ValueError, KeyError, AttributeError, TypeError) as e:
        raise ToolError("entente eval: unexpected JSON (%s)" % e)
    s = scores(m)
    if s["n"] != expect_n or int(d.get("n", -1)) != expect_n:
        raise ToolError("entente eval scored %s rows of %s, expected %d" % (d.get("n"), rel(test_path),
                                                                            expect_n))
    if abs(s["macro_f1"] - float(d.get("macro_f1", s["macro_f1"]))) > 1e-4:
        print("note: entente's macro_f1 %.6f differs from this script's %.6f on %s"
              % (d["macro_f1"], s["macro_f1"], rel(test_path)), file=sys.stderr)
    return m


def sklearn_modules():
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC
        from sklearn.pipeline import make_pipeline
        from sklearn.model_selection import StratifiedKFold
        from sklearn.datasets import dump_svmlight_file
        from sklearn.exceptions import ConvergenceWarning
    except ImportError as e:
        raise BenchError("scikit-learn is missing (%s): run with /usr/bin/python3 or install "
                         "python3-sklearn" % e)
    return {"TfidfVectorizer": TfidfVectorizer, "LinearSVC": LinearSVC,
            "make_pipeline": make_pipeline, "StratifiedKFold": StratifiedKFold,
            "dump_svmlight_file": dump_svmlight_file, "ConvergenceWarning": ConvergenceWarning}


def tfidf(sk):
    return sk["TfidfVectorizer"](ngram_range=(1, 2), sublinear_tf=True)


class Sklearn:
    name = "sklearn"

    def __init__(self, sk, workdir):
        self.sk = sk
        self.model = None
        self.warned = 0

    def train(self, rows):
        self.model = self.sk["make_pipeline"](
            tfidf(self.sk),
            self.sk["LinearSVC"](C=SVC_C, class_weight="balanced", random_state=0))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always", self.sk["ConvergenceWarning"])
            self.model.fit([t for _, t in rows], [l for l, _ in rows])
            self.warned += sum(issubclass(x.category, self.sk["ConvergenceWarning"]) for x in w)

    def predict(self, rows):
        return list(self.model.predict([t for _, t in rows]))


class FastText:
    name = "fasttext"

    def __init__(self, sk, workdir):
        self.dir = workdir
        self.prefix = os.path.join(workdir, "fasttext")
        self.majority = None

    @staticmethod
    def line(text):
        return clean(text, "\t\r\n\v\f\0").lower()

    def train(self, rows):
        path = os.path.join(self.dir, "fasttext-train.txt")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for label, text in rows:
                f.write("__label__%s %s\n" % (label, self.line(text)))
        c = counts(rows)
        self.majority = max(LABELS, key=lambda l: c[l])
        run(["fasttext", "supervised", "-input", path, "-output", self.prefix] + FASTTEXT_ARGS,
            "fasttext supervised")

    def predict(self, rows):
        path = os.path.join(self.dir, "fasttext-test.txt")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for _, text in rows:
                f.write(self.line(text) + "\n")
        out = run(["fasttext", "predict", self.prefix + ".bin", path], "fasttext predict")
        lines = out.split("\n")[:len(rows)]
        if len(lines) != len(rows):
            raise ToolError("fasttext predict gave %d lines for %d rows" % (len(lines), len(rows)))
        # A line without any word gets no prediction: it counts as the majority class.
        return [l.strip()[len("__label__"):] if l.strip().startswith("__label__") else self.majority
                for l in lines]

    def cleanup(self):
        # With the default 2M hash buckets a model is ~800 MB: do not keep one per fold.
        for ext in (".bin", ".vec"):
            if os.path.exists(self.prefix + ext):
                os.remove(self.prefix + ext)


class LibSVM:
    name = "svm-train"

    def __init__(self, sk, workdir):
        self.sk = sk
        self.dir = workdir
        self.model = os.path.join(workdir, "libsvm.model")
        self.vec = None

    def dump(self, rows, path, fit):
        texts = [t for _, t in rows]
        X = self.vec.fit_transform(texts) if fit else self.vec.transform(texts)
        y = [LABELS.index(l) + 1 for l, _ in rows]
        self.sk["dump_svmlight_file"](X, y, path, zero_based=False)

    def train(self, rows):
        self.vec = tfidf(self.sk)
        path = os.path.join(self.dir, "libsvm-train.txt")
        self.dump(rows, path, True)
        run(["svm-train"] + SVM_ARGS + [path, self.model], "svm-train")

    def predict(self, rows):
        path = os.path.join(self.dir, "libsvm-test.txt")
        out = os.path.join(self.dir, "libsvm-pred.txt")
        self.dump(rows, path, False)
        run(["svm-predict", "-q", path, self.model, out], "svm-predict")
        with open(out) as f:
            pred = [LABELS[int(float(x)) - 1] for x in f.read().split()]
        if len(pred) != len(rows):
            raise ToolError("svm-predict gave %d labels for %d rows" % (len(pred), len(rows)))
        return pred


PEERS = {"sklearn": Sklearn, "fasttext": FastText, "svm-train": LibSVM}
NEEDS = {"fasttext": "fasttext", "svm-train": "svm-train"}


def available(tool):
    """None when the tool can run, else why not."""
    exe = NEEDS.get(tool)
    if exe and shutil.which(exe) is None:
        return "'%s' not on PATH (install the %s package)" % (
            exe, "fasttext" if exe == "fasttext" else "libsvm-tools")
    return None


def versions(sk_version):
    def dpkg(pkg):
        try:
            p = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            return p.stdout.decode().strip() or "?"
        except OSError:
            return "?"
    return "scikit-learn %s, fastText %s, libsvm %s" % (sk_version, dpkg("fasttext"),
                                                       dpkg("libsvm-tools"))


# ---------------------------------------------------------------- cv mode


def cv_mode(args):
    data_dir = os.path.abspath(os.path.join(ROOT, args.data_dir))
    if not os.path.isdir(data_dir):
        print("skip: %s is absent (shared data for measuring); nothing to benchmark" % rel(data_dir))
        return 0
    files = [f for f in CV_FILES if os.path.exists(os.path.join(data_dir, f))]
    for f in CV_FILES:
        if f not in files:
            print("skip: %s is absent" % rel(os.path.join(data_dir, f)), file=sys.stderr)
    if not files:
        print("skip: none of %s in %s" % (", ".join(CV_FILES), rel(data_dir)))
        return 0
    tools = [t for t in args.tools.split(",") if t]
    for t in tools:
        if t not in TOOLS:
            raise BenchError("unknown tool '%s' (expected some of %s)" % (t, ",".join(TOOLS)))
    sk = sklearn_modules()
    import sklearn
    exe = entente_bin(args.entente) if "entente" in tools else None
    missing = {t: available(t) for t in tools if available(t)}
    for t, why in missing.items():
        print("skip %s: %s" % (t, why), file=sys.stderr)
    tools = [t for t in tools if t not in missing]

    tmp = tempfile.mkdtemp(prefix="entente-peers-")
    results = {}   # file -> tool -> {"conf": [...], "time": s}
    info = {}
    try:
        for fname in files:
            path = os.path.join(data_dir, fname)
            rows = read_data(path)
            info[fname] = counts(rows)
            gold = [l for l, _ in rows]
            skf = sk["StratifiedKFold"](n_splits=FOLDS, shuffle=True, random_state=FOLD_SEED)
            folds = list(skf.split([[0]] * len(rows), gold))
            res = results[fname] = {t: {"conf": [], "time": 0.0} for t in tools}
            for k, (tr, te) in enumerate(folds, 1):
                fdir = os.path.join(tmp, "%s.fold%d" % (fname[:-4], k))
                os.makedirs(fdir)
                train_rows = [rows[i] for i in tr]
                test_rows = [rows[i] for i in te]
                train_tsv, test_tsv = os.path.join(fdir, "train.tsv"), os.path.join(fdir, "test.tsv")
                write_tsv(train_tsv, train_rows)
                write_tsv(test_tsv, test_rows)
                test_gold = [l for l, _ in test_rows]
                for t in tools:
                    t0 = time.perf_counter()
                    if t == "entente":
                        model = os.path.join(fdir, "entente.model")
                        entente_train(exe, train_tsv, model)
                        res[t]["time"] += time.perf_counter() - t0
                        m = entente_eval(exe, model, test_tsv, len(test_rows))
                    else:
                        peer = PEERS[t](sk, fdir)
                        peer.train(train_rows)
                        res[t]["time"] += time.perf_counter() - t0
                        m = confusion(test_gold, peer.predict(test_rows))
                        if hasattr(peer, "cleanup"):
                            peer.cleanup()
                        if getattr(peer, "warned", 0):
                            res[t]["warned"] = res[t].get("warned", 0) + peer.warned
                    res[t]["conf"].append(m)
                    print("%s fold %d/%d %-9s macro-F1 %.3f" % (fname, k, FOLDS, t,
                                                              scores(m)["macro_f1"]),
                          file=sys.stderr, flush=True)
    finally:
        if args.keep:
            print("fold files kept in %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    md = cv_markdown(files, tools, results, info, sklearn.__version__, missing)
    print(md, end="")
    out = os.path.join(ROOT, args.out) if not os.path.isabs(args.out) else args.out
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(md)
    print("wrote %s" % rel(out), file=sys.stderr)
    return 0


def ratio(t, base):
    return "%.2f" % (t / base) if base and base > 0 else "–"


def cv_markdown(files, tools, results, info, sk_version, missing):
    L = []
    L.append("# entente against peers: %d-fold cross-validation\n" % FOLDS)
    L.append("Folds: `StratifiedKFold(n_splits=%d, shuffle=True, random_state=%d)`, made once per "
             "file and shared by every tool. Macro-F1 over the classes present; *pooled* scores "
             "the predictions of all folds together, *per fold* is the mean ± sample sd of the "
             "%d fold scores. Train time is wall-clock seconds over the %d folds (entente's "
             "includes its inner `--grid` search over C)." % (FOLDS, FOLD_SEED, FOLDS, FOLDS))
    L.append("")
    L.append("Tools: entente `train --grid --seed 1 %s`; scikit-learn `TfidfVectorizer(ngram_range="
             "(1,2), sublinear_tf=True)` + `LinearSVC(C=0.5, class_weight='balanced')`; fastText "
             "`supervised -epoch 25 -wordNgrams 2 -thread 1` on lowercased text; libsvm "
             "`svm-train -t 0 -c 1` on the same TF-IDF vectors. Versions: %s."
             % (" ".join(a if not os.path.isabs(a) else rel(a) for a in actors_args()),
                versions(sk_version)))
    for t, why in missing.items():
        L.append("")
        L.append("Not run: %s — %s." % (TOOL_NAMES[t], why))
    L.append("")
    L.append("Figures are per file; the files label *neutral* differently and are never averaged.")
    for fname in files:
        c = info[fname]
        L.append("")
        L.append("## %s (%d rows: %d cooperative / %d conflictual / %d neutral)"
                 % (fname, sum(c.values()), c["cooperative"], c["conflictual"], c["neutral"]))
        L.append("")
        L.append("| tool | pooled macro-F1 | per-fold macro-F1 | pooled F1 coop / conf / neutral "
                 "| pooled accuracy | train time (s) | time / entente |")
        L.append("|---|---:|---:|---:|---:|---:|---:|")
        base = results[fname].get("entente", {}).get("time")
        for t in tools:
            r = results[fname][t]
            pooled = r["conf"][0]
            for m in r["conf"][1:]:
                pooled = add_confusion(pooled, m)
            s = scores(pooled)
            per = [scores(m)["macro_f1"] for m in r["conf"]]
            sd = statistics.stdev(per) if len(per) > 1 else 0.0
            name = TOOL_NAMES[t] + (" ¹" if r.get("warned") else "")
            L.append("| %s | %.3f | %.3f ± %.3f | %s / %s / %s | %.3f | %.1f | %s |" % (
                name, s["macro_f1"], statistics.mean(per), sd,
                fmt(s["f1"]["cooperative"]), fmt(s["f1"]["conflictual"]), fmt(s["f1"]["neutral"]),
                s["accuracy"], r["time"], ratio(r["time"], base)))
    L.append("")
    L.append("## Train time over all files")
    L.append("")
    L.append("| tool | train time (s) | time / entente |")
    L.append("|---|---:|---:|")
    total = {t: sum(results[f][t]["time"] for f in files) for t in tools}
    for t in tools:
        L.append("| %s | %.1f | %s |" % (TOOL_NAMES[t], total[t], ratio(total[t], total.get("entente"))))
    if any(results[f][t].get("warned") for f in files for t in tools):
        L.append("")
        L.append("¹ LinearSVC reported it did not converge (max_iter=1000) in some folds.")
    L.append("")
    return "\n".join(L)


# ---------------------------------------------------------------- report mode


def report_mode(args):
    sk = sklearn_modules()
    exe = entente_bin(args.entente)
    model = os.path.abspath(args.model)
    if not os.path.exists(model):
        raise BenchError("model %s not found" % args.model)
    train_rows = []
    for p in args.train:
        train_rows += read_data(p)
    tests = [os.path.abspath(p) for p in args.test]
    data_dir = os.path.abspath(os.path.join(ROOT, args.data_dir))
    notes = []
    if os.path.isdir(data_dir):
        for f in CV_FILES:
            p = os.path.join(data_dir, f)
            if os.path.exists(p):
                tests.append(p)
            else:
                notes.append("%s is absent: not scored." % rel(p))
    else:
        notes.append("%s is absent: scored on the given test files only." % rel(data_dir))

    tools = ["entente"]
    peers = {}
    tmp = tempfile.mkdtemp(prefix="entente-peers-")
    try:
        for t in ("sklearn", "fasttext", "svm-train"):
            why = available(t)
            if why:
                notes.append("%s not run: %s." % (TOOL_NAMES[t], why))
                continue
            d = os.path.join(tmp, t)
            os.makedirs(d)
            peers[t] = PEERS[t](sk, d)
            peers[t].train(train_rows)
            tools.append(t)
        results = {}   # test -> tool -> scores
        for p in tests:
            rows = read_data(p)
            gold = [l for l, _ in rows]
            results[p] = {"entente": scores(entente_eval(exe, model, p, len(rows)))}
            for t in tools[1:]:
                results[p][t] = scores(confusion(gold, peers[t].predict(rows)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    c = counts(train_rows)
    L = []
    L.append("entente: the model `%s`. Peers trained on %d rows (%d cooperative / %d conflictual / "
             "%d neutral) of %s: scikit-learn TF-IDF 1-2-grams + LinearSVC(C=0.5, balanced), "
             "fastText (25 epochs, word bigrams, lowercased, one thread), libsvm svm-train -t 0 -c 1 "
             "on the same TF-IDF vectors. Macro-F1 over the classes present in each file."
             % (rel(model), len(train_rows), c["cooperative"], c["conflictual"], c["neutral"],
                ", ".join("`%s`" % rel(os.path.abspath(p)) for p in args.train)))
    for n in notes:
        L.append("")
        L.append(n)
    L.append("")
    L.append("### Macro-F1")
    L.append("")
    L.append("| test file | rows | " + " | ".join(TOOL_NAMES[t] for t in tools) + " |")
    L.append("|---|---:|" + "---:|" * len(tools))
    for p in tests:
        r = results[p]
        L.append("| %s | %d | %s |" % (rel(p), r["entente"]["n"],
                                       " | ".join("%.3f" % r[t]["macro_f1"] for t in tools)))
    for p in tests:
        r = results[p]
        L.append("")
        L.append("### %s" % rel(p))
        L.append("")
        L.append("| tool | macro-F1 | accuracy | F1 cooperative | F1 conflictual | F1 neutral |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for t in tools:
            s = r[t]
            L.append("| %s | %.3f | %.3f | %s | %s | %s |" % (
                TOOL_NAMES[t], s["macro_f1"], s["accuracy"], fmt(s["f1"]["cooperative"]),
                fmt(s["f1"]["conflictual"]), fmt(s["f1"]["neutral"])))
    print("\n".join(L))
    return 0


# ---------------------------------------------------------------- main


def main(argv):
    ap = argparse.ArgumentParser(prog="peers.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    cv = sub.add_parser("cv", help="5-fold cross-validation inside each shared data file")
    cv.add_argument("--data-dir", default="../shared/data",
                    help="directory of the labeled files (default ../shared/data, from the root)")
    cv.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset of %s" % ",".join(TOOLS))
    cv.add_argument("--entente", default="bin/entente")
    cv.add_argument("--out", default="tests/bench/out/cv.md")
    cv.add_argument("--keep", action="store_true", help="keep the fold files")
    rp = sub.add_parser("report", help="peers trained on --train against entente's --model")
    rp.add_argument("--model", required=True)
    rp.add_argument("--train", nargs="+", required=True, metavar="DATA")
    rp.add_argument("--test", nargs="+", required=True, metavar="DATA")
    rp.add_argument("--data-dir", default="../shared/data")
    rp.add_argument("--entente", default="bin/entente")
    args = ap.parse_args(argv)
    try:
        return cv_mode(args) if args.mode == "cv" else report_mode(args)
    except BenchError as e:
        print("peers.py: %s" % e, file=sys.stderr)
        return 2
    except ToolError as e:
        print("peers.py: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
