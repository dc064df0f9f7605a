#!/usr/bin/env python3
"""Held-out benchmark of ascribe on MITRE ATT&CK's campaigns (docs/performance.md).

Downloads nothing. Takes the path of an ATT&CK enterprise STIX bundle
(enterprise-attack.json) and, for every campaign attributed (`attributed-to`) to a
live intrusion set, builds an evidence set in which

- the incident is the campaign, with the techniques and software it `uses`, each asserted
  by its own report (source "MITRE ATT&CK", graded B2), dated the campaign's first sighting;
- every live group is a candidate (a hypothesis of the question), with its profile as
  sourced `uses` statements (group -> technique or software), one report per relationship
  (graded B2), dated the relationship's `created` (or the campaign's date when the bundle
  gives none): what `ascribe import attack` writes. The profile rules read these statements
  as background knowledge through `credence`, so each argument rests on one campaign report
  and the questions stay exact however many statements there are;
- ATT&CK `tool` objects (commercial, open-source or built-in software) are artifacts with
  `public: true`, `malware` objects private; techniques and sub-techniques are artifacts of
  kind `technique`, each its own (a sub-technique does not stand for its parent).

With leakage removal, every relationship of a group whose citations (external_references
source names, or `(Citation: ...)` in its description) share one with the campaign's own
relationships is left out of that group's profile: ATT&CK copies what a campaign report
says into the attributed group's profile, and keeping it would grade the method on the
answer. The campaign's own group is held to the same rule as every other group.

Each evidence set is weighed by `ascribe eval --format json --compact` with the standard
rules, and ascribe's probabilities are compared with naive baselines computed from the same
profiles: shared software count, containment (share of the campaign's techniques and
software in the group's profile), IDF-weighted overlap (sum of log(N / df) over shared
items, df the number of groups known for an item) and random choice. Ranking is among the
groups (`other` is left out). A tie is scored as random tie-breaking would score it on
average: top-1 counts 1/k when the truth is one of k tied at the top, top-3 counts the chance
that it lands in the first three. Log score is the mean natural log of the probability given
to the true group; a baseline's scores become probabilities by normalising them with a floor
of a thousandth of the largest score (or uniform when all are zero).

Usage: python3 tools/attack_benchmark.py BUNDLE.json [--ascribe PATH] [--keep DIR]
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile

CITATION = re.compile(r"\(Citation: ([^)]*)\)")


def live(obj):
    return not obj.get("revoked") and not obj.get("x_mitre_deprecated") and not obj.get("deprecated")


def external_id(obj):
    for ref in obj.get("external_references", []):
        if ref.get("source_name") in ("mitre-attack", "mitre-mobile-attack", "mitre-ics-attack") and ref.get("external_id"):
            return ref["external_id"]
    return obj["id"]


def citations(rel):
    names = {ref["source_name"] for ref in rel.get("external_references", []) if ref.get("source_name")}
    names.update(CITATION.findall(rel.get("description", "") or ""))
    return names


def day(stamp, fallback):
    return (stamp or fallback)[:10]


def slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-").lower() or "x"


def load(path):
    with open(path, encoding="utf-8") as f:
        bundle = json.load(f)
    objects = {o["id"]: o for o in bundle.get("objects", []) if "id" in o}
    groups = {i: o for i, o in objects.items() if o.get("type") == "intrusion-set" and live(o)}
    campaigns = {i: o for i, o in objects.items() if o.get("type") == "campaign" and live(o)}
    items = {i: o for i, o in objects.items() if o.get("type") in ("attack-pattern", "malware", "tool") and live(o)}
    rels = [o for o in objects.values() if o.get("type") == "relationship" and live(o)]
    return groups, campaigns, items, rels


def artifact_id(item):
    kind = {"attack-pattern": "t", "malware": "s", "tool": "s"}[item["type"]]
    return f"{kind}-{slug(external_id(item))}"


def build(groups, campaigns, items, rels, campaign_id, leakage_removed):
    """The evidence set (a dict) of one campaign, and its true group's actor id."""
    campaign = campaigns[campaign_id]
    date = day(campaign.get("first_seen"), campaign.get("created", "2020-01-01"))
    own = [r for r in rels if r["source_ref"] == campaign_id]
    seen = [items[r["target_ref"]] for r in own if r["relationship_type"] == "uses" and r["target_ref"] in items]
    cited = set().union(*(citations(r) for r in own)) if own else set()
    truth = [r["target_ref"] for r in own if r["relationship_type"] == "attributed-to" and r["target_ref"] in groups]
    profiles = {g: [] for g in groups}
    for r in rels:
        if r["relationship_type"] == "uses" and r["source_ref"] in groups and r["target_ref"] in items:
            if leakage_removed and citations(r) & cited:
                continue
            profiles[r["source_ref"]].append(r)
    actor = {g: f"g-{slug(external_id(o))}" for g, o in groups.items()}
    used = {id(i): i for i in seen}
    for g in groups:
        for r in profiles[g]:
            used[id(items[r["target_ref"]])] = items[r["target_ref"]]
    artifacts = []
    for item in sorted(used.values(), key=artifact_id):
        a = {"id": artifact_id(item), "kind": {"attack-pattern": "technique", "malware": "malware", "tool": "tool"}[item["type"]],
             "value": f"{external_id(item)} {item.get('name', '')}".strip()}
        if item["type"] == "tool":
            a["public"] = True
        artifacts.append(a)
    incident = f"c-{slug(external_id(campaign))}"
    reports = []
    for item in sorted({artifact_id(i): i for i in seen}.values(), key=artifact_id):
        if item["type"] == "attack-pattern":
            asserted = {"technique": {"incident": incident, "artifact": artifact_id(item)}}
        else:
            asserted = {"observed": {"artifact": artifact_id(item), "incident": incident}}
        reports.append({"id": f"r-{incident}-uses-{artifact_id(item)}", "source": "attack", "date": date, "credibility": 2,
                        "title": f"ATT&CK campaign {external_id(campaign)} uses {external_id(item)}", "asserts": [asserted]})
    statements = sorted({(actor[g], artifact_id(items[r["target_ref"]]), day(r.get("created"), date)) for g in groups for r in profiles[g]})
    for n, (a, t, stamp) in enumerate(statements):
        reports.append({"id": f"r-{a}-uses-{t}-{n}", "source": "attack", "date": stamp, "credibility": 2,
                        "title": f"ATT&CK: {a} uses {t}", "asserts": [{"uses": {"actor": a, "artifact": t}}]})
    evidence = {
        "case": f"ATT&CK campaign {external_id(campaign)} (held out)",
        "sources": [{"id": "attack", "name": "MITRE ATT&CK", "kind": "other", "reliability": "B"}],
        "actors": [{"id": actor[g], "name": groups[g].get("name", actor[g]), "kind": "group"} for g in sorted(groups, key=lambda g: actor[g])],
        "incidents": [{"id": incident, "name": campaign.get("name", incident), "date": date}],
        "artifacts": artifacts,
        "questions": [{"id": f"who-{incident}", "incident": incident, "hypotheses": sorted(actor.values())}],
        "reports": reports,
    }
    seen_ids = {artifact_id(i) for i in seen}
    kit = {actor[g]: {artifact_id(items[r["target_ref"]]) for r in profiles[g]} for g in groups}
    kinds = {artifact_id(i): i["type"] for i in used.values()}
    return evidence, [actor[t] for t in truth], seen_ids, kit, kinds


