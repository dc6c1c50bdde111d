"""The management area's front page, and the way to it."""

from django.urls import reverse


def test_the_home_page_links_to_people_teams_and_settings(client, people):
    client.force_login(people.admin)
    page = client.get(reverse("manage:home")).content.decode()
    assert page.count("<h1") == 1 and "<title>Manage Fictional Council" in page
    for name in ("manage:user_list", "manage:team_list", "manage:settings"):
        assert f'href="{reverse(name)}"' in page


def test_only_administrators_see_manage_in_the_menu(client, people):
    client.force_login(people.admin)
    assert f'href="{reverse("manage:home")}"' in client.get(reverse("home")).content.decode()
    client.force_login(people.worker)
    assert f'href="{reverse("manage:home")}"' not in client.get(reverse("home")).content.decode()
