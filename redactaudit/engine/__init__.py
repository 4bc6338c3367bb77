"""The rule engine: packs of rules (YAML, `packs` loads them into the frozen types of `rules`),
compiled once into a Ruleset; one document at a time, `detect` finds every mask and leak.

Internals: `match` runs one rule on a text; `gate` marks in one RE2 pass where each rule can
match; `re2` adapts google-re2 (with a fallback to `regex`); `normalize` builds the folded view
rules match on; `gazetteer` holds the word lists; `validators` the checksums and date checks;
`examples` runs every pack's examples as tests.
"""
