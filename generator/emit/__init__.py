"""The code generator for schemas: from a JSON Schema / OpenAPI 3.0 Schema Object to source.

Modules, in the order data flows through them:

* `options` - `CompileOptions`; `dialect` / `openapi30` - what differs between dialects;
* `refs` - local ``$ref`` resolution; `patterns` - ECMA-262 to Python regex translation
  (with `unicode_classes` for ``\\p{...}``); `formats` - the known ``format`` values;
* `keywords` / `applicators` - the keyword table; `function` - one generated function;
* `writer` - `literal()`, `Namer.ident()`, indentation; `builder` - units and modules.
"""

from generator.emit.builder import (
    CODEGEN_VERSION,
    EmittedCode,
    UnitBuilder,
    emit_schema,
    render_module,
)
from generator.emit.options import CompileOptions

__all__ = [
    "CODEGEN_VERSION",
    "CompileOptions",
    "EmittedCode",
    "UnitBuilder",
    "emit_schema",
    "render_module",
]
