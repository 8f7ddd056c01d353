"""Every office page in Russian says nothing in English: the page walk a Russian coordinator
would do, with each state of a submission, the department's upload page and the refusals."""

from __future__ import annotations

import re
from contextlib import closing

import httpx
import lxml.html

from tests.flow_steps import run_steps
from tests.intake import samples
from tests.web.office import Office

CONTEST, EDITION = "iac-city-to-live", "2027"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Not interface words: the language switch names English in English; file types, a program
# and currency codes are written so in Russian too.
ALLOWED = {"English", "PDF", "PNG", "JPEG", "DOCX", "XLSX", "Word", "EUR", "USD", "RUB"}


def english_words(html: str) -> set[str]:
    """Latin words a person reads on the page (text, placeholders, labels, titles)."""
    tree = lxml.html.fromstring(html)
    for node in tree.xpath("//script|//style"):
        node.drop_tree()
    parts = [tree.text_content()]
    parts += tree.xpath("//@placeholder|//@aria-label|//@title|//input[@type='submit']/@value")
    words = set()
    for token in " ".join(parts).split():
        if any(mark in token for mark in (".", "@", "/", "_", "-")):
            continue  # a file name, an address, an id: data the page quotes
        words |= set(LATIN_WORD.findall(token))
    return words - ALLOWED


def _pages(office: Office, client: httpx.Client, submission_id: int) -> dict[str, str]:
    base = f"/coordinator/submissions/{submission_id}"
    return {path: client.get(path).text for path in (
        "/coordinator", "/coordinator/contests", base, f"{base}/translations", "/results",
        f"/results/record/{submission_id}", "/results/report", "/no/such/page")}


def test_every_office_page_in_russian_has_no_english(office: Office) -> None:
    client, csrf = office.signed_in("ivanova")
    with closing(client), closing(httpx.Client(base_url=office.base_url)) as stranger:
        seen: dict[str, str] = {"/login": stranger.get("/login").text,
                                "401": stranger.get("/coordinator").text}
        opened = client.post("/coordinator/submissions", data={
            "csrf_token": csrf, "contest": CONTEST, "edition": EDITION})
        submission_id = int(opened.url.path.rsplit("/", 1)[1])
        seen |= {f"draft {k}": v for k, v in _pages(office, client, submission_id).items()}
        run_steps(submission_id)  # the requests go out
        links = office.upload_links(submission_id)
        department = httpx.Client(base_url=office.base_url, follow_redirects=True)
        with closing(department):
            seen["intake page"] = department.get(links["practice-description"]).text
        for item in ("practice-description", "effect-figures"):
            token = links[item].split("token=", 1)[1]
            request_id = links[item].split("/intake/", 1)[1].split("?", 1)[0]
            answer = stranger.post(f"/intake/{request_id}", params={"token": token},
                                   files={"file": (f"{item}.docx", samples.docx_bytes())},
                                   headers={"Accept": "application/json"})
            assert answer.status_code == 201, answer.text
        run_steps(submission_id)
        seen |= {f"in review {k}": v for k, v in _pages(office, client, submission_id).items()}
    found = {page: sorted(words) for page, html in seen.items()
             if (words := english_words(html))}
    assert not found, f"English on Russian pages: {found}"
