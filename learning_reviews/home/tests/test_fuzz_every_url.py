"""Hostile input into every URL of the service (issue 10, "input never breaks a page").

The URLs come from the same URLconf walk as `test_url_matrix`, with the same records, so a URL
added by anyone is fuzzed without a line here. Each URL is opened by the first of the record's
own people who may use it (so forms are processed, not turned away with a 404), and then:

- a GET gets random and hostile values in the query-string parameters the views read, and in a
  few they do not;
- a form (found by parsing the pages' `<form>`s, hidden fields such as the version kept) is
  posted with hostile values in each field: control characters, NUL, huge, negative and
  non-ASCII numbers, other scripts, right-to-left marks, 1 MB text, markup, lone surrogates.

Never a 500; and markup typed into a form never comes back unescaped, in the page that
answers or in any page or document of the records once it is stored.

Hypothesis is bounded (few examples per URL, derandomised, no example database) so that the
module stays well inside a minute on SQLite, and it runs on PostgreSQL too, which refuses NUL in
text: the app must strip it before it gets there.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote_plus, urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from learning_reviews.accounts.models import Team, User
from learning_reviews.home.demo_reviews import take_review_to
from learning_reviews.home.tests.test_url_matrix import MATRIX, ROUTES, TRIAGE, _build, _url
from learning_reviews.improvement_group.testing import referral_at
from learning_reviews.referrals.models import Status
from learning_reviews.referrals.tests.built_once import built_once
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.tests.report_helpers import cast_of
from learning_reviews.triage.tests.test_result_and_actions import WORKED_CASE, finished

# Pages that cannot be fuzzed meaningfully, and why.
SKIP = {
    "logout": "signing out ends the session the rest of the test needs; it reads no input",
}

SCRIPT = "<script>alert(1)</script>"
ONERROR = '"><img src=x onerror=alert(1)>'
PAYLOADS = (SCRIPT, "<img src=x onerror=alert(1)>")
MEGABYTE = "Ab " * 350_000

HOSTILE = [
    "",
    " ",
    "\x00",
    "before\x00after",
    "line\x0bbreak\x0cpage\x1f\x7f\x85",
    "\u2028\u2029",
    "9" * 20,
    "-" + "9" * 20,
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "1e309",
    "NaN",
    "1.5",
    "٣",
    "²",
    "１",
    "１２",
    "߃",
    "\u202egnp.exe",
    "مراجعة التعلم",
    "学习回顾",
    "👩‍👧‍👦",
    SCRIPT,
    ONERROR,
    "\ud800",
    '{"a": [1, {"b": null}]}',
    "[]",
    "../../../../etc/passwd",
    "%00",
    "'; DROP TABLE referrals_referral; --",
]

hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers().map(str),
    st.text(st.characters(categories=["Nd", "No", "Cc", "Cf", "Lo", "So", "Cs"]), max_size=12),
)

# What the views read from the query string, and a few keys no view reads.
QUERY_KEYS = [
    "type",
    "meeting",
    "since_0",
    "since_1",
    "since_2",
    "until_0",
    "until_1",
    "until_2",
    "q",
    "page",
    "team",
    "year",
    "status",
    "theme",
    "tag",
    "kind",
    "sort",
    "next",
    "version",
    "step",
    "part",
    "item",
    "edit",
    "x",
]

# A few examples per URL in `make test`; LR_FUZZ_EXAMPLES=50 for a longer hunt.
EXAMPLES = int(os.environ.get("LR_FUZZ_EXAMPLES", "4"))
BOUNDED = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


class _Forms(HTMLParser):
    """The forms of a page: their action, method and fields with the values as rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self.links: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"].split("#")[0])
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get")})
            self.forms[-1]["fields"] = {}
            return
        if not self.forms or not a.get("name"):
            if tag == "option" and self._select and self.forms:
                self._fields().setdefault(self._select, []).append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input" and a.get("type") == "file":
            return
        if tag == "select":
            self._select = name
            self._fields().setdefault(name, [])
        elif tag in ("input", "textarea", "button"):
            self._fields().setdefault(name, []).append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None

    def _fields(self) -> dict[str, list[str]]:
        fields = self.forms[-1]["fields"]
        assert isinstance(fields, dict)
        return fields


