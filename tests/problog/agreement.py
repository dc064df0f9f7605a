#!/usr/bin/env python3
"""Checks ascribe against ProbLog's exact inference (not run by CI: it needs
`pip install problog pyyaml`). From the repository root, after `cargo build`:

    python3 tests/problog/agreement.py

Evaluates every bundled example at every date in its as-of.txt and every rule
case in tests/rules/, and recomputes each question's probabilities from its
`--format problog` program: gradings are held fixed (Jeffrey's rule), so the
figure is the average, over every assignment of genuine/1 and stated/2 weighted by its
probability, of ProbLog's exact P(h | evidence, that assignment).
"""
import json, subprocess, sys, re, glob, os, yaml, tempfile, itertools
from problog.program import PrologString
from problog import get_evaluatable

def mixture(prog):
    facts = re.findall(r"(?m)^([0-9.e-]+)::((?:genuine|stated)\(.*\))\.$", prog)
    body = re.sub(r"(?m)^([0-9.e-]+)::((?:genuine|stated)\(.*\))\.$", "", prog)
    total = {}
    for world in itertools.product([True, False], repeat=len(facts)):
        weight = 1.0
        lines = []
        for (p, atom), genuine in zip(facts, world):
            p = float(p)
            weight *= p if genuine else 1 - p
            lines.append(f"{1.0 if genuine else 0.0}::{atom}.")
        if weight == 0:
            continue
        result = get_evaluatable().create_from(PrologString(body + "\n" + "\n".join(lines))).evaluate()
        for term, value in result.items():
            m = re.match(r"h\('(.*)'\)", str(term))
            if m:
                total[m.group(1)] = total.get(m.group(1), 0.0) + weight * value
    return total
ROOT=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
B=os.path.join(ROOT,'target','debug','ascribe')
def run(args):
    return subprocess.run([B]+args, capture_output=True, text=True, cwd=ROOT)
worst=0; n=0
def check(path, asof=None):
    global worst, n
    extra=['--as-of',asof] if asof else []
    j=run(['eval','--format','json']+extra+[path])
    if j.returncode!=0: print('ERR',path,j.stderr[:200]); return
    data=json.loads(j.stdout)
    pl=run(['eval','--format','problog']+extra+[path]).stdout
    progs=re.split(r'(?m)^% ---- question (\S+)\n', pl)[1:]
    for qid, prog in zip(progs[0::2], progs[1::2]):
        got=mixture(prog)
        q=[q for q in data['questions'] if q['id']==qid][0]
        for h in q['hypotheses']:
            if h['id'] not in got: print('MISSING',path,asof,qid,h['id']); continue
            d=abs(got[h['id']]-h['probability']); worst=max(worst,d); n+=1
            if d>1e-9: print('DIFF',path,asof,qid,h['id'],got[h['id']],h['probability'])
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
