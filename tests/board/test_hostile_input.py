"""Whatever members type, other members' browsers only ever get safe HTML."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.factories import answer, ask, comment, sign_in


class Elements(HTMLParser):
    """Every start tag a browser would build from the page, with its attributes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def dangerous(page: str) -> list[str]:
    found = []
    for tag, attrs in Elements(page).tags:
        ours = tag == "script" and attrs.get("src", "").startswith("/static/js/")
        if tag in {"script", "img", "iframe", "object", "embed", "style"} and not ours:
            found.append(tag)
        for name, value in attrs.items():
            scheme = value.strip().lower()
            if name.startswith("on") or scheme.startswith(("javascript:", "data:")):
                found.append(f"{tag} {name}={value}")
    return found


HOSTILE = """<script>alert("body")</script>

[click me](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)

<a href="javascript:alert(2)">raw link</a> <img src=x onerror=alert(3)>

[ok](https://example.org)
"""


def test_script_and_javascript_links_are_harmless_on_the_question_page(
    client, member, other
):
    question = ask(
        member,
        title='Title with <script>alert("title")</script> in it',
        body=HOSTILE,
    )
    reply = answer(other, question, HOSTILE)
    comment(
        other, question, 'javascript:alert(4) <script>alert("c")</script>', on=reply
    )
    sign_in(client, member)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert dangerous(page) == []
    assert '<a href="https://example.org" rel="nofollow ugc noopener">ok</a>' in page
    assert "&lt;script&gt;" in page


def test_hostile_tags_titles_and_previews_are_escaped(client, member):
    sign_in(client, member)
    response = client.post(
        "/questions/ask",
        data={
            "title": "<b>bold</b> title that is long enough",
            "body": HOSTILE,
            "tags": '"><script>alert(1)</script>',
            "preview": "Preview",
        },
    )
    page = response.get_data(as_text=True)
    assert dangerous(page) == []
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_crafted_ids_of_missing_posts_are_not_found(client, member):
    sign_in(client, member)
    assert client.get("/questions/999").status_code == 404
    assert client.post("/answers/999/vote", data={"value": "up"}).status_code == 404
    assert client.post("/answers/999/accept").status_code == 404
    assert (
        client.post("/questions/999/comments", data={"body": "hi"}).status_code == 404
    )
    assert client.get("/answers/999/revisions").status_code == 404


def test_the_detector_itself_spots_dangerous_markup():
    assert dangerous('<a href=" JavaScript:alert(1)">x</a>') == [
        "a href= JavaScript:alert(1)"
    ]
    assert dangerous("<p onclick=x>hi</p><script></script>") == [
        "p onclick=x",
        "script",
    ]
