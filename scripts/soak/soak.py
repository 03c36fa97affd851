"""Soak of Sluice (driven by ./run; standard library only; issue #10 item 4).

For MINUTES, at once and against one root: `sluice serve` (passes every 2 s, applying approvals),
a `sluice reconcile` loop, a `sluice apply` loop, new upstream releases, an operator moving
pending files to approved/ (and now and then to rejected/), and random SIGKILLs of whichever
sluice processes this script started. Then everything stops, one clean recovery runs (`apply`,
then `reconcile`, then `apply` again, which must record nothing), and the invariants are checked
with scripts/crashpoints/checks.py: every file the operator approved has exactly one outcome per
approval, nothing is left in applying/ or staging/, no temporary file is left, every live tree and
every retained tree verifies against its stamp, every live stamp names a released commit.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crashpoints"))
import checks  # noqa: E402
import scenario  # noqa: E402

ENV = {"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8",
       "GIT_CONFIG_NOSYSTEM": "1"}
PLUGIN = scenario.PLUGIN


class Soak:
    def __init__(self, binary, work, workspaces, seed):
        self.binary, self.work = binary, work
        self.root = os.path.join(work, "root")
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.procs = {}                 # pid -> (name, Popen) of running sluice processes we started
        self.stop = threading.Event()
        self.stats = {"kills": 0, "kills_by_command": {}, "releases": 0, "approved_moves": 0, "rejected_moves": 0,
                      "apply_runs": 0, "reconcile_runs": 0, "serve_starts": 0, "command_failures": {}}
        self.approvals = {}             # record id -> number of times the operator approved it
        self.workspaces = [f"ws-{i:02d}" for i in range(workspaces)]
        self.shas = {}

    # --- setup -------------------------------------------------------------------------------
    def setup(self):
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)
        self.upstream = os.path.join(self.work, "upstream", "plug.git")
        self.upwork = os.path.join(self.work, "upstream-work")
        os.makedirs(self.upstream)
        scenario.git(["init", "-q", "--bare", "-b", "main", self.upstream], self.work)
        scenario.git(["init", "-q", "-b", "main", self.upwork], self.work)
        scenario.git(["remote", "add", "origin", self.upstream], self.upwork)
        self.url = "file://" + self.upstream
        self.release()
        os.makedirs(self.root)
        with open(os.path.join(self.root, "sluice.yaml"), "w") as f:
            f.write("queue: updates\nstate: .sluice\nsources:\n  transports: [file]\napply:\n  retain: 2\n")
        for ws in self.workspaces:
            os.makedirs(os.path.join(self.root, ws))
            with open(os.path.join(self.root, ws, "plugins.yaml"), "w") as f:
                f.write(f"plugins:\n  {PLUGIN}:\n    source: {self.url}\n    track: tag:latest\n")

    def release(self):
        n = len(self.shas)
        version = f"v1.{n}.0"
        self.shas[version] = scenario.write_release(self.upwork, version)
        self.stats["releases"] += 1

    # --- processes ---------------------------------------------------------------------------
    def start(self, name, args):
        p = subprocess.Popen([self.binary, *args, "--root", self.root], env=ENV, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        with self.lock:
            self.procs[p.pid] = (name, p)
        return p

    def finish(self, p):
        _, err = p.communicate()
        with self.lock:
            self.procs.pop(p.pid, None)
        return p.returncode, err

    def run(self, name, args):
        p = self.start(name, args)
        rc, err = self.finish(p)
        if rc not in (0, 1, -9):
            with self.lock:
                key = f"{name} exit {rc}"
                self.stats["command_failures"][key] = self.stats["command_failures"].get(key, 0) + 1
                if self.stats["command_failures"][key] <= 3:
                    print(f"  {name} exited {rc}: {err.strip()[-300:]}", flush=True)
        return rc

    # --- loops -------------------------------------------------------------------------------
    def loop_apply(self):
        while not self.stop.is_set():
            self.run("apply", ["apply"])
            self.stats["apply_runs"] += 1
            time.sleep(self.rng.uniform(0.2, 1.5))

    def loop_reconcile(self):
        while not self.stop.is_set():
            self.run("reconcile", ["reconcile"])
            self.stats["reconcile_runs"] += 1
            time.sleep(self.rng.uniform(1, 4))

    def loop_serve(self):
        while not self.stop.is_set():
            p = self.start("serve", ["serve", "--listen", "127.0.0.1:0", "--interval", "2"])
            self.stats["serve_starts"] += 1
            while p.poll() is None and not self.stop.is_set():
                time.sleep(0.2)
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    p.kill()
            self.finish(p)
            time.sleep(0.5)

    def loop_releases(self, every):
        while not self.stop.wait(self.rng.uniform(every * 0.5, every * 1.5)):
            self.release()

    def loop_operator(self):
        q = os.path.join(self.root, "updates")
        while not self.stop.wait(self.rng.uniform(0.3, 2.0)):
            names = [n for n in checks.listdir(os.path.join(q, "pending")) if n.endswith(".yaml") and not n.startswith(".")]
            for name in self.rng.sample(names, k=min(len(names), self.rng.randint(1, 5))):
                try:
                    with open(os.path.join(q, "pending", name), encoding="utf-8") as f:
                        rid = checks.parse_yaml_blocks(f.read()).get("id") or name[:-5]
                except (OSError, UnicodeDecodeError):
                    continue
                dest = "rejected" if self.rng.random() < 0.05 else "approved"
                try:
                    # A plain rename, as `mv` does; a file Sluice replaced or withdrew meanwhile is gone.
                    os.rename(os.path.join(q, "pending", name), os.path.join(q, dest, name))
                except FileNotFoundError:
                    continue
                if dest == "approved":
                    self.approvals[rid] = self.approvals.get(rid, 0) + 1
                    self.stats["approved_moves"] += 1
                else:
                    self.stats["rejected_moves"] += 1

    def loop_killer(self, mean):
        while not self.stop.wait(self.rng.expovariate(1 / mean)):
            with self.lock:
                live = [(pid, name) for pid, (name, p) in self.procs.items() if p.poll() is None]
            if not live:
                continue
            # serve always runs and apply or reconcile only now and then: favour the short ones.
            short = [x for x in live if x[1] != "serve"]
            pid, name = self.rng.choice(short if short and self.rng.random() < 0.7 else live)
            try:
                os.kill(pid, signal.SIGKILL)      # only processes this script started, by pid
            except ProcessLookupError:
                continue
            self.stats["kills"] += 1
            self.stats["kills_by_command"][name] = self.stats["kills_by_command"].get(name, 0) + 1

    # --- end ---------------------------------------------------------------------------------
    def recover_and_check(self):
        v = []
        for args in (["apply"], ["reconcile"]):
            r = subprocess.run([self.binary, *args, "--root", self.root], env=ENV, capture_output=True, text=True)
            if r.returncode not in (0, 1):
                v.append(("recovery-failed", f"recovery `sluice {' '.join(args)}` exits {r.returncode}: {r.stderr[-300:]}"))
        q = os.path.join(self.root, "updates")
        # Whatever the operator approved and no run has taken yet is applied now.
        r = subprocess.run([self.binary, "apply", "--root", self.root], env=ENV, capture_output=True, text=True)
        if r.returncode not in (0, 1):
            v.append(("recovery-failed", f"final apply exits {r.returncode}: {r.stderr[-300:]}"))
        before = {f: set(checks.listdir(os.path.join(q, f))) for f in ("applied", "failed")}
        r = subprocess.run([self.binary, "apply", "--root", self.root], env=ENV, capture_output=True, text=True)
        after = {f: set(checks.listdir(os.path.join(q, f))) for f in ("applied", "failed")}
        if r.returncode != 0 or before != after:
            v.append(("second-apply", f"an apply after recovery exits {r.returncode} or records something"))
        for name in checks.listdir(os.path.join(q, "applying")):
            v.append(("claim-left", f"updates/applying/{name}"))
        if checks.listdir(os.path.join(q, "approved")):
            v.append(("approval-left", f"still in approved/: {checks.listdir(os.path.join(q, 'approved'))}"))
        outcomes = {}
        records = 0
        for folder in ("applied", "failed"):
            for name, rec in checks.read_records(os.path.join(q, folder)).items():
                records += 1
                outcomes.setdefault(rec.get("id"), []).append(f"{folder}/{name}")
                if not rec.get("outcome.result"):
                    v.append(("no-outcome", f"{folder}/{name} has no outcome"))
        lost = 0
        for rid, n in sorted(self.approvals.items()):
            got = len(outcomes.get(rid, []))
            if got != n:
                lost += max(0, n - got)
                v.append(("outcome-count", f"{rid}: approved {n} times, {got} outcomes ({', '.join(outcomes.get(rid, [])) or 'lost'})"))
        for rid, files in outcomes.items():
            if rid not in self.approvals:
                v.append(("outcome-unexpected", f"{rid}: outcome for nothing approved: {files}"))
        known = set(self.shas.values())
        for ws in self.workspaces:
            live = os.path.join(self.root, ws, "plugins", PLUGIN)
            if os.path.isdir(live):
                s, problem = checks.verify_tree(live)
                if problem:
                    v.append(("live-broken", f"{ws}/plugins/{PLUGIN}: {problem}"))
                elif s["sha"] not in known:
                    v.append(("live-broken", f"{ws}/plugins/{PLUGIN}: unknown sha {s['sha'][:12]}"))
            for name in checks.listdir(os.path.join(self.root, ws, ".sluice", "staging")):
                v.append(("staging-left", f"{ws}/.sluice/staging/{name}"))
            v.extend(checks.check_retained(self.root, ws, PLUGIN))
        for rel, _ in checks.temp_files(self.root, "reconcile"):
            v.append(("temp-left", rel))
        r = subprocess.run([self.binary, "check", "--root", self.root], env=ENV, capture_output=True, text=True)
        if r.returncode != 0:
            v.append(("check-failed", f"sluice check exits {r.returncode}: {r.stderr.strip()[:300]}"))
        return v, records, lost, outcomes


def main():
    p = argparse.ArgumentParser(description="Soak Sluice: serve, apply, reconcile, releases, approvals, SIGKILLs.")
    p.add_argument("minutes", type=float)
    p.add_argument("--sluice", default=".build/debug/sluice")
    p.add_argument("--workspaces", type=int, default=12)
    p.add_argument("--release-every", type=float, default=20, help="mean seconds between upstream releases")
    p.add_argument("--kill-every", type=float, default=4, help="mean seconds between SIGKILLs")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--work", default=None)
    p.add_argument("--json", default="soak.json")
    a = p.parse_args()
    binary = os.path.abspath(a.sluice)
    seed = a.seed if a.seed is not None else int(time.time())
    work = a.work or os.path.join("/tmp", f"soak-{os.getpid()}")
    soak = Soak(binary, work, a.workspaces, seed)
    soak.setup()
    print(f"soak: {a.minutes} min, {a.workspaces} workspaces, seed {seed}, root {soak.root}", flush=True)
    loops = [soak.loop_apply, soak.loop_reconcile, soak.loop_serve, soak.loop_operator,
             lambda: soak.loop_releases(a.release_every), lambda: soak.loop_killer(a.kill_every)]
    threads = [threading.Thread(target=f, daemon=True) for f in loops]
    t0 = time.time()
    for t in threads:
        t.start()
    deadline = t0 + a.minutes * 60
    while time.time() < deadline:
        time.sleep(min(30, max(0.1, deadline - time.time())))
        print(f"  {int(time.time() - t0)} s: {soak.stats['releases']} releases, {soak.stats['approved_moves']} approvals, "
              f"{soak.stats['kills']} kills", flush=True)
    soak.stop.set()
    for t in threads:
        t.join(timeout=120)
    v, records, lost, outcomes = soak.recover_and_check()
    report = {"minutes": a.minutes, "seed": seed, "workspaces": a.workspaces, **soak.stats, "records": records,
              "approved_ids": len(soak.approvals), "lost": lost, "violations": [{"kind": k, "detail": d} for k, d in v],
              "seconds": round(time.time() - t0, 1)}
    with open(a.json, "w") as f:
        json.dump(report, f, indent=1)
    for kind, detail in v:
        print(f"  VIOLATION {kind}: {detail}")
    print(f"soak: {report['seconds']} s, {soak.stats['releases']} releases, {soak.stats['approved_moves']} approvals "
          f"({len(soak.approvals)} ids), {records} records with an outcome, {soak.stats['kills']} kills "
          f"{soak.stats['kills_by_command']}, {soak.stats['apply_runs']} apply and {soak.stats['reconcile_runs']} reconcile runs, "
          f"{soak.stats['serve_starts']} serve starts; lost: {lost}, violations: {len(v)}")
    if not v:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if v else 0


if __name__ == "__main__":
    sys.exit(main())
