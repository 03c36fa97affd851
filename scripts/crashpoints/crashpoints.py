"""Crash-point enumeration for Sluice (driven by ./run; standard library only).

See ./run for what is enumerated and how strace counts. This file builds the scenario
(scenario.py), runs each case, checks the invariants (checks.py) and writes the report.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time

import checks
import scenario

KILL_CLASSES = {
    "renames": "rename,renameat,renameat2",
    "syncs": "fsync,fdatasync,syncfs,sync",
    "writes": "write,pwrite64,writev",
    "unlinks": "unlink,unlinkat,rmdir",
    "mkdirs": "mkdir,mkdirat",
    "links": "link,linkat,symlink,symlinkat",
    "xattrs": "fsetxattr",
}
ERROR_CLASSES = {
    "eio-syncs": ("fsync,fdatasync,syncfs", 5),           # EIO
    "eio-renames": ("rename,renameat,renameat2", 5),      # EIO
    "emfile-opens": ("openat", 24),                       # EMFILE
    "enotsup-xattrs": ("fsetxattr", 95),                  # ENOTSUP: a filesystem without user attributes
}
OPERATIONS = ["apply", "install", "rollback", "reconcile"]
# The quick set (`--quick`, run by CrashPointTests): each entry (operation, class, syscall, max K).
# apply × renameat2 covers the claims, the tree rename, every RENAME_EXCHANGE swap and every
# retention; apply × rename every atomic write of a stamp and an outcome (and of a claim's attempt where it is rewritten) (a
# kill there leaves a `.tmp-*` that the recovery run must sweep: it failed before temporaries
# named their writer) and the prune's rename; rollback × rename its record's write; reconcile ×
# rename its state writes and × renameat the renames of its durable batch of pending files,
# × syncfs the batch's flush; apply × fsetxattr each claim's attempt tagged in place, killed and
# failing with ENOTSUP (the rewrite it falls back to). The full enumeration is the script
# without --quick.
QUICK = [("apply", "renames", "renameat2", 12), ("apply", "renames", "rename", 16),
         ("apply", "xattrs", "fsetxattr", 4), ("apply", "enotsup-xattrs", "fsetxattr", 4),
         ("rollback", "renames", "rename", 6), ("reconcile", "renames", "rename", 4),
         ("reconcile", "renames", "renameat", 4), ("reconcile", "syncs", "syncfs", 2)]
ENV = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8",
       "GIT_CONFIG_NOSYSTEM": "1"}
TIMEOUT = 180


class Context:
    def __init__(self, binary, work, info):
        self.binary, self.work, self.info = binary, work, info
        self.url = info["url"]
        self.shas = info["shas"]
        self.known = set(self.shas.values())

    def args(self, op):
        return {
            "apply": ["apply"],
            "reconcile": ["reconcile"],
            "install": ["install", "ws-d", scenario.PLUGIN, "--source", self.url, "--ref", "v1.2.0",
                        "--track", "tag:latest"],
            "rollback": ["rollback", "ws-a", scenario.PLUGIN],
        }[op]

    def workspaces(self, op):
        return scenario.WORKSPACES + (["ws-d"] if op == "install" else [])


def run_sluice(ctx, op, root, inject=None):
    """Runs `sluice <op> --root root`; with `inject` (call, K, errno, calls log, strace log), under
    the shim (counting `call` across sluice's threads, acting at the K-th) and under strace (the
    same call traced, nothing injected: the cross-check of the shim's count)."""
    cmd = [ctx.binary, *ctx.args(op), "--root", root]
    env = dict(ENV)
    if inject:
        call, k, errno, calls, log, site = inject
        env.update({"LD_PRELOAD": ctx.shim, "CRASHPOINT_EXE": ctx.binary, "CRASHPOINT_CALL": call,
                    "CRASHPOINT_K": str(k), "CRASHPOINT_ERRNO": str(errno), "CRASHPOINT_LOG": calls,
                    "CRASHPOINT_SITE": site or ""})
        # -b execve: git and hooks run untraced (their calls are neither counted nor injected).
        cmd = ["strace", "-f", "-b", "execve", "-qq", "-y", "-o", log, "-e", f"trace={call},execve", "--", *cmd]
    if ctx.serial:
        cmd = ["taskset", "-c", "0", *cmd]
    try:
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        return r.returncode, r.stderr
    except subprocess.TimeoutExpired:
        return "timeout", ""


NORMALISE = [
    # Temporaries: `.tmp-<name>.<pid>-<boot>.<random>`, ending the path ("), the descriptor's
    # path (>) or followed by a suffix (`.index`).
    (re.compile(r"\.tmp-([^\"<>]*?)\.\d+-[0-9a-f]{8}\.[0-9a-z]{1,16}(?=[\"<>.])"), r".tmp-\1.*"),
    (re.compile(r"\.tmp-([^\"<>]*?)\.[0-9a-z]{8,16}(?=[\"<>])"), r".tmp-\1.*"),
    (re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"), "<uuid>"),
    (re.compile(r"\d{8}T\d{6}Z"), "<time>"),
    (re.compile(r"tmp_pack_\w+|tmp_obj_\w+|tmp_idx_\w+"), "tmp_git_*"),
    (re.compile(r"(pipe|socket):\[\d+\]"), r"\1:[*]"),
]


def normalise(site, root):
    site = site.replace(root, "<root>")
    for pattern, repl in NORMALISE:
        site = pattern.sub(repl, site)
    return site[:200]


def counted_calls(calls):
    """[(injected, site)] of every call the shim counted, in order; sites as the shim wrote them."""
    try:
        with open(calls, errors="replace") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        hit = line.startswith("INJECTED ")
        rest = line[len("INJECTED "):] if hit else line
        n, _, site = rest.partition(" ")
        if n.isdigit():
            out.append((hit, site))
    return out


def on_root(site, root):
    """Whether a call's path (or its descriptor's) is under the root; a write's data is not looked at."""
    head = site[:site.find(">") + 1] if re.match(r"^(write|pwrite64|writev)\(", site) else site
    return root + "/" in head


def traced_calls(log, names):
    """Raw sites of every traced call of `names` made by sluice's own threads (strace log)."""
    try:
        with open(log, errors="replace") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return []
    first, execs, sites = None, set(), []
    for line in lines:
        m = re.match(r"^(\d+)\s+(\w+)\((.*)$", line)
        if not m:
            continue
        tid, name = m.group(1), m.group(2)
        if name == "execve":
            if first is None:
                first = tid
            elif tid != first:
                execs.add(tid)
        elif name in names:
            sites.append((tid, line[len(tid):].strip()))
    return [site for tid, site in sites if tid not in execs]


def baseline(ctx, root, op):
    state = {"live": {}, "approved": sorted(checks.read_records(os.path.join(root, "updates", "approved"))),
             "outcomes": set(), "retained": {}}
    for folder in ("applied", "failed"):
        for name in checks.listdir(os.path.join(root, "updates", folder)):
            state["outcomes"].add(f"{folder}/{name}")
    for ws in ctx.workspaces(op):
        live = os.path.join(root, ws, "plugins", scenario.PLUGIN)
        s, _ = checks.read_stamp(live)
        state["live"][ws] = (s or {}).get("sha") if os.path.isdir(live) else None
        state["retained"][ws] = checks.retained_trees(root, ws, scenario.PLUGIN)
    return state


def check_live(ctx, root, op, before, when):
    """Invariant 12 at any instant: plugins/<p> present (when it was) and whole."""
    problems = []
    for ws in ctx.workspaces(op):
        live = os.path.join(root, ws, "plugins", scenario.PLUGIN)
        if not os.path.isdir(live) or os.path.islink(live):
            if before["live"].get(ws):
                problems.append(("live-missing", f"{when}: {ws}/plugins/plug is missing"))
            continue
        s, problem = checks.verify_tree(live)
        if problem:
            problems.append(("live-broken", f"{when}: {ws}/plugins/plug: {problem}"))
        elif s["sha"] not in ctx.known:
            problems.append(("live-broken", f"{when}: {ws}/plugins/plug has unknown sha {s['sha'][:12]}"))
    return problems


def check_root(ctx, root, op, before, runs):
    """Every invariant after recovery. `runs`: how many invocations of op could have approved."""
    v = check_live(ctx, root, op, before, "after recovery")
    q = os.path.join(root, "updates")
    for name in [n for n in checks.listdir(os.path.join(q, "applying")) if not n.startswith(".")]:
        v.append(("claim-left", f"updates/applying/{name} left after recovery"))
    for ws in ctx.workspaces(op):
        for name in checks.listdir(os.path.join(root, ws, ".sluice", "staging")):
            v.append(("staging-left", f"{ws}/.sluice/staging/{name} left after recovery"))
        v.extend(checks.check_retained(root, ws, scenario.PLUGIN))
    for rel, tolerated in checks.temp_files(root, op):
        if not tolerated:
            v.append(("temp-left", f"{rel} left after recovery"))
    new = {}
    for folder in ("applied", "failed"):
        for name, rec in checks.read_records(os.path.join(q, folder)).items():
            if f"{folder}/{name}" not in before["outcomes"]:
                new[f"{folder}/{name}"] = rec
    approved_now = checks.listdir(os.path.join(q, "approved"))
    if op in ("apply", "install") and approved_now:
        v.append(("approval-left", f"still in approved/: {', '.join(approved_now)}"))
    if op == "apply":
        for fname in before["approved"]:
            rid = fname[:-len(".yaml")]
            mine = [k for k, r in new.items() if r.get("id") == rid]
            if len(mine) != 1:
                v.append(("outcome-count", f"{rid}: {len(mine)} outcomes ({', '.join(mine) or 'lost'})"))
            for k in mine:
                r = new[k]
                ws = r.get("workspace")
                live = checks.read_stamp(os.path.join(root, ws or "?", "plugins", scenario.PLUGIN))[0] or {}
                if r.get("outcome.result") == "applied" and live.get("sha") != r.get("to.sha"):
                    v.append(("outcome-wrong", f"{k} says applied but {ws} runs {str(live.get('sha'))[:12]}"))
        ids = {f[:-5] for f in before["approved"]}
        for k, r in new.items():
            if r.get("id") not in ids:
                v.append(("outcome-unexpected", f"{k}: an outcome for nothing approved"))
    elif op == "install":
        applied = [k for k, r in new.items() if r.get("outcome.result") == "applied"]
        if not applied:
            v.append(("outcome-count", f"the install has no applied outcome ({', '.join(new) or 'none'})"))
        if len(new) > runs:
            v.append(("outcome-count", f"{len(new)} outcomes for {runs} install runs: {', '.join(sorted(new))}"))
        live = checks.read_stamp(os.path.join(root, "ws-d", "plugins", scenario.PLUGIN))[0] or {}
        if live.get("sha") != ctx.shas["v1.2.0"]:
            v.append(("install-missing", "ws-d/plugins/plug is not v1.2.0 after recovery"))
    elif op == "rollback":
        if not 1 <= len(new) <= runs:
            v.append(("outcome-count", f"{len(new)} rollback records for {runs} rollback runs"))
    elif op == "reconcile":
        pending = checks.read_records(os.path.join(q, "pending"))
        per_ws = {}
        for name, r in pending.items():
            per_ws.setdefault(r.get("workspace"), []).append(name)
            if r.get("to.sha") != ctx.shas["v1.2.0"]:
                v.append(("pending-wrong", f"pending/{name} targets {str(r.get('to.sha'))[:12]}"))
        for ws in scenario.WORKSPACES:
            if len(per_ws.get(ws, [])) != 1:
                v.append(("pending-count", f"{ws}: {len(per_ws.get(ws, []))} pending files"))
        if new or approved_now != before["approved"]:
            v.append(("reconcile-wrote", "reconcile changed approved/, applied/ or failed/"))
        for ws in scenario.WORKSPACES:
            s = checks.read_stamp(os.path.join(root, ws, "plugins", scenario.PLUGIN))[0] or {}
            if s.get("sha") != before["live"][ws] or checks.retained_trees(root, ws, scenario.PLUGIN) != before["retained"][ws]:
                v.append(("reconcile-wrote", f"reconcile changed {ws}/plugins or its retained trees"))
    r = subprocess.run([ctx.binary, "check", "--root", root], env=ENV, capture_output=True, text=True)
    if r.returncode != 0:
        v.append(("check-failed", f"sluice check exits {r.returncode}: {r.stderr.strip()[:200]}"))
    return v


def check_rollback(ctx, root, op):
    """`sluice rollback` after recovery gives back the previous version whole."""
    v = []
    for ws in ctx.workspaces(op):
        names = checks.retained_trees(root, ws, scenario.PLUGIN)
        if not names:
            continue
        live = os.path.join(root, ws, "plugins", scenario.PLUGIN)
        live_sha = (checks.read_stamp(live)[0] or {}).get("sha")
        newest = os.path.join(root, ws, ".sluice", "retained", scenario.PLUGIN, names[-1])
        want = (checks.read_stamp(newest)[0] or {}).get("sha")
        r = subprocess.run([ctx.binary, "rollback", ws, scenario.PLUGIN, "--root", root], env=ENV,
                           capture_output=True, text=True)
        if r.returncode != 0:
            v.append(("rollback-failed", f"rollback {ws}: exit {r.returncode}: {r.stderr.strip()[:200]}"))
            continue
        s, problem = checks.verify_tree(live)
        if problem:
            v.append(("rollback-broken", f"rollback {ws} restored {names[-1]}, which is not whole: {problem} "
                      f"({checks.count_files(live)} files)"))
        elif s["sha"] != want or s["sha"] == live_sha or s["sha"] not in ctx.known:
            v.append(("rollback-wrong", f"rollback {ws} restored {s['sha'][:12]} (live was {str(live_sha)[:12]}, "
                      f"newest retained {names[-1]})"))
    return v


def site_pattern(site, root):
    """The fnmatch(3) pattern of a normalised site: its literal text, each placeholder a `*`."""
    out = ""
    for part in re.split(r"(<root>|<time>|<uuid>|\*)", site):
        if part == "<root>":
            out += re.sub(r"([][*?])", r"[\1]", root)
        elif part in ("<time>", "<uuid>", "*"):
            out += "*"
        else:
            out += re.sub(r"([][*?])", r"[\1]", part)
    return out


def run_case(ctx, op, cls, syscall, k, snap, site=None):
    """One crash point (or injected error): the K-th call of `syscall` in the sluice process, or
    with `site` the first call at that normalised site. Its result dict."""
    t0 = time.time()
    label = k if site is None else f"site{k}"
    root = os.path.join(ctx.work, f"{op}-{cls}-{syscall}-{label}")
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(["cp", "-a", snap, root], check=True)
    before = baseline(ctx, root, op)
    log, calls = root + ".strace", root + ".calls"
    errno = 0 if cls in KILL_CLASSES else ERROR_CLASSES[cls][1]
    pattern = site_pattern(site, root) if site else None
    rc, _ = run_sluice(ctx, op, root, (syscall, 0 if site else k, errno, calls, log, pattern))
    counted = counted_calls(calls)
    hits = [where for hit, where in counted if hit]
    result = {"operation": op, "class": cls, "syscall": syscall, "k": label, "fired": bool(hits), "exit": rc,
              "killed": rc == -9, "injected": [normalise(where, root) for where in hits], "violations": []}
    if site:
        result["site"] = site
    if not hits:                                      # a run where nothing was injected: every call there is
        result["sites"] = sorted({normalise(where, root) for _, where in counted})
        # The cross-check: strace of the same run sees as many calls on the root as the shim
        # counted (a call libc makes internally would not reach the shim).
        result["counted"] = sum(1 for _, where in counted if on_root(where, root))
        result["traced"] = sum(1 for where in traced_calls(log, {syscall}) if on_root(where, root))
    v = check_live(ctx, root, op, before, "right after the run")
    runs = 1
    rc2, err2 = run_sluice(ctx, op, root)             # one clean recovery run of the same command
    runs += 1
    if rc2 not in (0, 1):
        v.append(("recovery-failed", f"recovery `sluice {op}` exits {rc2}: {err2.strip()[-300:]}"))
    if op == "apply":
        outcomes = baseline(ctx, root, op)["outcomes"]
        rc3, err3 = run_sluice(ctx, op, root)         # and apply once more: nothing left to do
        if rc3 != 0 or baseline(ctx, root, op)["outcomes"] != outcomes:
            v.append(("second-apply", f"a second apply after recovery exits {rc3} or records something"))
    v += check_root(ctx, root, op, before, runs)
    v += check_rollback(ctx, root, op)
    result["violations"] = [{"kind": kind, "detail": d} for kind, d in v]
    result["seconds"] = round(time.time() - t0, 2)
    if not v and not ctx.keep:
        shutil.rmtree(root, ignore_errors=True)
        for path in (log, calls):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
    return result


def members(cls):
    return (KILL_CLASSES[cls] if cls in KILL_CLASSES else ERROR_CLASSES[cls][0]).split(",")


def enumerate_class(ctx, op, cls, syscalls, max_k, jobs, emit):
    """Each syscall of the class on its own (strace counts per syscall): see ./run."""
    results, complete = [], True
    for syscall in syscalls:
        r, done = enumerate_syscall(ctx, op, cls, syscall, max_k, jobs, emit)
        results += r
        complete = complete and done
    return results, complete


def enumerate_syscall(ctx, op, cls, syscall, max_k, jobs, emit):
    """K = 1, 2, … until a run where nothing was injected (or max_k); then each site of that run
    that no K reached (concurrent updates finish in a different order from run to run), by site."""
    snap = ctx.info["snap"][op]
    results, k, done = [], ctx.min_k, False
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        while not done and k <= max_k:
            batch = list(range(k, min(k + jobs, max_k + 1)))
            for r in pool.map(lambda kk: run_case(ctx, op, cls, syscall, kk, snap), batch):
                if done:
                    continue                        # beyond the first clean run: not counted
                results.append(r)
                emit(r)
                if not r["fired"]:
                    done = True
            k = batch[-1] + 1
        if done and ctx.min_k == 1:
            hit = {s for r in results for s in r["injected"]}
            missed = sorted({s for r in results if not r["fired"] for s in r.get("sites", [])} - hit)
            cases = list(enumerate(missed, 1))
            for r in pool.map(lambda c: run_case(ctx, op, cls, syscall, c[0], snap, site=c[1]), cases):
                results.append(r)
                emit(r)
    return results, done


def full_disk(ctx, mount, step_kib, max_steps, emit):
    """Root on a small tmpfs, filled to within K KiB of full, K stepping up until apply succeeds."""
    results = []
    snap = ctx.info["snap"]["apply"]
    for i in range(max_steps):
        kib = i * step_kib
        root = os.path.join(mount, "root")
        filler = os.path.join(mount, "filler")
        for p in (root, filler):
            if os.path.isdir(p):
                shutil.rmtree(p)
            elif os.path.exists(p):
                os.unlink(p)
        subprocess.run(["cp", "-a", snap, root], check=True)
        before = baseline(ctx, root, "apply")
        st = os.statvfs(mount)
        free = st.f_bavail * st.f_frsize
        size = max(0, free - kib * 1024)
        with open(filler, "wb") as f:
            chunk = b"\0" * (1 << 20)
            left = size
            try:
                while left > 0:
                    n = f.write(chunk[:min(left, len(chunk))])
                    left -= n
            except OSError:
                pass
        t0 = time.time()
        rc, _ = run_sluice(ctx, "apply", root)
        new = [n for n in os.listdir(os.path.join(root, "updates", "applied"))]
        succeeded = rc == 0 and all(os.path.exists(os.path.join(root, "updates", "applied", a))
                                    for a in before["approved"])
        v = check_live(ctx, root, "apply", before, "right after the full-disk run")
        os.unlink(filler)
        rc2, err2 = run_sluice(ctx, "apply", root)
        if rc2 not in (0, 1):
            v.append(("recovery-failed", f"recovery apply exits {rc2}: {err2.strip()[-300:]}"))
        v += check_root(ctx, root, "apply", before, 2)
        v += check_rollback(ctx, root, "apply")
        r = {"operation": "apply", "class": "full-disk", "syscall": "-", "k": kib, "fired": not succeeded, "exit": rc,
             "killed": False, "injected": [f"{kib} KiB free"], "seconds": round(time.time() - t0, 2),
             "violations": [{"kind": a, "detail": b} for a, b in v]}
        if v and ctx.keep:
            subprocess.run(["cp", "-a", root, os.path.join(ctx.work, f"apply-full-disk-{kib}")])
        results.append(r)
        emit(r)
        if succeeded:
            return results, True
    return results, False


def main():
    p = argparse.ArgumentParser(description="Enumerate Sluice crash points under strace (see ./run).")
    p.add_argument("--sluice", default=".build/debug/sluice")
    p.add_argument("--ops", default=",".join(OPERATIONS))
    p.add_argument("--classes", default=",".join(list(KILL_CLASSES) + list(ERROR_CLASSES)))
    p.add_argument("--max-k", type=int, default=400)
    p.add_argument("--min-k", type=int, default=1, help="first K (to replay one region of a long class)")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--schedule", choices=["serial", "parallel"], default="serial",
                   help="serial: git.concurrency 1 and taskset -c 0 (default); parallel: as configured")
    p.add_argument("--work", default=None)
    p.add_argument("--json", default="crashpoints.json")
    p.add_argument("--keep", action="store_true", help="keep the roots of cases with violations")
    p.add_argument("--full-disk", default=None, help="a mounted tmpfs to run the full-disk steps in")
    p.add_argument("--disk-step", type=int, default=4, help="KiB per full-disk step")
    p.add_argument("--disk-steps", type=int, default=400)
    a = p.parse_args()
    binary = os.path.realpath(a.sluice)      # the shim compares it with /proc/self/exe
    if not os.access(binary, os.X_OK):
        sys.exit(f"crashpoints: no sluice binary at {binary}")
    work = a.work or os.path.join("/tmp", f"crashpoints-{os.getpid()}")
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    info = scenario.build(os.path.join(work, "template"), binary, serial=a.schedule == "serial")
    ctx = Context(binary, work, info)
    ctx.shim = build_shim(work)
    ctx.serial = a.schedule == "serial"
    ctx.keep = a.keep
    ctx.min_k = a.min_k
    if a.quick:
        plan = [(op, cls, [sc], min(k, a.max_k)) for op, cls, sc, k in QUICK]
    else:
        plan = [(op, cls, members(cls), a.max_k) for op in a.ops.split(",") for cls in a.classes.split(",")
                if cls in KILL_CLASSES or cls in ERROR_CLASSES]
        unknown = [c for c in a.classes.split(",") if c not in KILL_CLASSES and c not in ERROR_CLASSES]
        if unknown:
            sys.exit(f"crashpoints: unknown class {', '.join(unknown)}")

    def emit(r):
        status = "ok" if not r["violations"] else f"VIOLATIONS {len(r['violations'])}"
        what = "clean run (nothing injected)" if not r["fired"] else (
            ("killed sluice" if r["killed"] else f"exit {r['exit']}") + " at " + "; ".join(r["injected"][:2]))
        print(f"{r['operation']:9} {r['class']:12} {r.get('syscall', '-'):9} K={r['k']:<4} {status:13} {what}"[:300],
              flush=True)
        for x in r["violations"]:
            print(f"    {x['kind']}: {x['detail']}", flush=True)

    all_results, classes = [], []
    for op, cls, syscalls, max_k in plan:
        results, complete = enumerate_class(ctx, op, cls, syscalls, max_k, a.jobs, emit)
        all_results += results
        classes.append(summary(op, cls, results, complete))
    if a.full_disk and not a.quick:
        results, complete = full_disk(ctx, a.full_disk, a.disk_step, a.disk_steps, emit)
        all_results += results
        classes.append(summary("apply", "full-disk", results, complete))
    tried = sum(1 for r in all_results if r["fired"])
    violations = sum(len(r["violations"]) for r in all_results)
    report = {"sluice": binary, "schedule": a.schedule, "strace": subprocess.run(["strace", "-V"], capture_output=True, text=True).stdout.splitlines()[0],
              "quick": a.quick, "seconds": round(time.time() - t0, 1), "crash_points_tried": tried,
              "violations": violations, "failing_cases": sum(1 for r in all_results if r["violations"]),
              "classes": classes, "cases": all_results}
    with open(a.json, "w") as f:
        json.dump(report, f, indent=1)
    print()
    for c in classes:
        print(f"  {c['operation']:9} {c['class']:12} points {c['points']:4}  killed sluice {c['killed_sluice']:4}  "
              f"sites hit {c['sluice_sites_hit']:3}/{c['sluice_sites_in_clean_run']:<3}  "
              f"calls counted/traced {c['calls_on_root_counted']:3}/{c['calls_on_root_traced']:<3}  failing cases {c['failing_cases']:3}"
              + ("" if c["complete"] else "  (stopped at --max-k: not exhaustive)")
              + ("" if c["calls_on_root_counted"] == c["calls_on_root_traced"] else "  (strace saw calls the shim did not count)"))
    print(f"crash points tried: {tried}, violations: {violations}")
    if not a.keep:
        shutil.rmtree(os.path.join(work, "template"), ignore_errors=True)
    return 1 if violations else 0


def summary(op, cls, results, complete):
    fired = [r for r in results if r["fired"]]
    hit = {s for r in fired for s in r["injected"]}
    clean = [r for r in results if not r["fired"] and "site" not in r]
    sites = {s for r in clean for s in r.get("sites", [])}
    counted = sum(r.get("counted", 0) for r in clean)
    traced = sum(r.get("traced", 0) for r in clean)
    return {"operation": op, "class": cls, "points": len(fired), "complete": complete,
            "killed_sluice": sum(1 for r in fired if r["killed"]), "distinct_sites": len(hit),
            "sluice_sites_in_clean_run": len(sites), "sluice_sites_hit": len(sites & hit),
            "sluice_sites_missed": sorted(sites - hit),
            "calls_on_root_counted": counted, "calls_on_root_traced": traced,
            "failing_cases": sum(1 for r in results if r["violations"]),
            "violation_kinds": sorted({v["kind"] for r in results for v in r["violations"]})}


def build_shim(work):
    """Compiles shim.c into work/ with the first C compiler found (the Swift toolchain has clang)."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shim.c")
    out = os.path.join(work, "crashpoint-shim.so")
    for cc in ("clang", "cc", "gcc"):
        if shutil.which(cc):
            subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", out, source, "-ldl"], check=True)
            return out
    sys.exit("crashpoints: no C compiler (clang, cc or gcc) to build shim.c")


if __name__ == "__main__":
    sys.exit(main())
