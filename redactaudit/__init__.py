"""redactaudit: audit and enforce anonymization in text documents."""

__version__ = "0.1.0"
