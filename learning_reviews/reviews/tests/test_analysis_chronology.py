"""The review's chronology starts from the referral's (copied once, marked), is extended and
pruned by the lead reviewer, and is shown as a timeline with key practice episodes marked."""

import datetime

import pytest
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.referrals.models import ChronologyEntry, Status
from learning_reviews.reviews import services_analysis as services
from learning_reviews.reviews.models import Review, ReviewChronologyEntry
from learning_reviews.reviews.tests.analysis_helpers import entry, episode, set_status


@pytest.fixture
def review(make_referral) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    return Review.objects.get()


def _url(review: Review) -> str:
    return reverse("reviews:review_chronology", args=[review.pk])


def test_copying_the_referrals_chronology_marks_each_entry_and_is_idempotent(
    client, people, review
):
    referral_events = list(ChronologyEntry.objects.filter(referral=review.referral))
    assert referral_events  # the fixture's referral has a chronology to copy
    client.force_login(people.lead_reviewer)
    response = client.post(_url(review), {"action": "copy"}, follow=True)
    assert f"Copied {len(referral_events)} events from the referral." in response.text
    copied = list(review.chronology.all())
    assert [(e.date, e.event, e.source) for e in copied] == [
        (e.date, e.event, e.source) for e in referral_events
    ]
    assert all(e.from_referral for e in copied)
    assert response.text.count("From the referral") == len(referral_events)

    again = client.post(_url(review), {"action": "copy"}, follow=True)
    assert "The referral&#x27;s chronology is already here." in again.text
    assert review.chronology.count() == len(referral_events)
    assert (
        AuditEvent.objects.filter(action="review.chronology_copy", record_id=str(review.pk)).count()
        == 1
    )


def test_copying_again_restores_a_removed_copied_entry_only(people, review):
    services.chronology_copy_from_referral(review=review, by=people.lead_reviewer)
    first = review.chronology.first()
    services.chronology_remove(review=review, by=people.lead_reviewer, entry_id=first.pk)
    assert services.chronology_copy_from_referral(review=review, by=people.lead_reviewer) == 1
    assert review.chronology.count() == ChronologyEntry.objects.count()


def test_the_lead_reviewer_adds_an_event_and_it_appears_in_date_order(client, people, review):
    entry(review, datetime.date(2024, 10, 3), "Carers B end placement")
    client.force_login(people.lead_reviewer)
    response = client.post(
        _url(review),
        {
            "action": "add",
            "date_0": "20",
            "date_1": "6",
            "date_2": "2024",
            "event": "CAMHS referral made; 26-week wait",
            "source": "Health record",
        },
        follow=True,
    )
    assert "Event added to the chronology." in response.text
    events = [e.event for e in review.chronology.all()]
    assert events == ["CAMHS referral made; 26-week wait", "Carers B end placement"]
    added = review.chronology.get(date=datetime.date(2024, 6, 20))
    assert not added.from_referral
    assert added.created_by == people.lead_reviewer
    review.refresh_from_db()
    assert review.version == 2
    assert AuditEvent.objects.filter(action="review.chronology_add").count() == 1


@pytest.mark.parametrize(
    ("day", "month", "year", "event", "message"),
    [
        ("1", "1", "2099", "Something later", "Date of the event must be today or in the past"),
        ("31", "2", "2024", "Something", "Date of the event must be a real date"),
        ("", "", "", "Something", "Enter date of the event"),
        ("3", "10", "2024", "", "Enter event"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_typed_is_lost(
    client, people, review, day, month, year, event, message
):
    client.force_login(people.lead_reviewer)
    response = client.post(
        _url(review),
        {
            "action": "add",
            "date_0": day,
            "date_1": month,
            "date_2": year,
            "event": event,
            "source": "LAC review minute",
        },
    )
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem" in response.text
    assert 'value="LAC review minute"' in response.text
    assert not ReviewChronologyEntry.objects.exists()


def test_removing_an_event_that_has_gone_already_is_explained_not_a_500(client, people, review):
    gone = entry(review, datetime.date(2024, 4, 9), "Emergency move")
    gone_pk = gone.pk
    gone.delete()
    client.force_login(people.lead_reviewer)
    response = client.post(_url(review), {"remove": str(gone_pk)}, follow=True)
    assert response.status_code == 200
    assert "already been removed" in response.text
    assert client.post(_url(review), {"remove": "not-a-number"}).status_code == 404


def test_removing_leaves_the_referrals_own_chronology_alone(people, review):
    services.chronology_copy_from_referral(review=review, by=people.lead_reviewer)
    for e in list(review.chronology.all()):
        services.chronology_remove(review=review, by=people.lead_reviewer, entry_id=e.pk)
    assert not review.chronology.exists()
    assert ChronologyEntry.objects.filter(referral=review.referral).exists()


def test_only_a_lead_reviewer_of_an_open_review_may_change_the_chronology(people, review):
    with pytest.raises(NotAllowed):
        services.chronology_copy_from_referral(review=review, by=people.cfcig_chair)
    set_status(review, Review.Status.READY)
    with pytest.raises(WrongState):
        services.chronology_add(
            review=review,
            by=people.lead_reviewer,
            date=datetime.date(2024, 4, 9),
            event="Emergency move",
        )
    assert not review.chronology.exists()


def test_the_timeline_marks_each_event_with_the_episodes_it_falls_within(client, people, review):
    entry(review, datetime.date(2024, 1, 15), "Accommodated with carers A")
    entry(review, datetime.date(2024, 4, 2), "Carers A give notice")
    entry(review, datetime.date(2024, 4, 9), "Emergency move to carers B")
    entry(review, datetime.date(2024, 6, 20), "CAMHS referral made")
    episode(
        review,
        "Carers A give notice",
        start=datetime.date(2024, 3, 1),
        end=datetime.date(2024, 4, 9),
    )
    episode(review, "Emergency move to carers B", start=datetime.date(2024, 4, 9))
    client.force_login(people.cfcig_member)
    text = client.get(reverse("reviews:review_timeline", args=[review.pk])).text
    order = [
        "Accommodated with carers A</p>",
        "Episode 1 begins: Carers A give notice",
        "Carers A give notice</p>",
        "During episode 1, Carers A give notice (problematic)</p>",
        "Episode 2 begins: Emergency move to carers B",
        "Emergency move to carers B</p>",
        "During episode 1, Carers A give notice (problematic); "
        "episode 2, Emergency move to carers B (problematic)</p>",
        "CAMHS referral made</p>",
    ]
    positions = [text.index(words) for words in order]
    assert positions == sorted(positions)
    # The first and last events fall within no episode.
    camhs = text[text.index("CAMHS referral made</p>") :]
    assert "During" not in camhs.split("</li>")[0]
    assert "1 March 2024 to 9 April 2024" in text


def test_the_timeline_of_an_empty_chronology_says_so(client, people, review):
    client.force_login(people.lead_reviewer)
    text = client.get(reverse("reviews:review_timeline", args=[review.pk])).text
    assert "The chronology is empty." in text
    assert "No key practice episodes yet." in text
