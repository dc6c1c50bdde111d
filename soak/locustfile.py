"""The simulated people of `make soak` (soak/run.py starts locust with this file).

Each signs in as one of the fictional demo organisation's people, with the run's password
(SOAK_PASSWORD), and walks that role's pages: My tasks, the referral list and referrals,
reviews, insights, the improvement group's meetings. Workers also write: they start referrals
and save their first section, and all of them save one shared referral at once, each save
carrying the version its page was read at. What was saved is kept in a ledger (SOAK_LEDGER),
which soak/run.py compares with the database afterwards.
"""

import json
import os
import random
import re
from pathlib import Path

import urllib3
from locust import HttpUser, between, events, task
from locust.exception import StopUser

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # our own certificate

PASSWORD = os.environ["SOAK_PASSWORD"]
LINKS = re.compile(r'href="(/(?:referrals|reviews)/\d+/)"')
SAVES_PER_REFERRAL = 5

# What the people were told was saved. `pending`: a save under way when the run stopped, which
# may or may not have reached the database.
LEDGER: dict = {
    "started": {},
    "shared": {},
    "saves": 0,
    "stale": 0,
    "server_errors": 0,
    "error_samples": [],
}
SHARED: dict = {}
PAGE_TIMES: list[float] = []  # every request but signing in, whose Argon2 hash is slow on purpose


@events.request.add_listener
def _count_failures(name, response, exception, response_time, **kwargs):
    if not name.startswith("/sign-in/"):
        PAGE_TIMES.append(response_time)
    status = getattr(response, "status_code", 0)
    if status >= 500 or exception is not None:
        LEDGER["server_errors"] += status >= 500
        if len(LEDGER["error_samples"]) < 10:
            LEDGER["error_samples"].append(f"{name}: {status} {exception or ''}".strip())


