"""marshmallow schemas: one per record type, with docs/design.md's field names in docs/design.md's
order.

They parse and dump records for the JSON API and for imports and exports alike."""
