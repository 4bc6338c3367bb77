"""Consistency: where a text leaks through its masks, within one document and across its copies.

The checks are registered once each in `vocabulary.CHECKS` (id, description, what they point at);
their code is in `within` (one document), `copies` (two copies), `clusters` (which documents are
copies) and `crossdoc` (what copies give, at any scale).
"""

from .crossdoc import cross_document
from .within import check_document

__all__ = ["check_document", "cross_document"]
