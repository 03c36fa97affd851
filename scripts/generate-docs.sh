#!/usr/bin/env bash
# Regenerates the shell completion scripts and manual pages from the command definitions.
# Run after changing any command's options or help; CommandLineTests checks the completions
# are current.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product sluice
for shell in bash zsh fish; do
  .build/debug/sluice --generate-completion-script "$shell" > "docs/completions/sluice.$shell"
done
swift package generate-manual --multi-page
rm -f docs/man/*.1
cp .build/plugins/GenerateManual/outputs/SluiceCLI/*.1 docs/man/
rm -f docs/man/sluice.help.1
echo "completions in docs/completions, manual pages in docs/man (man -l docs/man/sluice.1)"
