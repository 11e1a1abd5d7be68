"""Reading what people write: bytes, YAML/JSON/CSV, and the problems found in them.

The lowest layer of prevplan: it knows files and formats, not the Concept's rules. The
rules loader (:mod:`prevplan.rules.loader`), the population reader, plan files and NGO
inventories all read through it, so every input gets the same limits and the same strict
parsing, and every validation error is worded the same way.

- :mod:`.files` — reading bytes with a size limit, decoding UTF-8, choosing a format;
- :mod:`.yaml_strict` — the one strict YAML/JSON loader (duplicate keys, aliases, depth);
- :mod:`.errors` — the one translator from pydantic validation errors to problems;
- :mod:`.populations` — target-population files (interfaces §2);
- :mod:`.population_csv` — the CSV form of them, with its fenced fast path;
- :mod:`.columns` — populations held as columns, for a national batch.
"""
