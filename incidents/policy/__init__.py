"""The school's triage policy: which criteria it triages by (docs/triage.md#presets)."""
