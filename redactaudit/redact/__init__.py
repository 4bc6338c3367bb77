"""Redaction: the edits one policy asks of a document (`edits`) and the loop that applies them
until the text is a fixed point (`passes`). Writing files is the orchestrator's (audit.redaction)."""
