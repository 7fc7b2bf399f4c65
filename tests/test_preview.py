"""The preview server holds: only loopback Host names, only known query values, renders
outside the request lock in a bounded queue, and many pollers at once all answered."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.render  # every test here renders

QUERY = "chapter=switzerland&lang=de&brochure=mission&paper=&clinic="


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from .conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("preview"))
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "publish.py"), "--project", str(root), "preview"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
    yield port, root
    process.terminate()
    _, stderr = process.communicate(timeout=10)
    assert "Traceback" not in stderr, stderr


def get(port: int, path: str, host: str | None = None, timeout: float = 60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path, headers={"Host": host or f"127.0.0.1:{port}"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "localhost.evil.example:{port}"]
)
def test_a_foreign_host_name_is_refused(server, host):
    port, _ = server
    status, _ = get(port, "/api/choices", host=host.format(port=port))
    assert status == 421


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_loopback_names_are_answered(server, host):
    port, _ = server
    assert get(port, "/api/choices", host=host.format(port=port))[0] == 200


@pytest.mark.parametrize(
    "query",
    [
        QUERY.replace("paper=", "paper=5000mm"),
        QUERY.replace("paper=", "paper=a4;size:5000mm}"),
        QUERY.replace("chapter=switzerland", "chapter=atlantis"),
        QUERY.replace("lang=de", "lang=tlh"),
        QUERY + "&x=1",
        QUERY + "&paper=a4",
    ],
)
def test_unknown_query_values_are_refused_before_any_render(server, query):
    port, _ = server
    for path in ("/api/state", "/page.png", "/document.pdf"):
        status, body = get(port, f"{path}?{query}")
        assert status == 400, (path, body)


def test_a_page_number_must_be_digits(server):
    port, _ = server
    assert get(port, f"/api/state?{QUERY}")[0] == 200
    for number in ("%C2%B2", "1e9", "-1", "9999"):  # %C2%B2: "²", a digit to str.isdigit
        status, _ = get(port, f"/page.png?{QUERY}&n={number}")
        assert status in (400, 404)
    assert get(port, f"/page.png?{QUERY}&n=1")[0] == 200


def test_200_concurrent_status_requests_all_answer_during_a_render(server):
    """Measured for the report: the slowest of 200 answers while another job renders."""
    port, _ = server
    assert get(port, f"/api/state?{QUERY}")[0] == 200  # rendered once, cached
    other = QUERY.replace("lang=de", "lang=fr").replace("mission", "benefits")

    def rendered():
        status, _ = get(port, f"/api/state?{other}", timeout=120)
        return status, time.monotonic()

    def timed(_):
        start = time.monotonic()
        status, _ = get(port, f"/api/state?{QUERY}", timeout=30)
        return status, time.monotonic() - start, time.monotonic()

    with ThreadPoolExecutor(201) as pool:
        render = pool.submit(rendered)
        time.sleep(0.2)  # the render has begun
        answers = list(pool.map(timed, range(200)))
        render_status, render_done = render.result()
    assert render_status == 200
    assert [status for status, _, _ in answers] == [200] * 200
    slowest = max(seconds for _, seconds, _ in answers)
    print(f"200 concurrent status requests during a render: slowest {slowest:.2f} s")
    # none waited for the render (the request lock is never held while rendering)
    assert max(done for _, _, done in answers) < render_done


def test_renders_wait_in_a_bounded_queue(server):
    port, root = server
    (root / "styles/base.css").write_text((root / "styles/base.css").read_text() + "\n/* */\n")
    time.sleep(0.6)  # a new project version: nothing cached
    queries = [QUERY.replace("lang=de", f"lang={code}") for code in ("de", "fr", "it")]
    queries += [
        q.replace("mission", brochure)
        for q in queries
        for brochure in ("benefits", "what-is-infant-massage")
    ]
    with ThreadPoolExecutor(len(queries)) as pool:
        statuses = list(pool.map(lambda q: get(port, f"/api/state?{q}", timeout=300)[0], queries))
    assert set(statuses) <= {200, 503} and 503 in statuses and 200 in statuses


def test_the_download_takes_the_checked_path(server):
    """The PDF download runs the catalog checks too: a catalog with a bad link gets no PDF."""
    port, root = server
    path = root / "locales/de/LC_MESSAGES/messages.po"
    shipped = path.read_text(encoding="utf-8")
    try:
        path.write_text(
            shipped.replace(
                'msgid "The IAIM mission"\nmsgstr "Das Leitbild der IAIM"',
                'msgid "The IAIM mission"\nmsgstr "Das <a href=\\"java&#115;cript:x\\">Leitbild'
                '</a> der IAIM"',
            ),
            encoding="utf-8",
        )
        time.sleep(0.6)  # past the version cache
        status, body = get(port, f"/document.pdf?{QUERY}")
        assert status == 422 and b"markup" in body and b"messages.po:" in body
    finally:
        path.write_text(shipped, encoding="utf-8")


def test_a_strings_po_line_is_one_click_away_and_only_catalogs_are_shown(server):
    port, root = server
    status, body = get(port, "/po?file=locales/de/LC_MESSAGES/messages.po")
    assert status == 200
    po = (root / "locales/de/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    line = po.splitlines().index('msgid "Cramps"') + 1
    assert f'<span id="L{line}"><a href="#L{line}">{line}</a> msgid &quot;Cramps&quot;' in (
        body.decode()
    )
    assert get(port, "/po?file=locales/messages.pot")[0] == 200
    for query in (
        "",
        "file=../../etc/passwd",
        "file=chapters/usa.toml",
        "file=locales/de/LC_MESSAGES/../../../chapters/usa.toml",
        "file=locales/de/LC_MESSAGES/messages.po&file=locales/messages.pot",
        "file=locales/de/LC_MESSAGES/messages.po&chapter=usa",
    ):
        assert get(port, f"/po?{query}")[0] == 400, query