@dataclass(repr=False)
class Target:
    url: str
    user: User | None = None  # who may use it; None: nobody found (the URL's tests skip)
    gettable: bool = False
    public: bool = False  # answers someone signed out: fuzzed signed out
    document: bool = False  # a PDF, Word file or spreadsheet, not a page
    fields: dict[str, list[str]] = field(default_factory=dict)  # the form that posts here


@dataclass(frozen=True, repr=False)
class Walk:
    targets: dict[str, Target]
    users: list[User]
    media: Path  # where the built records' files are


def _candidates(built) -> list[User]:
    org = built.worker.organisation
    order = ["aileen", "morag", "david", "catriona", "iain", "megan", "alex", "sam"]
    users = {u.username: u for u in User.objects.filter(organisation=org)}
    return [users[name] for name in order if name in users] + [
        u for name, u in sorted(users.items()) if name not in order
    ]


def _walk() -> Walk:
    """Each URL with the record's real ids and the first person who may open it; then every
    link and form of the pages opened is followed, so a URL of a record the matrix does not
    name (a conversation, a finding) is found with its real ids."""
    built = _build()
    # A triage that has its result, so that its result and route pages have something to show.
    built.records[TRIAGE] = finished(built.worker, **WORKED_CASE).pk
    users = _candidates(built)
    targets: dict[str, Target] = {}
    for name, route in ROUTES:
        entry = MATRIX.get(name)
        pk = built.records.get(entry.door) if entry else None
        targets[name] = Target(url=_url(route, name, pk))
    client = Client(raise_request_exception=False)
    pages: list[tuple[str, User]] = []
    for name, target in targets.items():
        if name in SKIP or "GET" not in MATRIX.get(name, MATRIX["login"]).methods:
            continue
        # A public page (signing in, resetting a password) is fuzzed signed out.
        for user in [None, *users]:
            if _open(client, target, target.url, user, pages):
                target.public = user is None
                break
    # Each person's own lists link to what is theirs (their conversation, their actions).
    for name, target in targets.items():
        if target.gettable and not target.document and "<" not in dict(ROUTES)[name]:
            pages.extend((target.url, user) for user in users if user != target.user)
    # Records at the other steps of their workflows, whose pages have the other forms.
    for url in _more_records({u.username: u for u in users}):
        for user in users:
            if _open(client, Target(url), url, user, pages):
                break
    opened = {url for url, _user in pages}
    followed: dict[str, int] = {}  # how many more pages of each name were opened, for links
    while pages:
        url, user = pages.pop(0)
        parser = _Forms()
        _sign_in(client, user)
        parser.feed(client.get(url).content.decode())
        for link in parser.links:
            name = _name(link)
            if not name or link in opened or name in SKIP:
                continue
            if not targets[name].gettable:
                opened.add(link)
                for someone in [user, *users]:
                    if _open(client, targets[name], link, someone, pages):
                        break
            elif followed.get(name, 0) < FOLLOWED_PER_NAME:
                followed[name] = followed.get(name, 0) + 1
                opened.add(link)
                _open(client, Target(link), link, user, pages)
        for form in parser.forms:
            action = urlsplit(str(form["action"])).path or url
            name = _name(action)
            fields = form["fields"]
            assert isinstance(fields, dict)
            if name and str(form["method"]).lower() == "post" and not targets[name].fields:
                target = targets[name]
                target.url, target.user, target.public = action, user, user is None
                target.fields = {k: list(v) for k, v in fields.items()}
    return Walk(targets=targets, users=users, media=Path(settings.MEDIA_ROOT))


