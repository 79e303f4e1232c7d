"""Production settings come from the environment: each case imports the settings in a fresh interpreter."""
import json
import os
import subprocess
import sys

from dangjian.core.serving import LOCAL_NAMES, _child_env, allowed_hosts

NAMES = ("ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
         "SECURE_PROXY_SSL_HEADER", "DANGJIAN_IDLE_MINUTES")
SCRIPT = ("import json, django; from django.conf import settings; django.setup(); "
          f"print(json.dumps({{n: getattr(settings, n) for n in {NAMES!r}}}))")


def settings_with(tmp_path, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}
    environ.update(DJANGO_SETTINGS_MODULE="dangjian.settings", DANGJIAN_DATA_DIR=str(tmp_path), **env)
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=environ, capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout) if done.returncode == 0 else done.stderr


def test_defaults_answer_only_local_names_and_plain_http_cookies(tmp_path):
    s = settings_with(tmp_path)
    assert s["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert (s["SESSION_COOKIE_SECURE"], s["CSRF_COOKIE_SECURE"], s["SECURE_HSTS_SECONDS"],
            s["SECURE_PROXY_SSL_HEADER"], s["DANGJIAN_IDLE_MINUTES"]) == (False, False, 0, None, 30)


def test_https_behind_nginx(tmp_path):
    s = settings_with(tmp_path, DANGJIAN_HTTPS="1", DANGJIAN_ALLOWED_HOSTS=" dj.example.gov.cn, 10.0.0.5 ",
                      DANGJIAN_IDLE_MINUTES="15")
    assert s["ALLOWED_HOSTS"] == ["dj.example.gov.cn", "10.0.0.5"]
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["DANGJIAN_IDLE_MINUTES"] == 15


def test_bad_idle_minutes_stop_the_start_with_a_clear_message(tmp_path):
    for value in ("abc", "0"):
        assert "DANGJIAN_IDLE_MINUTES 应为正整数" in settings_with(tmp_path, DANGJIAN_IDLE_MINUTES=value)


def test_serve_answers_its_own_address_and_the_demo_any(monkeypatch):
    monkeypatch.delenv("DANGJIAN_ALLOWED_HOSTS", raising=False)
    assert allowed_hosts("127.0.0.1").split(",") == list(LOCAL_NAMES)
    assert allowed_hosts("192.168.1.20").split(",") == [*LOCAL_NAMES, "192.168.1.20"]
    assert allowed_hosts("::1").split(",") == list(LOCAL_NAMES)
    import socket

    assert socket.gethostname() in allowed_hosts("0.0.0.0").split(",")
    assert allowed_hosts("0.0.0.0", any_host=True) == "*"
    assert _child_env("localhost,a.b")["DANGJIAN_ALLOWED_HOSTS"] == "localhost,a.b"
    monkeypatch.setenv("DANGJIAN_ALLOWED_HOSTS", "dj.example.gov.cn")  # the operator's list wins
    assert _child_env("*")["DANGJIAN_ALLOWED_HOSTS"] == "dj.example.gov.cn"
