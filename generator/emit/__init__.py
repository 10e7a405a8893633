"""Stage 4: emitters, each a pure function from the intermediate model to {relative path: text}.

- ``schemas``: JSON Schema of each model's inputs (``schemas/<owner>/<slug>.json``);
- ``types``: pydantic input models via datamodel-code-generator (``python/wiro_client/types``);
- ``client``: the Python package, runtime and typed per-model clients (``python/``);
- ``docs``: Markdown per model and an index (``docs/``);
- ``tools``: each model as Wiro's Tool/Detail describes it, for FakeWiro
  (``python/wiro_client/testing/tools``);
- ``units``: how their files group into the units generation renders and reuses;
- ``text`` and ``format``: spec text as literals of each output language, black's layout.

Nothing is imported here: ``text`` is read by the input families while specs are normalised,
long before (and often without) any emitter or Jinja loading.
"""
