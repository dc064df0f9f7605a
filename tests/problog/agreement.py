#!/usr/bin/env python3
"""Checks ascribe against ProbLog's exact inference (not run by CI: it needs
`pip install problog pyyaml`). From the repository root, after `cargo build`:

    python3 tests/problog/agreement.py

Evaluates every bundled example at every date in its as-of.txt and every rule
case in tests/rules/, and recomputes each question's probabilities from its
`--format problog` program with ProbLog's exact inference (docs/semantics.md,
sections 7 and 8): gradings are held fixed, so each body of evidence moves h by
the average, over the assignments of its genuine/1 and stated/2 facts, of
P(h | its evidence, that assignment) / P(h), and the bodies' factors multiply.

    python3 tests/problog/agreement.py --generated 300 [--max-facts 8]

instead evaluates 300 random valid evidence sets from the generator of the
differential test (tests/common/generate.rs, written out by the ignored test
`write_generated_sets` of tests/generated.rs, same seed), each at its own
`--as-of` date if it has one. A question one of whose bodies of evidence
mentions more than --max-facts genuine/1 and stated/2 facts (2^facts ProbLog
runs) is skipped and counted.
"""
import json, subprocess, sys, re, glob, os, yaml, tempfile, itertools
from problog.program import PrologString
from problog import get_evaluatable

FACT = re.compile(r"(?m)^([0-9.e-]+)::((?:genuine|stated)\(.*\))\.$")
GROUP = re.compile(r"(?m)^% g\d+: bears on .*, body (\d+)$")

class TooLarge(Exception):
    pass

MAX_FACTS = None

def posterior(prog, evaluate=lambda text: get_evaluatable().create_from(PrologString(text)).evaluate()):
    """The question's probabilities from its program: each body of evidence's Bayes
    factor is the average, over the assignments of the facts its groups mention, of
    ProbLog's P(h | its evidence, assignment) / P(h); the factors multiply into the priors."""
    first = GROUP.search(prog)
    trailer_at = prog.index("holds(none) :- fail.")
    header = prog[:first.start()] if first else prog[:trailer_at]
    trailer = prog[trailer_at:]
    priors = {m.group(2): float(m.group(1)) for m in re.finditer(r"([0-9.e-]+)::h\('((?:[^'\\]|\\.)*)'\)", header)}
    facts = {atom: float(p) for p, atom in FACT.findall(header)}
    hyp_line = [l for l in header.splitlines() if "::h(" in l][0]
    bodies = {}
    if first:
        starts = [(m.start(), m.group(1)) for m in GROUP.finditer(prog)] + [(trailer_at, None)]
        for (a, body), (b, _) in zip(starts, starts[1:]):
            bodies.setdefault(body, []).append(prog[a:b])
    weights = {h: p for h, p in priors.items()}
    for body, blocks in bodies.items():
        text = "".join(blocks)
        used = [atom for atom in facts if atom in text]
        if MAX_FACTS is not None and len(used) > MAX_FACTS:
            raise TooLarge()
        factor = {h: 0.0 for h in priors}
        for world in itertools.product([True, False], repeat=len(used)):
            weight = 1.0
            lines = [hyp_line]
            for atom, genuine in zip(used, world):
                p = facts[atom]
                weight *= p if genuine else 1 - p
                lines.append(f"{1.0 if genuine else 0.0}::{atom}.")
            if weight == 0:
                continue
            result = evaluate("\n".join(lines) + "\n" + text + trailer)
            for term, value in result.items():
                m = re.match(r"h\('(.*)'\)", str(term))
                if m:
                    factor[m.group(1)] += weight * value / priors[m.group(1)]
        for h in weights:
            weights[h] *= factor[h]
    total = sum(weights.values())
    return {h: w / total for h, w in weights.items()}

ROOT=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
B=os.path.join(ROOT,'target','debug','ascribe')
def run(args):
    return subprocess.run([B]+args, capture_output=True, text=True, cwd=ROOT)
worst=0; n=0; skipped=0; questions=0
def check(path, asof=None):
    global worst, n, skipped, questions
    extra=['--as-of',asof] if asof else []
    own=os.path.join(os.path.dirname(path),'rules.ascr')
    if os.path.exists(os.path.join(ROOT,own)): extra+=['--rules',own]
    j=run(['eval','--format','json']+extra+[path])
    if j.returncode!=0: print('ERR',path,j.stderr[:200]); return
    data=json.loads(j.stdout)
    pl=run(['eval','--format','problog']+extra+[path]).stdout
    progs=re.split(r'(?m)^% ---- question (\S+)\n', pl)[1:]
    for qid, prog in zip(progs[0::2], progs[1::2]):
        try:
            got=posterior(prog)
        except TooLarge:
            skipped+=1; continue
        questions+=1
        q=[q for q in data['questions'] if q['id']==qid][0]
        for h in q['hypotheses']:
            if h['id'] not in got: print('MISSING',path,asof,qid,h['id']); continue
            d=abs(got[h['id']]-h['probability']); worst=max(worst,d); n+=1
            if d>1e-9: print('DIFF',path,asof,qid,h['id'],got[h['id']],h['probability'])
def generated(count):
    """Writes `count` generated evidence sets to a temporary folder and checks each."""
    out=tempfile.mkdtemp()
    env=dict(os.environ, ASCRIBE_WRITE_GENERATED=out, ASCRIBE_DIFF_CASES=str(count))
    subprocess.run(['cargo','test','--quiet','--test','generated','--','--ignored','write_generated_sets'],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    for path in sorted(glob.glob(os.path.join(out,'case-*.yaml'))):
        asof_file=path[:-len('.yaml')]+'.as-of'
        check(path, open(asof_file).read().strip() if os.path.exists(asof_file) else None)
    print(f'{count} generated sets: {questions} questions compared, {skipped} skipped (a body with more than {MAX_FACTS} facts)')
    print('compared',n,'probabilities; worst difference',worst)
    sys.exit(0 if worst <= 1e-9 else 1)

def main():
    global MAX_FACTS
    if '--generated' in sys.argv:
        args=sys.argv[1:]
        MAX_FACTS=int(args[args.index('--max-facts')+1]) if '--max-facts' in args else 8
        generated(int(args[args.index('--generated')+1]))

    for ex in sorted(os.listdir(os.path.join(ROOT,'examples'))):
        path=os.path.join('examples',ex,'evidence.yaml')
        if not os.path.exists(os.path.join(ROOT,path)): continue
        dates_file=os.path.join(ROOT,'examples',ex,'as-of.txt')
        dates=[l.strip() for l in open(dates_file)] if os.path.exists(dates_file) else []
        for d in [None]+[d for d in dates if d]: check(path, d)
    CASES=tempfile.mkdtemp()
    for case in sorted(glob.glob(os.path.join(ROOT,'tests','rules','*','*.yaml'))):
        doc=yaml.safe_load(open(case)); t=doc.pop('test'); 
        out=os.path.join(CASES, os.path.basename(os.path.dirname(case))+'-'+os.path.basename(case))
        # dates must stay strings
        open(out,'w').write(json.dumps(doc,default=str))
        check(out, str(t['as_of']) if t.get('as_of') else None)
    print('compared',n,'probabilities; worst difference',worst)
    sys.exit(0 if worst <= 1e-9 else 1)

if __name__ == '__main__':
    main()
