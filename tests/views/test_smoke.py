def test_start_page(as_role):
    assert as_role("president").get("/").status_code == 200


def test_the_welcome_page_says_only_what_the_software_does(client):
    """Each registered domain says its line; no record type still to come is promised."""
    from coop import registry

    page = client.get("/").text
    lines = [str(line) for line in registry.abilities()]
    # every domain with pages in the menu says what it does
    assert all(domain.does for domain in registry.domains() if domain.menu)
    for line in lines:
        assert f"<li>{line}</li>" in page
    for missing in ("grievance", "safety", "reinvestment", "rehabilitation", "accident"):
        assert missing not in page.lower()
