"""The container image, the compose pilot and the proxy's configuration (deploy/), read as
files: no container engine runs where the tests run, so what a reviewer would check by eye is
checked here (issue 12, "Done when": non-root, health checks, read-only root filesystem)."""

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def image_services(services: dict) -> dict[str, dict]:
    return {name: s for name, s in services.items() if s.get("image") == "learning-reviews:latest"}


def nginx_upstream_servers() -> list[str]:
    conf = (DEPLOY / "nginx.conf").read_text()
    [upstream] = re.findall(r"upstream\s+\w+\s*\{(.*?)\}", conf, flags=re.S)
    return re.findall(r"^\s*server\s+([\w.-]+):\d+", upstream, flags=re.M)


def test_the_image_runs_as_a_user_without_privileges():
    users = [args for name, args in dockerfile_instructions() if name == "USER"]
    assert users, "the image names a USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    # The user is made in the image, and nothing after the last USER switches back to root.
    assert any(
        name == "RUN" and "useradd" in args and user in args
        for name, args in dockerfile_instructions()
    )


def test_the_image_is_python_311_slim_with_weasyprints_libraries_and_pinned_requirements():
    instructions = dockerfile_instructions()
    [base] = [args for name, args in instructions if name == "FROM"]
    assert base.startswith("python:3.11-slim")
    runs = " ".join(args for name, args in instructions if name == "RUN")
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "fontconfig"):
        assert library in runs
    assert "pip install -r requirements.txt" in runs
    assert "collectstatic --no-input" in runs
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert "==" in line, f"{line} is pinned"


def test_the_image_checks_its_health_on_healthz_and_starts_gunicorn_with_its_config():
    instructions = dockerfile_instructions()
    [check] = [args for name, args in instructions if name == "HEALTHCHECK"]
    assert "deploy/healthcheck.py" in check
    assert "/healthz" in (DEPLOY / "healthcheck.py").read_text()
    [cmd] = [args for name, args in instructions if name == "CMD"]
    assert cmd.startswith('["gunicorn", "--config", "gunicorn.conf.py"')


