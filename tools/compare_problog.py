#!/usr/bin/env python3
"""ascribe against ProbLog 2 exact inference on generated models of growing
size: agreement (worst difference of any probability) and speed (not run by
CI: it needs `pip install problog pyyaml`). From the repository root:

    cargo build --release
    python3 tools/compare_problog.py [--quick] [--repeat 3]

Models come from the generator of the benchmarks (benches/common/scale.rs,
written by the ignored test `write_scale_file` of tests/scale.rs):

- `entangled-N`: one question, N reports all bearing on one address, so one
  body of evidence with N uncertain reports;
- `hypotheses-N`: one incident, N candidate actors, four reports each;
- `reports-N`: the realistic set (one question per 50 reports).

For each model it exports `ascribe eval --format problog`, recomputes every
question's probabilities with ProbLog exactly as tests/problog/agreement.py
does (each body of evidence: 2^facts ProbLog runs, its genuine/1 and stated/2
facts held fixed), and times

- ascribe in-process: load + evaluate, as `ascribe eval --timings` measures;
- ascribe whole-process: `ascribe eval --format json FILE`, process start to exit;
- ProbLog: the sum of its exact inferences (program text to probabilities).

Each ascribe time is the best of --repeat runs; ProbLog runs once. A question
with a body of more than --max-facts facts is not given to ProbLog (counted).
"""
import argparse, json, os, re, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "problog"))
import agreement  # noqa: E402  (the ProbLog side of the agreement test)

BINARY = os.path.join(ROOT, "target", "release", "ascribe")

# entangled-N has arguments from N = 7 on (its first six reports observe the
# address; the others geolocate it), and ProbLog's time doubles with each report.
FULL = [
    ("entangled", 7), ("entangled", 8), ("entangled", 9),
    ("hypotheses", 5), ("hypotheses", 10), ("hypotheses", 20), ("hypotheses", 40),
    ("realistic", 50), ("realistic", 100),
]
QUICK = [("entangled", 7), ("hypotheses", 10), ("realistic", 50)]


def write_model(kind, size):
    env = dict(os.environ, ASCRIBE_SCALE_KIND=kind, ASCRIBE_SCALE_REPORTS=str(size))
    out = subprocess.run(
        ["cargo", "test", "--quiet", "--test", "scale", "--", "--ignored", "write_scale_file", "--nocapture"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout
    return [l for l in out.splitlines() if l.startswith("/")][0]


def ascribe(args):
    return subprocess.run([BINARY] + args, capture_output=True, text=True, cwd=ROOT)


def in_process_ms(path, repeat):
    best = float("inf")
    for _ in range(repeat):
        run = ascribe(["eval", "--timings", "--format", "json", path])
        m = re.search(r"load ([0-9.]+), evaluate ([0-9.]+)", run.stderr)
        best = min(best, float(m.group(1)) + float(m.group(2)))
    return best


def whole_process_ms(path, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        ascribe(["eval", "--format", "json", path])
        best = min(best, (time.perf_counter() - start) * 1e3)
    return best


def compare(path, max_facts):
    """ProbLog's probabilities for every question: (worst difference, compared, skipped, ms)."""
    data = json.loads(ascribe(["eval", "--format", "json", path]).stdout)
    programs = ascribe(["eval", "--format", "problog", path]).stdout
    parts = re.split(r"(?m)^% ---- question (\S+)\n", programs)[1:]
    agreement.MAX_FACTS = max_facts
    worst, compared, skipped, seconds = 0.0, 0, 0, 0.0
    for qid, program in zip(parts[0::2], parts[1::2]):
        start = time.perf_counter()
        try:
            got = agreement.posterior(program)
        except agreement.TooLarge:
            skipped += 1
            continue
        seconds += time.perf_counter() - start
        question = next(q for q in data["questions"] if q["id"] == qid)
        for h in question["hypotheses"]:
            worst = max(worst, abs(got[h["id"]] - h["probability"]))
            compared += 1
    return worst, compared, skipped, seconds * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="four small models only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-facts", type=int, default=10)
    parser.add_argument("--models", help="instead of the list above, e.g. entangled-8,hypotheses-20")
    args = parser.parse_args()
    models = QUICK if args.quick else FULL
    if args.models:
        models = [(m.rsplit("-", 1)[0], int(m.rsplit("-", 1)[1])) for m in args.models.split(",")]
    if not os.path.exists(BINARY):
        sys.exit("build the release binary first: cargo build --release")
    rows = []
    print("| model | questions | probabilities compared | worst difference | ProbLog | ascribe in-process | ascribe whole-process | ratio in-process | ratio whole-process |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, size in models:
        path = write_model(kind, size)
        name = f"{kind}-{size}"
        questions = len(json.loads(ascribe(["eval", "--format", "json", path]).stdout)["questions"])
        worst, compared, skipped, problog_ms = compare(path, args.max_facts)
        inside = in_process_ms(path, args.repeat)
        whole = whole_process_ms(path, args.repeat)
        if compared == 0:
            print(f"| {name} | {questions} | 0 ({skipped} skipped: over {args.max_facts} facts) | | | {inside:.2f} ms | {whole:.1f} ms | | |")
            continue
        rows.append((name, worst))
        note = f" ({skipped} skipped)" if skipped else ""
        print(
            f"| {name} | {questions} | {compared}{note} | {worst:.1e} | {problog_ms:,.0f} ms | {inside:.2f} ms | {whole:.1f} ms "
            f"| {problog_ms / inside:,.0f}× | {problog_ms / whole:,.0f}× |",
            flush=True,
        )
    worst = max((w for _, w in rows), default=0.0)
    print(f"\nworst difference over all models: {worst:.1e}")
    sys.exit(0 if worst <= 1e-9 else 1)


if __name__ == "__main__":
    main()
