"""What `--help` says of each command: a line on what it does, then examples to copy.

Plain text for the command line's help (click keeps a paragraph after a line holding only \\b as
it is written, so the examples keep their lines).
"""

ROOT = """Audit and enforce anonymization in text documents: find every mask, every
value left in clear, and the masks that leak; then redact under one policy.

\b
Examples:
  redactaudit scan docs/
  redactaudit scan docs/ --format sarif --output redactaudit.sarif
  redactaudit redact docs/ --out public/
  redactaudit scan --help
"""

SCAN = """Find every existing mask, every sensitive value in clear, and the masks that leak.

Exit 0: nothing at or above --fail-on; 1: findings at or above it, or a file not checked; 2: a
usage, config, pack, baseline or git error.

\b
Examples:
  redactaudit scan docs/                          # a report for the terminal
  redactaudit scan docs/ -v                       # ... listing every existing mask
  redactaudit scan docs/ --min-severity warning --fail-on warning
  redactaudit scan - < speech.txt                 # standard input
  redactaudit scan docs/ -f html -o report.html   # one self-contained page
  redactaudit scan docs/ -f sarif -o redactaudit.sarif --changed-since origin/main
  redactaudit scan docs/ -f markdown >> "$GITHUB_STEP_SUMMARY"
"""

REDACT = """Apply one redaction policy to every mask and every leak, then scan the result again.

Exit 0: nothing left behind; 1: a leak found again in the output, or a file not written; 2: a
usage, config, pack or policy error.

\b
Examples:
  redactaudit redact docs/ --out public/                   # copies, the tree mirrored
  redactaudit redact docs/ --policy zh-court --out public/
  redactaudit redact docs/ --dry-run --diff                # what would change, values masked
  redactaudit redact docs/ --out public/ --report redaction.html
  redactaudit redact docs/ --in-place --backup-dir ../docs-originals
"""

BASELINE = """Accept today's findings so a gate fails only on new ones.

\b
Examples:
  redactaudit baseline create docs/ -o .redactaudit-baseline.json
  redactaudit scan docs/ --baseline .redactaudit-baseline.json
  redactaudit baseline update docs/ -b .redactaudit-baseline.json
"""

BASELINE_CREATE = """Record every current finding as accepted (keyed hashes, no values).

\b
Example:
  redactaudit baseline create docs/ -o .redactaudit-baseline.json
"""

BASELINE_UPDATE = """Rewrite a baseline from the current findings: new ones accepted, stale ones dropped.

\b
Example:
  redactaudit baseline update docs/ -b .redactaudit-baseline.json
"""

PACKS = """List the rule packs or check a pack of your own.

\b
Examples:
  redactaudit packs list
  redactaudit packs check rules/our-case-numbers.yaml
"""

PACKS_LIST = """List the built-in and configured packs, on or off, with their rules.

\b
Example:
  redactaudit packs list --config redactaudit.yaml
"""

PACKS_CHECK = """Validate a pack: schema, regexes, validators, and every match/nomatch example.

\b
Example:
  redactaudit packs check rules/our-case-numbers.yaml
"""
