"""marshmallow schemas: one per record type, with DOMAIN.md's field names in DOMAIN.md's order.

They parse and dump records for the JSON API and for imports and exports alike."""
