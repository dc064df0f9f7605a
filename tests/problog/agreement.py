#!/usr/bin/env python3
"""Checks ascribe against ProbLog's exact inference (not run by CI: it needs
`pip install problog pyyaml`). From the repository root, after `cargo build`:

    python3 tests/problog/agreement.py

Evaluates every bundled example at every date in its as-of.txt and every rule
case in tests/rules/, runs the `--format problog` program of each question
through ProbLog, and compares the probabilities with ascribe's JSON output.
"""
import json, subprocess, sys, re, glob, os, yaml, tempfile
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
        f=tempfile.NamedTemporaryFile('w',suffix='.pl',delete=False); f.write(prog); f.close()
        r=subprocess.run(['problog',f.name],capture_output=True,text=True,timeout=600)
        got={}
        for line in r.stdout.splitlines():
            m=re.match(r"\s*h\('(.*)'\):\s*([0-9.e-]+)",line)
            if m: got[m.group(1)]=float(m.group(2))
        q=[q for q in data['questions'] if q['id']==qid][0]
        for h in q['hypotheses']:
            if h['id'] not in got: print('MISSING',path,asof,qid,h['id'],r.stdout[:300],r.stderr[:300]); continue
            d=abs(got[h['id']]-h['probability']); worst=max(worst,d); n+=1
            if d>1e-6: print('DIFF',path,asof,qid,h['id'],got[h['id']],h['probability'])
for ex,dates in [('korea-2013',['2013-03-21','2013-03-22','2013-04-10','2013-06-26','2013-07-16']),('glass-harbor',['2031-09-06','2031-09-20','2031-09-24']),('lantern',['2032-02-20','2032-06-10'])]:
    for d in dates: check(f'examples/{ex}/evidence.yaml', d)
CASES=tempfile.mkdtemp()
for case in sorted(glob.glob(os.path.join(ROOT,'tests','rules','*','*.yaml'))):
    doc=yaml.safe_load(open(case)); t=doc.pop('test'); 
    out=os.path.join(CASES, os.path.basename(os.path.dirname(case))+'-'+os.path.basename(case))
    # dates must stay strings
    open(out,'w').write(json.dumps(doc,default=str))
    check(out, str(t['as_of']) if t.get('as_of') else None)
print('compared',n,'probabilities; worst difference',worst)
sys.exit(0 if worst <= 1e-6 else 1)