FOLLOWED_PER_NAME = 3


def _more_records(users: dict[str, User]) -> list[str]:
    """Referrals at the steps before the improvement group, and reviews in the lead reviewer's
    later steps: the detail page of each, for the walk to start from."""
    people = SimpleNamespace(
        worker=users["megan"],
        line_manager=users["iain"],
        service_manager=users["catriona"],
        cfcig_member=users["david"],
        cfcig_chair=users["morag"],
        lead_reviewer=users["aileen"],
        other_worker=users["jenna"],
    )
    cast = {
        "worker": people.worker,
        "line_manager": people.line_manager,
        "service_manager": people.service_manager,
        "team": Team.objects.get(organisation=people.worker.organisation, name__contains="Central"),
        "group_member": people.cfcig_member,
        "group_chair": people.cfcig_chair,
        "lead_reviewer": people.lead_reviewer,
    }
    urls = []
    for status in (
        Status.DRAFT,
        Status.DISCUSSED,
        Status.SIGNED_BY_WORKER,
        Status.WITH_SERVICE_MANAGER,
        Status.NOT_PROCEEDING,
    ):
        urls.append(reverse("referrals:detail", args=[referral_at(status, **cast).pk]))
    for stage in (
        Review.Status.CONVERSATIONS,
        Review.Status.ACCURACY_CHECK,
        Review.Status.DRAFTING,
    ):
        review = Review.objects.get(referral=referral_at(Status.REVIEW_COMMISSIONED, **cast))
        review = take_review_to(review, stage, cast_of(people))
        urls.append(reverse("reviews:detail", args=[review.pk]))
    return urls


def _name(path: str) -> str | None:
    if not path.startswith("/"):
        return None
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def _open(client: Client, target: Target, url: str, user: User | None, pages: list) -> bool:
    _sign_in(client, user)
    response = client.get(url)
    assert response.status_code != 500, url
    if response.status_code != 200:
        return False
    target.url, target.user, target.gettable = url, user, True
    if response.get("Content-Type", "").startswith("text/html"):
        pages.append((url, user))
    else:
        target.document = True
    return True


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Walk]:
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield from built_once(django_db_blocker, _walk)


@pytest.fixture(autouse=True)
def _built_media(_private_media, settings, walk) -> None:
    settings.MEDIA_ROOT = walk.media


def _body(values: list[tuple[str, str]]) -> str:
    # Encoded by hand so that a lone surrogate arrives as the bytes a browser could send.
    return urlencode(
        [(k, v.encode("utf-8", "surrogatepass")) for k, v in values], quote_via=quote_plus
    )


def _assert_safe(response, what: str) -> None:
    assert response.status_code != 500, what
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        html = response.content.decode()
        for payload in PAYLOADS:
            assert payload not in html, f"{what}: {payload} unescaped"


def _sign_in(client: Client, user: User | None) -> None:
    if user is None:
        client.logout()
    else:
        client.force_login(user)


def _client(user: User | None) -> Client:
    client = Client(raise_request_exception=False)
    _sign_in(client, user)
    return client


def _who(walk: Walk, name: str) -> Target:
    if name in SKIP:
        pytest.skip(SKIP[name])
    target = walk.targets[name]
    if not target.gettable and "GET" in MATRIX.get(name, MATRIX["login"]).methods:
        pytest.skip("no one of the built records' people may open it")
    return target


NAMES = sorted({name for name, _route in ROUTES})
GET_NAMES = [n for n in NAMES if "GET" in MATRIX.get(n, MATRIX["login"]).methods]
POST_NAMES = [n for n in NAMES if "POST" in MATRIX.get(n, MATRIX["login"]).methods]


QUERIES = st.lists(st.tuples(st.sampled_from(QUERY_KEYS), hostile), max_size=6)


