"""One demonstration account of each role, all with the password DEMO_PASSWORD (change them
before real use); the operator keeps DY02's mines."""

from coop.services import accounts

DEMO_PASSWORD = "coop-demo-2026"


# username, role, enterprise
USERS = [
    ("admin", "admin", None),
    ("president", "president", None),
    ("operator", "operator", "DY02"),
    ("bureau", "bureau", None),
]


def load(demo):
    for username, role, enterprise in USERS:
        accounts.create_user(username, role, DEMO_PASSWORD, enterprise)
    demo.counts["users"] = len(USERS)
