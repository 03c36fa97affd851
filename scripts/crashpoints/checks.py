"""Independent invariant checks for a Sluice root (standard library only).

Nothing here calls Sluice code: the tree digest is recomputed from spec/formats.md "Tree digest",
stamps and records are read with a small line parser that knows the layout Sluice writes.
"""
import hashlib
import os
import re

STAMP = ".sluice-stamp.yaml"
RETAINED_NAME = re.compile(r"^(\d{8}T\d{6}Z)-(\d{3})-([0-9a-f]{12}|unstamped)(-modified)?$")


def tree_digest(folder):
    """spec/formats.md "Tree digest", written out again."""
    entries = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        names = list(filenames)
        for d in list(dirnames):            # links to folders show up in dirnames
            if os.path.islink(os.path.join(dirpath, d)):
                names.append(d)
                dirnames.remove(d)
        for name in names:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, folder).replace(os.sep, "/")
            if rel == STAMP:
                continue
            if os.path.islink(full):
                kind, data = "l", os.readlink(full).encode()
            else:
                st = os.lstat(full)
                if not (st.st_mode & 0o170000 == 0o100000):
                    continue
                kind = "x" if st.st_mode & 0o111 else "f"
                with open(full, "rb") as f:
                    data = f.read()
            entries.append((rel, kind, data))
    h = hashlib.sha256()
    for rel, kind, data in sorted(entries, key=lambda e: e[0].encode()):
        h.update(f"{kind} {len(rel.encode())}:{rel} {hashlib.sha256(data).hexdigest()}\n".encode())
    return "sha256:" + h.hexdigest()


def unquote(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    return v


def parse_yaml_blocks(text):
    """Top-level `key: value` and one nested level: {"id": "…", "to.sha": "…", "outcome.result": …}."""
    out, parent = {}, None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#") or line.lstrip().startswith("- "):
            continue
        indent = len(line) - len(line.lstrip(" "))
        m = re.match(r"^\s*([A-Za-z_][A-Za-z0-9_]*):(?:\s+(.*))?$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2)
        if indent == 0:
            parent = key
            out[key] = unquote(value) if value is not None else None
        elif indent == 2 and parent:
            out[f"{parent}.{key}"] = unquote(value) if value is not None else None
    return out


def read_stamp(folder):
    """(stamp dict, problem) — problem is None when the stamp parses with every required field."""
    path = os.path.join(folder, STAMP)
    if os.path.islink(path) or not os.path.isfile(path):
        return None, "no stamp"
    try:
        with open(path, encoding="utf-8") as f:
            s = parse_yaml_blocks(f.read())
    except (OSError, UnicodeDecodeError) as e:
        return None, f"stamp unreadable: {e}"
    for key in ("format", "plugin", "source", "track", "sha", "digest", "installed"):
        if not s.get(key):
            return s, f"stamp lacks {key}"
    if not re.fullmatch(r"[0-9a-f]{40,}", s["sha"]):
        return s, "stamp sha is not a full commit id"
    return s, None


def verify_tree(folder):
    """(stamp, problem): problem None when the stamp parses and the digest matches."""
    s, problem = read_stamp(folder)
    if problem:
        return s, problem
    actual = tree_digest(folder)
    if actual != s["digest"]:
        return s, f"digest {actual[:19]}… differs from the stamp's {s['digest'][:19]}…"
    return s, None


def listdir(path):
    try:
        return sorted(os.listdir(path))
    except FileNotFoundError:
        return []


def read_records(folder):
    recs = {}
    for name in listdir(folder):
        if name.endswith(".yaml") and not name.startswith("."):
            try:
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    recs[name] = parse_yaml_blocks(f.read())
            except (OSError, UnicodeDecodeError):
                recs[name] = {}
    return recs


def temp_files(root, op):
    """Every `.tmp-*` entry under the root: (relative path, tolerated?).

    spec/layout.md: a temporary whose writer is gone is removed by the next run that sweeps its
    folder; after a kill and one clean recovery run of the same command every writer is gone, so
    none may be left in a folder that command sweeps. `pending/` is swept by reconcile only, so a
    temporary there is tolerated after the other commands (none of them writes there)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            if name.startswith(".tmp-"):
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                tolerated = op != "reconcile" and rel.startswith("updates/pending/")
                found.append((rel, tolerated))
        dirnames[:] = [d for d in dirnames if not d.startswith(".tmp-") and not d.endswith(".git")]
    return found


def retained_trees(root, ws, plugin):
    return listdir(os.path.join(root, ws, ".sluice", "retained", plugin))


def check_retained(root, ws, plugin):
    """Violations for retained trees: a clean label must verify; no partial tree may be kept.

    Labels `unstamped` and `-modified` are what spec/layout.md allows for operator content; the
    scenario has none, so such a tree can only be Sluice's own partial work (issue #10 item 1)."""
    problems = []
    base = os.path.join(root, ws, ".sluice", "retained", plugin)
    for name in retained_trees(root, ws, plugin):
        path = os.path.join(base, name)
        rel = os.path.relpath(path, root)
        m = RETAINED_NAME.match(name)
        if not m:
            problems.append(("retained-odd-name", f"{rel}: not a retained tree name (leftover?)"))
            continue
        label, modified = m.group(3), bool(m.group(4))
        s, problem = verify_tree(path)
        if label == "unstamped" or modified:
            detail = problem or "verifies against its stamp"
            problems.append(("retained-partial", f"{rel}: labelled {label}{'-modified' if modified else ''} "
                             f"though no operator edited anything ({detail}; {count_files(path)} files)"))
        elif problem:
            problems.append(("retained-broken", f"{rel}: labelled as a clean {label} tree but {problem} "
                             f"({count_files(path)} files)"))
        elif not s["sha"].startswith(label):
            problems.append(("retained-broken", f"{rel}: label {label} but stamp sha {s['sha'][:12]}"))
    return problems


def count_files(path):
    return sum(len(f) for _, _, f in os.walk(path))
