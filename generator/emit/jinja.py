"""The one Jinja environment every template renders with: strict, and with the text filters.

Templates receive IR objects only; every spec string they print goes through a filter from
``emit.text`` (``py``, ``doc``, ``md``, ``md_code``, ``json``, ``toml``, ``sh``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from .._paths import templates_dir
from . import format as layout
from . import text
from .client_names import isort_order


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # outputs are Python/Markdown/TOML: escaping is the filters' job
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        py=text.py_literal,
        doc=text.doc_text,
        comment=text.comment_text,
        md=text.md,
        md_code=text.md_code,
        md_block=text.md_block,
        md_link=text.md_link,
        json=text.to_json,
        toml=text.toml_str,
        sh=text.sh_single,
        shorten=text.shorten,
        wrap=text.wrap,
        tuple_py=lambda values: text.py_literal(tuple(values)),
        closing_docstring=layout.closing_docstring,
        isort_order=isort_order,
    )
    # Layout helpers for the lines whose length depends on the specs (see ``emit.format``).
    env.globals.update(
        collection=layout.collection,
        mappings=layout.mappings,
        subscript=layout.subscript,
        import_from=layout.import_from,
        parameter=layout.parameter,
        statement=layout.statement,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
