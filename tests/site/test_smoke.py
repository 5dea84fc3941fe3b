def test_home_shows_published_counts(client, chang_e_6):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["mission_count"] == 1
    assert response.context["international_payload_count"] == 2
