"""One module per domain, each declaring the domain once: `DOMAIN = Domain(...)` with its record
kinds, tables, blueprints, navigation, start-page sections, vocabularies and demo loader
(coop/registry.py). The list of domains is coop.DOMAINS; nothing else names a domain."""
