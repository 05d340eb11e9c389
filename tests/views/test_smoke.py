def test_start_page(as_role):
    assert as_role("president").get("/").status_code == 200
