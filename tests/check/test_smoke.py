"""The served site answers, and the browser reaches it."""


def test_the_2021_page_is_served_and_opens_in_chromium(server, browser):
    page = browser.new_page()
    response = page.goto(server + "working-groups/2021.html")
    assert response.status == 200
    assert page.title().startswith("Working Groups 2021")
    assert page.locator(".dgx-report-card").count() == 3
    page.close()
