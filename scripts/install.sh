#!/usr/bin/env bash
# Installs sluice for binary users: the release binary, the bundled examples (for `sluice demo`),
# the manual pages, the shell completions and the spec, under one prefix.
#
#   scripts/install.sh                         # builds a release binary, installs into /usr/local
#   scripts/install.sh --prefix "$HOME/.local" # another prefix
#   scripts/install.sh --binary .build/debug/sluice --prefix /tmp/p   # an existing binary (tests)
#
# Layout: <prefix>/bin/sluice, <prefix>/share/sluice/examples/, <prefix>/share/man/man1/*.1,
# <prefix>/share/bash-completion/completions/sluice, <prefix>/share/zsh/site-functions/_sluice,
# <prefix>/share/fish/vendor_completions.d/sluice.fish, <prefix>/share/doc/sluice/{README.md,spec/}.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
binary=
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done

if [ -z "$binary" ]; then
  swift build -c release --product sluice
  binary=.build/release/sluice
fi
[ -x "$binary" ] || { echo "install.sh: $binary is not an executable; build it or pass --binary" >&2; exit 1; }

install -d "$prefix/bin" "$prefix/share/sluice" "$prefix/share/man/man1" \
  "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" \
  "$prefix/share/fish/vendor_completions.d" "$prefix/share/doc/sluice"
install -m 0755 "$binary" "$prefix/bin/sluice"
rm -rf "$prefix/share/sluice/examples" "$prefix/share/doc/sluice/spec"
# The examples hold plugin trees and workspaces as plain files; copy them as they are.
cp -R examples "$prefix/share/sluice/examples"
rm -rf "$prefix/share/sluice/examples/.demo"
install -m 0644 docs/man/*.1 "$prefix/share/man/man1/"
install -m 0644 docs/completions/sluice.bash "$prefix/share/bash-completion/completions/sluice"
install -m 0644 docs/completions/sluice.zsh "$prefix/share/zsh/site-functions/_sluice"
install -m 0644 docs/completions/sluice.fish "$prefix/share/fish/vendor_completions.d/sluice.fish"
install -m 0644 README.md "$prefix/share/doc/sluice/README.md"
cp -R spec "$prefix/share/doc/sluice/spec"
echo "installed sluice into $prefix (try: $prefix/bin/sluice demo --into /tmp/sluice-demo)"
