#!/usr/bin/env bash
# Regenerates every generated document from the command definitions: the shell completion
# scripts (docs/completions) and the manual pages (docs/man, ArgumentParser's generate-manual
# plugin, then post-processed here). Run after changing any command's options or help, or
# spec/exit-codes.md; OperatorExperienceTests and ManPageTests check the results are current.
#
#   scripts/generate-docs.sh                      regenerate docs/completions and docs/man
#   scripts/generate-docs.sh --postprocess-man D  only post-process the generated pages in D
#                                                 (what ManPageTests runs on a fresh generation)
#
# Post-processing: the page of ArgumentParser's built-in `help` command goes, so does its
# `sluice.help(1)` in SEE ALSO; every page's EXIT STATUS (`.Ex -std`) is replaced by the codes
# in spec/exit-codes.md (the command's own table, else the general one), read from that file
# each time so the pages cannot drift from the spec. A page whose only change is its date
# (`.Dd`) is left as committed.
set -euo pipefail
cd "$(dirname "$0")/.."
spec=spec/exit-codes.md

# The EXIT STATUS section of `sluice <command>` (`sluice` for the top page), as mdoc, from the
# tables of $spec: the general table (before "## Per command"), and one table per `###` heading
# naming the commands it covers (`sluice approve` and `sluice reject` …).
exit_status_section() {
  awk -v want="$1" '
    function roff(s,    out, t, u) {
      gsub(/\\/, "\\e", s)
      gsub(/…/, "...", s)
      # [text](link) -> text (spec/<file> for a link to another page of spec/)
      out = ""
      while (match(s, /\[[^]]*\]\([^)]*\)/)) {
        t = substr(s, RSTART + 1, RLENGTH - 2)
        u = t; sub(/^.*\]\(/, "", u); sub(/#.*$/, "", u); sub(/\]\(.*$/, "", t)
        if (t == u && u !~ /:\/\//) t = "spec/" u
        out = out substr(s, 1, RSTART - 1) t
        s = substr(s, RSTART + RLENGTH)
      }
      s = out s
      # `code` -> bold
      out = ""
      while (match(s, /`[^`]*`/)) {
        out = out substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 1, RLENGTH - 2) "\\fR"
        s = substr(s, RSTART + RLENGTH)
      }
      s = out s
      if (s ~ /^[.\047]/) s = "\\&" s
      return s
    }
    /^## Per command/ { general = 0; next }
    /^# / { general = 1; next }
    /^##/ {
      general = 0; covered = 0; s = $0
      while (match(s, /`sluice [a-z-]+/)) {
        if (substr(s, RSTART + 8, RLENGTH - 8) == want) covered = 1
        s = substr(s, RSTART + RLENGTH)
      }
      next
    }
    /^\| *[0-9]+ *\|/ {
      row = $0
      sub(/^\| */, "", row); sub(/ *\| *$/, "", row)
      code = row; sub(/ *\|.*$/, "", code)
      text = row; sub(/^[0-9]+ *\| */, "", text)
      if (general) { g[++ng] = code; gt[ng] = roff(text) }
      if (covered) { c[++nc] = code; ct[nc] = roff(text) }
    }
    END {
      print ".Sh \"EXIT STATUS\""
      print ".Bl -tag -width 4n"
      if (want == "sluice" || nc == 0) { for (i = 1; i <= ng; i++) printf ".It %s\n%s\n", g[i], gt[i] }
      else { for (i = 1; i <= nc; i++) printf ".It %s\n%s\n", c[i], ct[i] }
      print ".El"
    }
  ' "$spec"
}

# Post-processes the pages generate-manual wrote into $1.
postprocess_man() {
  local dir=$1 page command section
  rm -f "$dir/sluice.help.1"
  for page in "$dir"/*.1; do
    command=$(basename "$page" .1)
    command=${command#sluice.}
    section=$(mktemp)
    exit_status_section "$command" > "$section"
    awk -v section="$section" '
      function flush_see_also(    i) {
        for (i = 1; i <= n; i++) print xr[i] (i < n ? " ," : "")
        n = 0
      }
      # The generated EXIT STATUS is ".Sh \"EXIT STATUS\"" then ".Ex -std".
      $0 == ".Sh \"EXIT STATUS\"" { while ((getline line < section) > 0) print line; skip = 1; next }
      skip && /^\.Ex / { skip = 0; next }
      { skip = 0 }
      # An empty line is not mdoc (groff -ww warns "Empty input line"): a paragraph break.
      /^$/ { flush_see_also(); print ".Pp"; next }
      /^\.Sh / { flush_see_also(); see_also = ($0 == ".Sh \"SEE ALSO\""); print; next }
      see_also && /^\.Xr / {
        if ($0 ~ /^\.Xr sluice\.help /) next
        line = $0; sub(/ *,$/, "", line); xr[++n] = line; next
      }
      { flush_see_also(); print }
      END { flush_see_also() }
    ' "$page" > "$page.new"
    mv "$page.new" "$page"
    rm -f "$section"
  done
}

if [ "${1:-}" = "--postprocess-man" ]; then
  postprocess_man "${2:?usage: $0 --postprocess-man <folder>}"
  exit 0
fi

swift build --product sluice
for shell in bash zsh fish; do
  .build/debug/sluice --generate-completion-script "$shell" > "docs/completions/sluice.$shell"
done

# The plugin writes into its work folder under .build and says where; a debug build is enough
# (its default, release, would build the whole package a second time).
log=$(swift package plugin generate-manual --configuration debug --multi-page 2>&1) || { echo "$log" >&2; exit 1; }
outputs=$(echo "$log" | sed -n "s/^Generated manual in '\(.*\)'$/\1/p" | grep '/SluiceCLI/\?$' | head -n 1)
outputs=${outputs#file://}
[ -n "$outputs" ] && [ -d "$outputs" ] || { echo "$log" >&2; echo "generate-manual: no output folder for SluiceCLI" >&2; exit 1; }
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
cp "$outputs"/*.1 "$fresh/"
postprocess_man "$fresh"

# Keep a committed page whose only difference is the date, so regenerating changes nothing
# until a page really changes; drop pages of commands that are gone.
for page in "$fresh"/*.1; do
  old="docs/man/$(basename "$page")"
  if [ -f "$old" ] && diff -q <(grep -v '^\.Dd ' "$old") <(grep -v '^\.Dd ' "$page") >/dev/null; then continue; fi
  cp "$page" "$old"
done
for old in docs/man/*.1; do
  [ -f "$fresh/$(basename "$old")" ] || rm -f "$old"
done
echo "completions in docs/completions, manual pages in docs/man (man -l docs/man/sluice.1)"
