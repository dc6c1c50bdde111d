"""§4: how implementation is monitored. Group members say who reports progress to the group,
how often and how; everyone else who sees the plan reads it."""

from django.urls import reverse

from learning_reviews.outcomes.models import ReviewOutcome
from learning_reviews.outcomes.tests.helpers import confirmed_review, version


def test_members_plan_the_monitoring_others_read_it(client, people, make_referral):
    review = confirmed_review(people, make_referral)
    url = reverse("outcomes:monitoring", args=[review.pk])
    data = {
        "version": str(version(review)),
        "reporter": str(people.service_manager.pk),
        "interval": "quarterly",
        "notes": "The action plan comes to the group with the placement-move data each quarter.",
    }
    for nobody in (people.outsider, people.other_worker, people.auditor, people.admin):
        client.force_login(nobody)
        assert client.get(url).status_code == 404

    client.force_login(people.lead_reviewer)  # reads, changes nothing here
    page = client.get(url).content.decode()
    assert "Not decided yet" in page
    assert "<form" not in page.split('class="govuk-footer')[0].split("<main")[1]
    response = client.post(url, data, follow=True)
    assert "Only members of the improvement group can change the action plan." in (
        response.content.decode()
    )
    assert ReviewOutcome.objects.get(review=review).monitoring_interval == ""

    client.force_login(people.cfcig_member)
    page = client.post(url, {**data, "interval": ""}).content.decode()
    assert 'id="id_interval-error"' in page
    assert "Choose how often progress is reported" in page
    assert "placement-move data each quarter" in page  # kept

    page = client.post(url, {**data, "version": str(version(review) - 1)}).content.decode()
    assert "Someone else changed this since you opened it" in page

    response = client.post(url, data, follow=True)
    assert "How implementation is monitored has been saved." in response.content.decode()
    outcome = ReviewOutcome.objects.get(review=review)
    assert (outcome.monitoring_reporter, outcome.monitoring_interval) == (
        people.service_manager,
        "quarterly",
    )

    client.force_login(people.lead_reviewer)
    page = client.get(url).content.decode()
    assert "Catriona Munro" in page
    assert "Every three months" in page
