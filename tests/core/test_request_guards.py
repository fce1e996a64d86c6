from tests.factories import make_user


def test_nul_byte_in_a_query_string_gets_a_clear_400_not_a_500(client):
    response = client.get("/login?next=/account%00")
    assert response.status_code == 400
    assert b"cannot be used" in response.data


def test_ordinary_unicode_passes_the_guard(app, client):
    make_user("zoe@example.org", "Zoë Ünïcødé 医生")
    response = client.post("/login", data={"email": "zoe@example.org", "password": "x"})
    assert response.status_code == 200