def test_the_image_writes_caches_to_tmp_and_keeps_files_on_the_media_volume():
    env = " ".join(args for name, args in dockerfile_instructions() if name == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    assert "XDG_CACHE_HOME=/tmp/" in env  # Fontconfig's cache, for WeasyPrint
    assert "HOME=/tmp" in env
    assert "LR_MEDIA_ROOT=/srv/learning-reviews/media" in env
    [volume] = [args for name, args in dockerfile_instructions() if name == "VOLUME"]
    assert "/srv/learning-reviews/media" in volume


def test_every_service_of_the_image_has_a_read_only_root_with_tmpfs_and_no_root_override():
    services = compose()["services"]
    ours = image_services(services)
    assert {"migrate", "web1", "web2", "worker"} <= set(ours)
    for name, service in ours.items():
        assert service.get("read_only") is True, name
        mounts = [entry.split(":")[0] for entry in service["tmpfs"]]
        assert "/tmp" in mounts, name  # noqa: S108
        assert "user" not in service or service["user"] not in {"root", "0"}, name
        assert "privileged" not in service, name
        writable = [v for v in service.get("volumes", []) if not v.endswith(":ro")]
        assert all(v.split(":")[1] == "/srv/learning-reviews/media" for v in writable), name


def test_two_app_servers_serve_behind_the_proxy_which_alone_is_published():
    services = compose()["services"]
    app_servers = [
        name for name, s in image_services(services).items() if "command" not in s
    ]  # the image's own command: gunicorn
    assert sorted(app_servers) == ["web1", "web2"]
    assert sorted(nginx_upstream_servers()) == ["web1", "web2"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert set(proxy["depends_on"]) == {"web1", "web2"}
    published = [name for name, s in services.items() if s.get("ports")]
    assert published == ["proxy"]


def test_the_worker_migrations_and_postgresql_are_there_in_order():
    services = compose()["services"]
    worker = shlex.join(services["worker"]["command"])
    assert worker.startswith("python manage.py db_worker --no-reload")
    migrate = " ".join(services["migrate"]["command"])
    assert "manage.py migrate --no-input" in migrate
    assert "manage.py send_reminders --schedule" in migrate
    assert "manage.py apply_retention --schedule" in migrate
    assert services["migrate"]["restart"] == "no"
    for name in ("web1", "web2", "worker"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    db = services["db"]
    assert db["image"].startswith("postgres:")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert set(compose()["volumes"]) == {"database", "media"}


@pytest.mark.parametrize("name", ["db", "web1", "web2", "worker", "proxy"])
def test_each_long_running_service_has_a_health_check(name):
    check = compose()["services"][name]["healthcheck"]
    assert check.get("disable") is not True
    assert check["test"][0] in {"CMD", "CMD-SHELL"}


def test_the_environment_comes_from_an_example_file_without_secrets():
    services = compose()["services"]
    for name, service in image_services(services).items():
        assert service["env_file"] == "env", name
    values = dict(
        line.split("=", 1)
        for line in (DEPLOY / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    for secret in ("LR_SECRET_KEY", "POSTGRES_PASSWORD", "LR_EMAIL_PASSWORD"):
        assert values[secret] == "", f"{secret} is left for the council to fill in"
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert "deploy/env" in ignored and ".venv" in ignored and ".git" in ignored


def test_the_proxy_sets_the_trusted_headers_limits_uploads_and_hides_the_metrics():
    conf = (DEPLOY / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header X-Request-ID $request_id;" in conf
    assert re.search(r"client_max_body_size\s+11m;", conf)
    assert re.search(r"location \^~ /metrics \{\s*return 404;\s*\}", conf)
    # Balanced braces: a cheap stand-in for `nginx -t`, which needs the upstreams' hosts.
    assert conf.count("{") == conf.count("}")


def test_gunicorn_is_set_for_a_read_only_root_and_the_proxy():
    path = ROOT / "gunicorn.conf.py"
    values: dict = {"__file__": str(path)}
    exec(compile(path.read_text(), str(path), "exec"), values)  # noqa: S102
    assert values["worker_tmp_dir"] == "/dev/shm"  # noqa: S108
    assert values["accesslog"] == "-"
    assert values["forwarded_allow_ips"]
    # gunicorn's own lines and its access line go through the service's JSON log configuration.
    assert values["logconfig_dict"]["formatters"]["json"]
    assert "access_log_format" not in values  # its default names the query string
    assert values["bind"] == ["127.0.0.1:8000"]
    assert values["workers"] >= 2


UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def unit_settings(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_each_systemd_unit_runs_unprivileged_with_only_the_media_folder_writable(path):
    unit = unit_settings(path)
    assert unit["User"] == ["learning-reviews"]
    assert unit["EnvironmentFile"] == ["/etc/learning-reviews/env"]
    for hardening in ("NoNewPrivileges", "PrivateTmp"):
        assert unit[hardening] == ["yes"], hardening
    assert unit["ProtectSystem"] == ["strict"]
    assert unit.get("ReadWritePaths", ["/srv/learning-reviews/media"]) == [
        "/srv/learning-reviews/media"
    ]


def test_the_units_start_the_app_servers_per_port_the_worker_and_the_timed_jobs():
    commands = {path.name: unit_settings(path)["ExecStart"] for path in UNITS}
    [web] = commands["learning-reviews-web@.service"]
    assert "gunicorn --config gunicorn.conf.py --bind 127.0.0.1:%i learning_reviews.wsgi" in web
    [worker] = commands["learning-reviews-worker.service"]
    assert worker.endswith("manage.py db_worker --no-reload --interval 2")
    assert [c.split("manage.py ")[1] for c in commands["learning-reviews-migrate.service"]] == [
        "migrate --no-input",
        "send_reminders --schedule",
        "apply_retention --schedule",
    ]
    for timer, every in (("outbox", "OnUnitActiveSec"), ("prune", "OnCalendar")):
        settings = unit_settings(DEPLOY / "systemd" / f"learning-reviews-{timer}.timer")
        assert settings["Unit"] == [f"learning-reviews-{timer}.service"]
        assert every in settings