def rank_scores(scores, truth):
    """(top-1, top-3) credit for the true candidate under random tie-breaking."""
    s = scores[truth]
    above = sum(1 for v in scores.values() if v > s + 1e-12 * max(1.0, abs(s)))
    tied = sum(1 for v in scores.values() if abs(v - s) <= 1e-12 * max(1.0, abs(s)))
    top1 = 1.0 / tied if above == 0 else 0.0
    top3 = min(1.0, max(0.0, (3 - above) / tied))
    return top1, top3


def probabilities(scores):
    largest = max(scores.values())
    if largest <= 0:
        return {k: 1.0 / len(scores) for k in scores}
    floor = largest / 1000
    total = sum(v + floor for v in scores.values())
    return {k: (v + floor) / total for k, v in scores.items()}


def baselines(seen, kit, kinds):
    n = len(kit)
    df = {}
    for items in kit.values():
        for i in items:
            df[i] = df.get(i, 0) + 1
    software = {i for i in seen if kinds.get(i) in ("malware", "tool")}
    return {
        "shared software": {g: float(len(software & k)) for g, k in kit.items()},
        "containment": {g: len(seen & k) / max(1, len(seen)) for g, k in kit.items()},
        "IDF-weighted overlap": {g: sum(math.log(n / df[i]) for i in seen & k) for g, k in kit.items()},
        "random": {g: 0.0 for g in kit},
    }




