"""The backup drill, run as an office runs it: a site (a fresh database of the engine under test, the
demo province, uploaded files) is backed up with `manage.py backup`, restored with `manage.py restore`
into a fresh database and an empty folder, and every table's rows and checksum and every file come
back as they were; a target already in use is refused; an archive that does not match names the
table; a file that is not a backup is refused. SQLite always; PostgreSQL (pg_dump/pg_restore) in the
PostgreSQL run."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.db import connection

from quantriet.core import backup

ROOT = Path(__file__).resolve().parents[3]


def _manage(env, *args):
    return subprocess.run(  # noqa: S603 — our own manage.py, with arguments the test chose
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        timeout=600,
    )  # fmt: skip


class Databases:
    """Fresh databases of the engine of this run: SQLite files, or PostgreSQL databases dropped at the end."""

    def __init__(self, tmp_path):
        self.tmp_path, self.made = tmp_path, []
        self.postgres = connection.vendor == "postgresql"

    def new(self) -> str:
        name = f"drill_{uuid.uuid4().hex[:10]}"
        if not self.postgres:
            return f"sqlite:///{self.tmp_path / name}.sqlite3"
        import psycopg

        settings = connection.settings_dict
        with backup._pg_connect({**settings, "NAME": "postgres"}) as conn:
            conn.autocommit = True
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
        self.made.append(name)
        user, host, port = settings.get("USER") or "postgres", settings.get("HOST") or "127.0.0.1", settings.get("PORT")
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        return f"postgres://{user}{password}@{host}:{port or 5432}/{name}"

    def drop(self):
        if not self.made:
            return
        import psycopg

        with backup._pg_connect({**connection.settings_dict, "NAME": "postgres"}) as conn:
            conn.autocommit = True
            drop = psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            for name in self.made:
                conn.execute(drop.format(psycopg.sql.Identifier(name)))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site with the demo province and two uploaded files, and its first backup."""
    tmp_path = tmp_path_factory.mktemp("drill")
    databases = Databases(tmp_path)
    media = tmp_path / "media"
    (media / "tai-lieu").mkdir(parents=True)
    (media / "tai-lieu" / "nghi-quyet.pdf").write_bytes(b"%PDF-1.4 nghi quyet " * 50)
    (media / "bien-ban.docx").write_bytes(os.urandom(2048))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env.update(DJANGO_DEBUG="1", DATABASE_URL=databases.new(), MEDIA_ROOT=str(media), BACKUP_DIR=str(tmp_path / "bk"))
    for args in (("migrate", "-v0"), ("seed_demo", "--scale", "0.01", "--quiet", "--no-essays")):
        done = _manage(env, *args)
        assert done.returncode == 0, done.stderr[-2000:]
    done = _manage(env, "backup")
    assert done.returncode == 0 and "Đã sao lưu" in done.stdout, done.stderr[-2000:]
    [archive] = (tmp_path / "bk").glob("quantriet-*.tar")
    yield {"env": env, "archive": archive, "media": media, "databases": databases, "tmp": tmp_path}
    databases.drop()


def _manifest(archive) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def test_the_backup_holds_every_table_and_file_and_only_its_owner_reads_it(site):
    manifest = _manifest(site["archive"])
    assert oct(site["archive"].stat().st_mode & 0o777) == "0o600"
    assert manifest["tables"]["org_member"]["rows"] > 100 and manifest["tables"]["org_organization"]["rows"] > 10
    assert manifest["tables"]["django_migrations"]["rows"] > 0
    assert set(manifest["media"]) == {"tai-lieu/nghi-quyet.pdf", "bien-ban.docx"}


def test_a_restore_into_a_fresh_database_finds_every_table_and_file_as_it_was(site):
    target, media = site["databases"].new(), site["tmp"] / "media-restored"
    done = _manage(site["env"], "restore", str(site["archive"]), "--database-url", target, "--media-root", str(media))
    assert done.returncode == 0 and "khớp từng bảng, từng tệp" in done.stdout, done.stderr[-2000:]
    assert (media / "bien-ban.docx").read_bytes() == (site["media"] / "bien-ban.docx").read_bytes()
    if target.startswith("sqlite:///"):  # counted again here, apart from the command's own check
        with sqlite3.connect(target.removeprefix("sqlite:///")) as restored:
            members = restored.execute("SELECT count(*) FROM org_member").fetchone()[0]
        assert members == _manifest(site["archive"])["tables"]["org_member"]["rows"]
    # Restoring again onto what was just restored is refused: nothing is overwritten.
    again = _manage(site["env"], "restore", str(site["archive"]), "--database-url", target, "--media-root",
                    str(site["tmp"] / "media-other"))  # fmt: skip
    assert again.returncode != 0 and "đã có" in again.stderr


def test_a_restore_that_does_not_match_its_backup_names_the_table(site):
    manifest = _manifest(site["archive"])
    manifest["tables"]["org_member"]["rows"] += 1  # as if a row had been lost on the way
    tampered = site["tmp"] / "tampered.tar"
    with tarfile.open(site["archive"]) as source, tarfile.open(tampered, "w") as tar:
        for member in source.getmembers():
            if member.name == "manifest.json":
                data = json.dumps(manifest).encode()
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))
            else:
                tar.addfile(member, source.extractfile(member) if member.isfile() else None)
    done = _manage(site["env"], "restore", str(tampered), "--database-url", site["databases"].new(), "--media-root",
                   str(site["tmp"] / "media-tampered"))  # fmt: skip
    assert done.returncode != 0 and "org_member:" in done.stderr and "dòng khi sao lưu" in done.stderr


def test_a_file_that_is_not_a_backup_and_a_media_folder_in_use_are_refused(site):
    stranger = site["tmp"] / "la.tar"
    with tarfile.open(stranger, "w") as tar:
        tar.add(site["media"] / "bien-ban.docx", arcname="bien-ban.docx")
    done = _manage(site["env"], "restore", str(stranger), "--database-url", site["databases"].new(), "--media-root",
                   str(site["tmp"] / "m1"))  # fmt: skip
    assert done.returncode != 0 and "không phải bản sao lưu" in done.stderr
    done = _manage(site["env"], "restore", str(site["archive"]), "--database-url", site["databases"].new(),
                   "--media-root", str(site["media"]))  # fmt: skip
    assert done.returncode != 0 and "không trống" in done.stderr


def test_a_checksum_does_not_depend_on_row_order_but_on_every_value():
    one, two = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    for db, rows in ((one, [(1, "An"), (2, "Bình")]), (two, [(2, "Bình"), (1, "An")])):
        db.execute("CREATE TABLE t (id integer, name text)")
        db.executemany("INSERT INTO t VALUES (?, ?)", rows)
    assert backup.fingerprints(one.cursor(), "sqlite") == backup.fingerprints(two.cursor(), "sqlite")
    two.execute("UPDATE t SET name = 'Binh' WHERE id = 2")
    assert backup.compare(backup.fingerprints(one.cursor(), "sqlite"), backup.fingerprints(two.cursor(), "sqlite")) == [
        "t: cùng 2 dòng nhưng nội dung khác"
    ]
