"""`generate` and `follow-up` through the real entry point: JSON shapes, exit codes, the
do-not-contact refusal, a bad domain, no sender profile, and the API key never shown."""

from __future__ import annotations

import json

import pytest

PAGE = """<html><head><title>Harbor Yoga | Classes in Bristol</title>
<meta name="description" content="Small yoga classes in Bristol since 2015."></head>
<body><h1>Harbor Yoga</h1><p>Over 40 classes a week for every level, since 2015.</p></body></html>"""
GENERATE_KEYS = {"domain", "business_name", "created", "message", "research"}
CATEGORIES = {"professional_services", "ecommerce", "real_estate", "saas", "healthcare",
              "home_services", "financial_services", "manufacturing", "nonprofit",
              "creator_economy", "hospitality", "other"}


@pytest.fixture
def profile(monkeypatch):
    monkeypatch.setenv("LEADLETTER_SENDER_NAME", "Sam Reed")
    monkeypatch.setenv("LEADLETTER_SENDER_OFFER", "I help studios fill their class schedules.")
    monkeypatch.setenv("LEADLETTER_SENDER_SIGNATURE", "Sam Reed")


@pytest.fixture
def page(httpserver):
    httpserver.expect_request("/").respond_with_data(PAGE, content_type="text/html")
    return httpserver.url_for("/")


def test_generate_json_shape(run_cli, profile, page, db_path):
    code, out, err = run_cli("--db", db_path, "generate", "harboryoga.example", "--url", page,
                             "--name", "Ana", "--offline", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert set(doc) == GENERATE_KEYS
    assert set(doc["message"]) == {"subject", "body", "angle", "framework", "category"}
    assert set(doc["research"]) == {"ok", "title", "error"}
    assert doc["domain"] == "harboryoga.example" and doc["created"] is True
    assert doc["business_name"] == "Harbor Yoga" and doc["message"]["category"] in CATEGORIES
    assert doc["research"] == {"ok": True, "title": "Harbor Yoga | Classes in Bristol", "error": None}
    assert doc["message"]["body"].startswith(("Hi Ana", "Hello Ana", "Dear Ana", "Hey Ana"))
    again = json.loads(run_cli("--db", db_path, "generate", "harboryoga.example", "--url", page,
                               "--offline", "--json").out)
    assert again["created"] is False
    shown = json.loads(run_cli("--db", db_path, "show", "harboryoga.example", "--json").out)
    assert [m["subject"] for m in shown["messages"]] == [doc["message"]["subject"],
                                                         again["message"]["subject"]]


def test_generate_prints_readably_and_says_offline(run_cli, profile, page, db_path):
    code, out, err = run_cli("--db", db_path, "generate", "harboryoga.example", "--url", page)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Written offline (no API key")
    assert "harboryoga.example · Harbor Yoga · new contact" in lines[1]
    assert any(line.startswith("Subject: ") for line in lines)
    assert out.rstrip().endswith("Sam Reed")


def test_failed_research_still_writes(run_cli, profile, httpserver, db_path):
    httpserver.expect_request("/").respond_with_data("nope", status=404)
    code, out, _ = run_cli("--db", db_path, "generate", "gone.example", "--url",
                           httpserver.url_for("/"), "--offline", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["research"]["ok"] is False and "404" in doc["research"]["error"]
    assert doc["business_name"] == "gone.example"


@pytest.mark.parametrize("domain", ["localhost", "nodot", "http://192.168.1.1/"])
def test_bad_domain_exits_2_with_one_line(run_cli, profile, db_path, domain):
    code, out, err = run_cli("--db", db_path, "generate", domain, "--offline", "--json")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("leadletter: error: ")


def test_do_not_contact_is_refused(run_cli, profile, page, db_path, open_test_services):
    assert run_cli("--db", db_path, "generate", "harboryoga.example", "--url", page,
                   "--offline").code == 0
    open_test_services(db_path).contacts.set_do_not_contact("harboryoga.example", True)
    code, out, err = run_cli("--db", db_path, "generate", "harboryoga.example", "--url", page,
                             "--offline", "--json")
    assert code == 2 and out == "" and "do not contact" in err


def test_no_profile_names_the_keys_and_exits_2(run_cli, db_path, isolated_env):
    code, out, err = run_cli("--db", db_path, "generate", "harboryoga.example", "--offline")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "sender_name and sender_offer" in err and str(isolated_env.config_file) in err


def test_api_key_is_never_shown(run_cli, profile, page, db_path, monkeypatch, isolated_env):
    secret = "sk-ant-test-0123456789"
    monkeypatch.setenv("ANTHROPIC_API_KEY", secret)
    for args in (["generate", "harboryoga.example", "--url", page, "--offline"],
                 ["locate", "--json"], ["generate", "bad domain", "--offline"]):
        result = run_cli("--db", db_path, *args)
        assert secret not in result.out + result.err
    isolated_env.write_config('anthropic_api_key = "sk ant with spaces"\n')
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    code, _, err = run_cli("--db", db_path, "locate")
    assert code == 2 and "anthropic_api_key" in err and "with spaces" not in err


def test_follow_up_json_and_exit_codes(run_cli, profile, page, db_path, open_test_services):
    code, out, _ = run_cli("--db", db_path, "follow-up", "--offline", "--json")
    assert code == 2  # no database yet: nothing to follow up, and the path is not created
    for name in ("one", "two", "three"):
        assert run_cli("--db", db_path, "generate", f"{name}.example", "--url", page,
                       "--offline").code == 0
    for name, at in (("one", "2026-11-10T09:00:00"), ("two", "2026-11-20T09:00:00"),
                     ("three", "2026-11-24T09:00:00")):
        assert run_cli("--db", db_path, "status", f"{name}.example", "sent", "--at", at).code == 0
    code, out, err = run_cli("--db", db_path, "follow-up", "--domain", "one", "--offline", "--json")
    assert (code, json.loads(out)) == (0, {"generated": 1, "skipped": 0, "failed": []})
    code, out, _ = run_cli("--db", db_path, "follow-up", "--offline", "--concurrency", "2")
    assert code == 0 and out.startswith("1 follow-ups written offline")
    code, out, _ = run_cli("--db", db_path, "follow-up", "--offline")
    assert code == 0 and out.startswith("no contacts are due a follow-up")
    shown = json.loads(run_cli("--db", db_path, "show", "two.example", "--json").out)
    assert [m["kind"] for m in shown["messages"]] == ["initial", "follow_up"]
    code, _, err = run_cli("--db", db_path, "follow-up", "--concurrency", "0")
    assert code == 2 and len(err.splitlines()) == 1


def test_follow_up_without_profile_exits_2(run_cli, profile, page, db_path, monkeypatch):
    assert run_cli("--db", db_path, "generate", "one.example", "--url", page, "--offline").code == 0
    monkeypatch.delenv("LEADLETTER_SENDER_OFFER")
    code, out, err = run_cli("--db", db_path, "follow-up", "--offline", "--json")
    assert code == 2 and out == "" and "sender_offer" in err