def full_posteriors(binary, path):
    done = subprocess.run([binary, "eval", "--format", "json", "--compact", path], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"ascribe failed on {path}:\n{done.stderr}")
    q = json.loads(done.stdout)["questions"][0]
    return {h["id"]: h["probability"] for h in q["hypotheses"]}, q


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle")
    parser.add_argument("--ascribe", default=os.path.join("target", "release", "ascribe"))
    parser.add_argument("--keep", help="write the evidence sets to this folder and keep them")
    args = parser.parse_args()
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    groups, campaigns, items, rels = load(args.bundle)
    attributed = sorted(
        {r["source_ref"] for r in rels if r["relationship_type"] == "attributed-to" and r["source_ref"] in campaigns and r["target_ref"] in groups},
        key=lambda c: external_id(campaigns[c]))
    print(f"bundle: {len(groups)} live groups, {len(campaigns)} campaigns, {len(attributed)} attributed to a live group")
    for removed in (True, False):
        label = "with leakage removal" if removed else "without leakage removal"
        totals = {}
        calibration = []
        tied_top = 0
        for c in attributed:
            evidence, truth, seen, kit, kinds = build(groups, campaigns, items, rels, c, removed)
            name = f"{slug(external_id(campaigns[c]))}-{'held-out' if removed else 'leaky'}"
            directory = args.keep or tempfile.mkdtemp(prefix="ascribe-attack-")
            path = os.path.join(directory, f"{name}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(evidence, f, indent=1, sort_keys=True)
            posterior, question = full_posteriors(args.ascribe, path)
            groups_only = {g: p for g, p in posterior.items() if g != "other"}
            if any(t.get("leading") for t in question.get("ties", [])):
                tied_top += 1
            methods = {"ascribe": (groups_only, {g: p / sum(groups_only.values()) for g, p in groups_only.items()})}
            for method, scores in baselines(seen, kit, kinds).items():
                methods[method] = (scores, probabilities(scores))
            for t in truth[:1]:
                top_p = max(groups_only.values())
                top1, _ = rank_scores(groups_only, t)
                calibration.append((top_p, top1))
                for method, (scores, probs) in methods.items():
                    top1, top3 = rank_scores(scores, t)
                    row = totals.setdefault(method, [0.0, 0.0, 0.0])
                    row[0] += top1
                    row[1] += top3
                    row[2] += math.log(max(probs[t], 1e-300))
        n = len(attributed)
        print(f"\n{label} ({n} campaigns; {tied_top} with ascribe's top hypotheses tied)")
        print("| method | top-1 | top-3 | mean log score |")
        print("|---|---|---|---|")
        for method in ["ascribe", "shared software", "containment", "IDF-weighted overlap", "random"]:
            t1, t3, ls = totals.get(method, [0, 0, 0])
            print(f"| {method} | {t1:.2f} / {n} | {t3:.2f} / {n} | {ls / max(n, 1):.2f} |")
        if calibration:
            mean_p = sum(p for p, _ in calibration) / len(calibration)
            hits = sum(h for _, h in calibration) / len(calibration)
            print(f"calibration: ascribe's top group has on average P = {mean_p:.3f} (among groups); it is right {hits:.3f} of the time")


if __name__ == "__main__":
    sys.exit(main())
