"""§3 step 6: the group considers the review's findings. Members record a recommendation on
each finding with the group's response; the chair confirms them, after which they are read
only. The lead reviewer and the oversight roles read; anyone else gets 404."""

from django.urls import reverse

from learning_reviews.outcomes.models import Recommendation, ReviewOutcome
from learning_reviews.outcomes.tests.helpers import presented_review, recommend_all, version
from learning_reviews.reviews.models import Finding


def _add(finding: Finding, review, **values: str) -> dict[str, str]:
    prefix = f"finding-{finding.pk}"
    data = {
        "finding": str(finding.pk),
        f"{prefix}-version": str(version(review)),
        f"{prefix}-text": "Agree a planned route for moves when a placement is ending.",
        f"{prefix}-response": "accepted",
        f"{prefix}-changes": "",
        f"{prefix}-rationale": "",
    }
    data.update({f"{prefix}-{k}": v for k, v in values.items()})
    return data


def test_who_sees_the_findings_and_who_may_record(client, people, make_referral):
    review = presented_review(people, make_referral)
    finding = Finding.objects.filter(review=review).order_by("id").first()
    url = reverse("outcomes:recommendations", args=[review.pk])

    for nobody in (people.outsider, people.other_worker, people.worker, people.auditor):
        client.force_login(nobody)
        assert client.get(url).status_code == 404

    client.force_login(people.lead_reviewer)  # reads, changes nothing here
    page = client.get(url).content.decode()
    assert "Emergency is not the same as same-day" in page
    assert "Human–management system" in page  # the SCIE pattern, as a label
    assert "Conditions of work/work environment" in page  # a contributory factor
    assert "How could the service make room for a planned move" in page
    assert "Record the recommendation" not in page
    response = client.post(url, _add(finding, review), follow=True)
    assert "Only members of the improvement group can record recommendations." in (
        response.content.decode()
    )
    assert not Recommendation.objects.filter(review=review).exists()

    client.force_login(people.lead_reviewer)
    assert "Record the recommendation" not in client.get(url).content.decode()

    client.force_login(people.cfcig_member)
    page = client.get(url).content.decode()
    assert "Record the recommendation" in page
    assert "If accepted with changes: what changed" in page
    assert "Confirm the recommendations" not in page  # only for the chair


def test_a_member_records_a_response_checked_beside_the_field(client, people, make_referral):
    review = presented_review(people, make_referral)
    finding = Finding.objects.filter(review=review).order_by("id").first()
    url = reverse("outcomes:recommendations", args=[review.pk])
    client.force_login(people.cfcig_member)

    typed = "Pilot a 72-hour planned move route with the fostering link worker."
    response = client.post(url, _add(finding, review, text=typed, response="accepted_with_changes"))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_finding-{finding.pk}-changes-error"' in page
    assert "Say what changed in the recommendation" in page
    assert typed in page  # what was typed is kept
    response = client.post(url, _add(finding, review, text=typed, response="not_accepted"))
    assert "Give the rationale for not accepting the recommendation" in response.content.decode()
    assert not Recommendation.objects.exists()

    response = client.post(
        url,
        _add(finding, review, text=typed, response="accepted_with_changes", changes="Two teams."),
        follow=True,
    )
    assert "Recommendation recorded against finding 1." in response.content.decode()
    recorded = Recommendation.objects.get(review=review)
    assert (recorded.text, recorded.changes) == (typed, "Two teams.")

    # A page opened before that change is stale: the user's words come back with the reason.
    stale = _add(finding, review, text="Another recommendation.")
    stale[f"finding-{finding.pk}-version"] = "1"
    page = client.post(url, stale).content.decode()
    assert "Someone else changed this since you opened it" in page
    assert "Another recommendation." in page
    assert Recommendation.objects.filter(review=review).count() == 1


def test_a_member_changes_and_removes_a_recommendation(client, people, make_referral):
    review = presented_review(people, make_referral)
    first, second, *_ = recommend_all(review, people.cfcig_member)
    client.force_login(people.lead_reviewer)  # reads, changes nothing here
    edit = reverse("outcomes:recommendation_edit", args=[first.pk])
    response = client.get(edit, follow=True)
    assert "Only members of the improvement group" in response.content.decode()

    client.force_login(people.cfcig_member)
    page = client.get(edit).content.decode()
    assert "Piloted in two teams first." in page
    response = client.post(
        edit,
        {
            "version": str(version(review)),
            "text": "Agree a planned route for moves.",
            "response": "not_accepted",
            "changes": "",
            "rationale": "",
        },
    )
    assert "Give the rationale for not accepting the recommendation" in response.content.decode()
    response = client.post(
        edit,
        {
            "version": str(version(review)),
            "text": "Agree a planned route for moves.",
            "response": "not_accepted",
            "rationale": "The service has already agreed one this year.",
        },
        follow=True,
    )
    assert "Recommendation changed." in response.content.decode()
    first.refresh_from_db()
    assert (first.response, first.changes) == ("not_accepted", "")

    remove = reverse("outcomes:recommendation_remove", args=[second.pk])
    assert "Remove this recommendation?" in client.get(remove).content.decode()
    response = client.post(remove, {"version": str(version(review))}, follow=True)
    assert "Recommendation removed." in response.content.decode()
    assert not Recommendation.objects.filter(pk=second.pk).exists()


def test_only_the_chair_confirms_and_then_it_is_read_only(client, people, make_referral):
    review = presented_review(people, make_referral)
    recommend_all(review, people.cfcig_member)
    confirm = reverse("outcomes:recommendations_confirm", args=[review.pk])
    url = reverse("outcomes:recommendations", args=[review.pk])

    client.force_login(people.cfcig_member)
    response = client.post(confirm, {"version": str(version(review))}, follow=True)
    assert "Only the chair of the improvement group can confirm" in response.content.decode()

    client.force_login(people.cfcig_chair)
    assert "Confirm the recommendations" in client.get(url).content.decode()
    response = client.post(confirm, {"version": str(version(review) - 1)}, follow=True)
    assert "Someone else changed this since you opened it" in response.content.decode()
    assert ReviewOutcome.objects.get(review=review).status == ReviewOutcome.Status.CONSIDERING

    response = client.post(confirm, {"version": str(version(review))}, follow=True)
    assert "Recommendations confirmed." in response.content.decode()
    assert ReviewOutcome.objects.get(review=review).status == ReviewOutcome.Status.CONFIRMED

    client.force_login(people.cfcig_member)
    page = client.get(url).content.decode()
    assert "confirmed by Morag Lindsay" in page
    assert "Record the recommendation" not in page
    assert (
        reverse("outcomes:recommendation_edit", args=[Recommendation.objects.first().pk])
        not in page
    )