@events.quitting.add_listener
def _write_ledger(environment, **kwargs):
    total = environment.stats.total
    LEDGER["figures"] = {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.total_rps,
        "p50": total.get_response_time_percentile(0.5),
        "p95": total.get_response_time_percentile(0.95),
        "p99": total.get_response_time_percentile(0.99),
        "max": total.max_response_time,
    }
    times = sorted(PAGE_TIMES) or [0.0]
    LEDGER["pages"] = {
        "requests": len(PAGE_TIMES),
        "p50": times[len(times) // 2],
        "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
    }
    Path(os.environ["SOAK_LEDGER"]).write_text(json.dumps(LEDGER, indent=2))


def hidden(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    if not match:
        match = re.search(rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', page)
    return match.group(1) if match else ""


def label(path: str) -> str:
    """Group /referrals/12/ and /referrals/40/ in the figures."""
    return re.sub(r"/\d+/", "/[id]/", path)


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""
    pages: tuple[str, ...] = ("/",)

    def on_start(self) -> None:
        self.client.verify = False
        self.links: list[str] = []
        page = self.client.get("/sign-in/")
        answer = self.post(
            "/sign-in/", page.text, {"username": self.username, "password": PASSWORD}
        )
        if answer.status_code != 302:
            raise StopUser()

    def post(self, path: str, page: str, data: dict):
        """Send a form as a browser would: its CSRF token, and the page it was on as Referer."""
        return self.client.post(
            path,
            {"csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"), **data},
            headers={"Referer": f"{self.host}{path}"},
            allow_redirects=False,
            name=label(path) + " [POST]",
        )

    @task(3)
    def my_tasks(self) -> None:
        page = self.client.get("/")
        self.links = LINKS.findall(page.text) or self.links

    @task(3)
    def a_list(self) -> None:
        path = random.choice(self.pages)
        page = self.client.get(path)
        self.links = LINKS.findall(page.text) or self.links

    @task(4)
    def a_record(self) -> None:
        if self.links:
            path = random.choice(self.links)
            self.client.get(path, name=label(path))


class Worker(Person):
    username = "worker"
    weight = 12
    pages = ("/referrals/", "/reviews/", "/pathway/")

    def on_start(self) -> None:
        super().on_start()
        self.mine: str | None = None
        self.saved = 0

    def start_referral(self) -> str | None:
        page = self.client.get("/referrals/start/")
        team = re.search(r'<option value="(\d+)"[^>]*selected', page.text)
        answer = self.post("/referrals/start/", page.text, {"team": team.group(1) if team else ""})
        found = re.search(r"/referrals/(\d+)/", answer.headers.get("Location", ""))
        return found.group(1) if answer.status_code == 302 and found else None

    def first_version(self, pk: str) -> int | None:
        """The version of a referral nobody has saved yet: the baseline of its ledger entry."""
        path = f"/referrals/{pk}/form/about/"
        version = hidden(self.client.get(path, name=label(path)).text, "version")
        return int(version) if version.isdigit() else None

    def save_about(self, pk: str, entry: dict, pause: float = 0) -> bool | None:
        """Save the first section with a new name. True if saved, False if refused as stale,
        None if the page could not be read."""
        path = f"/referrals/{pk}/form/about/"
        page = self.client.get(path, name=label(path))
        version = hidden(page.text, "version")
        if page.status_code != 200 or not version:
            return None
        if pause:
            self.wait_a_little(pause)
        value = f"Soak tester {random.randrange(10**9)}"
        entry["pending"] += 1
        answer = self.post(path, page.text, {"version": version, "person_completing": value})
        entry["pending"] -= 1
        if answer.status_code == 302:
            entry["last"] = value
            LEDGER["saves"] += 1
            return True
        LEDGER["stale"] += 1
        return False

    def wait_a_little(self, seconds: float) -> None:
        import gevent

        gevent.sleep(random.uniform(0, seconds))

    @task(4)
    def write_my_referral(self) -> None:
        if self.mine is None or self.saved >= SAVES_PER_REFERRAL:
            pk = self.start_referral()
            first = self.first_version(pk) if pk else None
            if pk is None or first is None:
                return
            self.mine, self.saved = pk, 0
            LEDGER["started"][pk] = {"first_version": first, "saves": 0, "last": None, "pending": 0}
        entry = LEDGER["started"][self.mine]
        if self.save_about(self.mine, entry):
            entry["saves"] += 1
            self.saved += 1

    @task(2)
    def write_the_shared_referral(self) -> None:
        # The first worker here starts the referral that every worker then saves at once.
        if not SHARED:
            SHARED["pk"] = None
            pk = self.start_referral()
            first = self.first_version(pk) if pk else None
            if pk and first is not None:
                LEDGER["shared"][pk] = {"first_version": first, "accepted": 0, "pending": 0}
                SHARED["pk"] = pk
        pk = SHARED.get("pk")
        if pk:
            entry = LEDGER["shared"][pk]
            if self.save_about(pk, entry, pause=0.5):
                entry["accepted"] += 1


class LineManager(Person):
    username = "linemanager"
    weight = 6
    pages = ("/referrals/", "/reviews/", "/pathway/")


class ServiceManager(Person):
    username = "servicemanager"
    weight = 6
    pages = ("/referrals/", "/insights/", "/insights/themes/")


class GroupChair(Person):
    username = "cfcigchair"
    weight = 4
    pages = ("/referrals/", "/group/meetings/", "/insights/")


class GroupMember(Person):
    username = "cfcigmember"
    weight = 5
    pages = ("/referrals/", "/group/meetings/", "/reviews/")


class LeadReviewer(Person):
    username = "leadreviewer"
    weight = 6
    pages = ("/reviews/", "/referrals/")


class Participant(Person):
    username = "participant"
    weight = 5
    pages = ("/reviews/", "/pathway/")


class Auditor(Person):
    username = "auditor"
    weight = 6
    pages = ("/referrals/", "/reviews/", "/insights/")
