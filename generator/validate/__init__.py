"""Stage 2: specs must match their meta-schemas; cross-spec rules hold over the whole catalogue."""

from .catalogue import check_catalogue
from .metaschema import SpecKind, check_structure, meta_schema

__all__ = ["SpecKind", "check_catalogue", "check_structure", "meta_schema"]
