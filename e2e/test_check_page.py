"""`check_page` itself: each of its checks fails when its problem is there."""

import pytest

from e2e.conftest import check_page


@pytest.fixture
def sign_in_page(page):
    page.goto("/sign-in/")
    check_page(page)
    return page


@pytest.mark.e2e
def test_check_page_fails_on_an_axe_violation(sign_in_page):
    sign_in_page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"data:,\">')"
    )
    with pytest.raises(AssertionError, match=r"image-alt"):
        check_page(sign_in_page)


@pytest.mark.e2e
def test_check_page_fails_on_an_error_response_from_the_service(sign_in_page):
    with sign_in_page.expect_response("**/assets/no-such-file.css"):
        sign_in_page.evaluate("fetch('/assets/no-such-file.css')")
    with pytest.raises(AssertionError, match=r"404 for GET .*/assets/no-such-file\.css"):
        check_page(sign_in_page)


@pytest.mark.e2e
def test_check_page_fails_on_a_console_error(sign_in_page):
    sign_in_page.evaluate("console.error('something broke')")
    with pytest.raises(AssertionError, match=r"console error: something broke"):
        check_page(sign_in_page)


@pytest.mark.e2e
def test_check_page_fails_when_the_govuk_font_did_not_load(page):
    page.goto("/sign-in/")
    page.set_content(
        "<!DOCTYPE html><html lang='en'><head><title>No styles</title></head>"
        "<body><main><h1>No styles</h1></main></body></html>"
    )
    with pytest.raises(AssertionError, match=r"GDS Transport font did not load"):
        check_page(page)
