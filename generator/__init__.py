"""wirogen: declarative model specs in, typed clients, JSON Schemas, docs and a local fake out.

The pipeline shows in the sub-packages: ``load`` (YAML with locations) -> ``validate``
(meta-schemas and semantic rules) -> ``normalize`` (the intermediate model in ``ir``) ->
``emit`` (one pure function per output kind) -> ``write`` (the only code that touches disk).
``pipeline`` strings them together; ``cli`` is a thin door around it.
"""

__version__ = "0.1.0"