@pytest.mark.parametrize("name", GET_NAMES)
def test_hostile_query_strings_never_break_a_page(db, walk, name):
    target = _who(walk, name)
    client = _client(target.user)
    # A document is made afresh for each request: one random query as well as the fixed ones.
    bounded = hypothesis_settings(BOUNDED, max_examples=1 if target.document else EXAMPLES)

    @bounded
    @given(query=QUERIES)
    @example(query=[("since_0", "1"), ("since_1", "1"), ("since_2", "9" * 20)])
    @example(query=[(key, "٣") for key in QUERY_KEYS])
    @example(query=[(key, "\x00") for key in QUERY_KEYS])
    def check(query: list[tuple[str, str]]) -> None:
        response = client.get(f"{target.url}?{_body(query)}")
        _assert_safe(response, f"GET {target.url} {query!r}")

    check()


def _filled(
    fields: dict[str, list[str]], hostile_values: dict[str, str | None]
) -> list[tuple[str, str]]:
    """The form as rendered, with each field either kept (None) or replaced by a hostile
    value."""
    values: list[tuple[str, str]] = []
    for key, rendered in fields.items():
        chosen = hostile_values.get(key)
        if chosen is None:
            values.extend((key, v) for v in rendered[:1])
        else:
            values.append((key, chosen))
    return values


@pytest.mark.parametrize("name", POST_NAMES)
@BOUNDED
@given(data=st.data())
def test_hostile_form_values_never_break_a_page(db, walk, name, data):
    target = _who(walk, name)
    keys = sorted(target.fields) or ["version", "confirm", "action", "text"]
    chosen = data.draw(st.fixed_dictionaries({k: st.one_of(st.none(), hostile) for k in keys}))
    client = _client(target.user if target.user or target.public else walk.users[0])
    fields = target.fields or {k: [""] for k in keys}
    response = client.post(
        target.url,
        _body(_filled(fields, chosen)),
        content_type="application/x-www-form-urlencoded",
    )
    _assert_safe(response, f"POST {target.url} {chosen!r}")
    if response.status_code == 302:
        location = urlsplit(response["Location"]).path
        try:
            resolve(location)
        except Resolver404:
            return
        _assert_safe(client.get(location), f"GET {location} after POST {target.url}")


def _hostile_text(key: str, rendered: list[str]) -> str:
    """Markup and control characters in every free-text field; choices and versions kept."""
    if key in ("csrfmiddlewaretoken", "version") or key.endswith("-version"):
        return rendered[0] if rendered else ""
    if len(rendered) == 1 and rendered[0] == "":
        return f"{SCRIPT} {ONERROR}\x0b\x00 ٣ 学习 \u202e"
    return rendered[0] if rendered else ""


def test_stored_markup_never_runs_in_any_page_or_document(db, walk):
    """Every form of every record posted once with markup in each free-text field, then every
    page and document of the records opened: nothing fails, nothing comes back unescaped."""
    for name in POST_NAMES:
        target = walk.targets[name]
        if name in SKIP or not (target.user or target.public) or not target.fields:
            continue
        values = [(k, _hostile_text(k, v)) for k, v in target.fields.items()]
        response = _client(target.user).post(
            target.url, _body(values), content_type="application/x-www-form-urlencoded"
        )
        _assert_safe(response, f"POST {target.url}")
    for name in GET_NAMES:
        target = walk.targets[name]
        if name in SKIP or not target.gettable:
            continue
        response = _client(target.user).get(target.url)
        _assert_safe(response, f"GET {target.url} after markup was stored")


def test_a_megabyte_of_text_is_an_answer_not_a_500(db, walk):
    for name in POST_NAMES:
        target = walk.targets[name]
        if name in SKIP or not (target.user or target.public) or not target.fields:
            continue
        free_text = [k for k, v in target.fields.items() if v == [""]][:1]
        values = [(k, MEGABYTE if k in free_text else v[0]) for k, v in target.fields.items() if v]
        response = _client(target.user).post(
            target.url, _body(values), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code != 500, f"POST {target.url} with 1 MB in {free_text}"
