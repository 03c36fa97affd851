"""Builds the crash-point scenario: a real bare upstream repository and a Sluice root.

Standard library only. Everything is built once into a template folder; each case copies the
snapshot it needs (`cp -a`), so every run starts from identical bytes.

Snapshots (folders under <template>/snap/, each a root):
  apply     ws-a, ws-b, team/ws-c live at v1.1.0 with v1.0.0 retained (apply.retain: 1), and the
            pending v1.2.0 updates approved (mv pending -> approved). The v1.2.0 commit is not
            fetched or exported yet, so `apply` fetches, exports, stages, swaps, retains, prunes.
  reconcile the same before `reconcile`: v1.2.0 tagged upstream, nothing pending.
  install   the apply snapshot without approvals, plus an empty workspace ws-d (`plugins: {}`);
            the operation is `sluice install ws-d plug --source URL --ref v1.2.0 --track tag:latest`.
  rollback  the reconcile snapshot; the operation is `sluice rollback ws-a plug`.
"""
import os
import shutil
import subprocess

PLUGIN = "plug"
WORKSPACES = ["ws-a", "ws-b", "team/ws-c"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Crash", "GIT_AUTHOR_EMAIL": "crash@example.invalid",
    "GIT_COMMITTER_NAME": "Crash", "GIT_COMMITTER_EMAIL": "crash@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
}


def git(args, cwd):
    env = dict(os.environ)
    env.update(GIT_ENV)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def sluice(binary, args, root, check=True):
    r = subprocess.run([binary, *args, "--root", root], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"sluice {' '.join(args)} exited {r.returncode}: {r.stderr[-2000:]}")
    return r


def release_files(version):
    """About 20 files in subfolders; each release changes, adds and deletes some."""
    minor = int(version.split(".")[1])
    files = {
        "plugin.yaml": f"name: plug\nversion: {version}\n",
        "README.md": f"# plug {version}\n" + "text line\n" * 40,
        "hooks/pre.sh": "#!/bin/sh\necho pre\n",
        "hooks/post.sh": f"#!/bin/sh\necho post {minor}\n",
        "skills/plug/SKILL.md": f"---\nname: plug\n---\nversion {version}\n",
        "skills/extra/SKILL.md": "---\nname: extra\n---\nsame in every release\n",
        "lib/a/b/deep.txt": "deep\n" * 100,
    }
    for i in range(8):
        files[f"rules/rule-{i:02d}.md"] = f"rule {i} of {version}\n" + "x" * (200 * (i + 1)) + "\n"
    for i in range(4):
        files[f"docs/page-{i}.md"] = f"page {i}\n"
    if minor >= 1:
        files["rules/added-in-1.1.md"] = "new rule\n"
        del files["docs/page-3.md"]
    if minor >= 2:
        files["lib/big.bin"] = (bytes(range(256)) * 64).decode("latin-1")  # 16 KiB
        files["docs/page-0.md"] = "page 0 rewritten\n"
    return files


def write_release(work, version):
    for entry in os.listdir(work):
        if entry != ".git":
            p = os.path.join(work, entry)
            shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.unlink(p)
    for rel, text in release_files(version).items():
        path = os.path.join(work, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="latin-1") as f:
            f.write(text)
        if rel.endswith(".sh"):
            os.chmod(path, 0o755)
    os.symlink("rules/rule-00.md", os.path.join(work, "first-rule.md"))
    git(["add", "-A"], work)
    git(["commit", "-q", "-m", f"release {version}"], work)
    git(["tag", version], work)
    git(["push", "-q", "origin", "HEAD:refs/heads/main", f"refs/tags/{version}"], work)
    return git(["rev-parse", "HEAD"], work)


def snapshot(root, dest):
    subprocess.run(["cp", "-a", root, dest], check=True)


def build(template, binary, serial=True):
    """Returns {"url", "shas": {tag: sha}, "snap": {name: path}}."""
    if os.path.exists(template):
        shutil.rmtree(template)
    os.makedirs(template)
    upstream = os.path.join(template, "upstream", "plug.git")
    work = os.path.join(template, "upstream-work")
    os.makedirs(upstream)
    git(["init", "-q", "--bare", "-b", "main", upstream], template)
    git(["init", "-q", "-b", "main", work], template)
    git(["remote", "add", "origin", upstream], work)
    url = "file://" + upstream
    shas = {}
    for v in ("v1.0.0", "v1.1.0"):
        shas[v] = write_release(work, v)

    root = os.path.join(template, "root")
    os.makedirs(root)
    with open(os.path.join(root, "sluice.yaml"), "w") as f:
        f.write("queue: updates\nstate: .sluice\nsources:\n  transports: [file]\n"
                "apply:\n  retain: 1\n")
    for ws in WORKSPACES:
        os.makedirs(os.path.join(root, ws))
        with open(os.path.join(root, ws, "plugins.yaml"), "w") as f:
            f.write("plugins: {}\n")
        sluice(binary, ["install", ws, PLUGIN, "--source", url, "--ref", "v1.0.0",
                        "--track", "tag:latest"], root)
    sluice(binary, ["reconcile"], root)
    pending = os.path.join(root, "updates", "pending")
    for name in sorted(os.listdir(pending)):
        os.rename(os.path.join(pending, name), os.path.join(root, "updates", "approved", name))
    sluice(binary, ["apply"], root)                     # v1.1.0 live, v1.0.0 retained
    shas["v1.2.0"] = write_release(work, "v1.2.0")

    snaps = os.path.join(template, "snap")
    os.makedirs(snaps)
    snapshot(root, os.path.join(snaps, "reconcile"))
    snapshot(root, os.path.join(snaps, "rollback"))
    inst = os.path.join(snaps, "install")
    snapshot(root, inst)
    os.makedirs(os.path.join(inst, "ws-d"))
    with open(os.path.join(inst, "ws-d", "plugins.yaml"), "w") as f:
        f.write("plugins: {}\n")
    sluice(binary, ["reconcile"], root)
    for name in sorted(os.listdir(pending)):
        os.rename(os.path.join(pending, name), os.path.join(root, "updates", "approved", name))
    snapshot(root, os.path.join(snaps, "apply"))
    if serial:                      # one workspace at a time: see "Schedules" in ./run
        for name in ("apply", "reconcile", "install", "rollback"):
            with open(os.path.join(snaps, name, "sluice.yaml"), "a") as f:
                f.write("git:\n  concurrency: 1\n")
    return {"url": url, "shas": shas,
            "snap": {n: os.path.join(snaps, n) for n in ("apply", "reconcile", "install", "rollback")}}
