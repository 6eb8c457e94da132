"""Backups that restore (issue 16, item 4): one archive holding the database and the uploaded files,
with a manifest of every table's row count and checksum taken from exactly what was saved, and a
restore that refuses a database or a media folder already in use and then checks every table.

The archive (`quantriet-YYYYmmdd-HHMMSS.tar`, mode 0600) holds:
- `database.sqlite3` (SQLite's online backup API: consistent while the site runs), or
  `database.dump` (`pg_dump --format=custom`, run on a snapshot exported by the connection that
  counts the tables, so the counts and the dump see the same data while the site runs);
- `media/`: the files under MEDIA_ROOT;
- `manifest.json`: format, engine, time, each table's {rows, checksum}, each file's size and sha256.

A table's checksum does not depend on row order: the sum, modulo 2**64, of a hash of each row's
values (datetimes in UTC, so two connections with other time zones agree). It is compared between
a database and its own restored copy, on the same engine.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
SQLITE_NAME, DUMP_NAME, MANIFEST_NAME, MEDIA_DIR = "database.sqlite3", "database.dump", "manifest.json", "media"
_MOD = 2**64


class RestoreRefused(Exception):
    """A restore that would overwrite something, or an archive that is not one of ours (message in Vietnamese)."""


# ---------------------------------------------------------------- fingerprints


def _plain(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def _row_hash(row) -> int:
    digest = hashlib.blake2b(repr(tuple(_plain(v) for v in row)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _tables(cursor, engine: str) -> list[str]:
    if engine == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def fingerprints(cursor, engine: str) -> dict[str, dict]:
    """{table: {"rows", "checksum"}} of every table the DB-API CURSOR sees (ENGINE: "sqlite" or "postgresql")."""
    found = {}
    for table in _tables(cursor, engine):
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — the names come from the catalogue
        rows, total = 0, 0
        while batch := cursor.fetchmany(5000):
            rows += len(batch)
            total = (total + sum(_row_hash(row) for row in batch)) % _MOD
        found[table] = {"rows": rows, "checksum": f"{total:016x}"}
    return found


def compare(expected: dict, found: dict) -> list[str]:
    """The tables whose rows or checksum differ, or that are missing on either side (in words)."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            problems.append(f"{table}: thiếu sau khi khôi phục")
        elif table not in expected:
            problems.append(f"{table}: không có trong bản sao lưu")
        elif expected[table] != found[table]:
            problems.append(f"{table}: {expected[table]['rows']} dòng khi sao lưu, {found[table]['rows']} dòng sau khi "
                            "khôi phục" if expected[table]["rows"] != found[table]["rows"] else
                            f"{table}: cùng {found[table]['rows']} dòng nhưng nội dung khác")  # fmt: skip
    return problems


# ---------------------------------------------------------------- the engines


def engine_of(database: dict) -> str:
    return "sqlite" if database["ENGINE"].endswith("sqlite3") else "postgresql"


def _pg_env(database: dict) -> dict:
    """libpq's environment for DATABASE (settings.DATABASES form): no password on a command line."""
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                          ("NAME", "PGDATABASE")):  # fmt: skip
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _pg_connect(database: dict):
    import psycopg

    return psycopg.connect(
        dbname=database["NAME"], user=database.get("USER") or None, password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None, port=database.get("PORT") or None,
    )  # fmt: skip


def _dump_postgresql(database: dict, target: Path) -> dict:
    """pg_dump of DATABASE into TARGET, and the fingerprints of the very snapshot it dumped."""
    with _pg_connect(database) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={target}"],  # noqa: S607
            env=_pg_env(database), check=True, capture_output=True,
        )  # fmt: skip
        with conn.cursor() as cursor:
            found = fingerprints(cursor, "postgresql")
        conn.rollback()
    return found


def _copy_sqlite(target: Path) -> dict:
    """SQLite's online backup of the site's database into TARGET, and the fingerprints of that copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return fingerprints(copy.cursor(), "sqlite")
    finally:
        copy.close()


# ---------------------------------------------------------------- backup


def _files(root: Path) -> dict[str, dict]:
    found = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            data = path.read_bytes()
            found[path.relative_to(root).as_posix()] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return found


def create_backup(directory: Path, now=None) -> tuple[Path, dict]:
    """The archive of the site's database and MEDIA_ROOT written into DIRECTORY, and its manifest."""
    now = now or timezone.now()
    directory.mkdir(parents=True, exist_ok=True)
    database = connection.settings_dict
    engine = engine_of(database)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=directory) as work:
        work = Path(work)
        if engine == "sqlite":
            name, tables = SQLITE_NAME, _copy_sqlite(work / SQLITE_NAME)
        else:
            name, tables = DUMP_NAME, _dump_postgresql(database, work / DUMP_NAME)
        manifest = {"format": FORMAT, "engine": engine, "created_at": now.isoformat(), "database": name,
                    "tables": tables, "media": _files(media)}  # fmt: skip
        (work / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        archive = directory / f"quantriet-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar"
        part = archive.with_suffix(".tar.part")
        with tarfile.open(part, "w") as tar:
            tar.add(work / MANIFEST_NAME, arcname=MANIFEST_NAME)
            tar.add(work / name, arcname=name)
            if media.is_dir():
                tar.add(media, arcname=MEDIA_DIR)
        part.chmod(0o600)
        part.rename(archive)
    return archive, manifest


# ---------------------------------------------------------------- restore


def _manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST_NAME))
    except (KeyError, ValueError):
        raise RestoreRefused("Tệp không phải bản sao lưu của Quán Triệt (thiếu manifest.json).") from None
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"Bản sao lưu định dạng {manifest.get('format')}, phiên bản này đọc định dạng {FORMAT}.")
    return manifest


def _empty_postgresql(database: dict) -> bool:
    with _pg_connect(database) as conn, conn.cursor() as cursor:
        return not _tables(cursor, "postgresql")


def _restore_database(tar: tarfile.TarFile, manifest: dict, database: dict, work: Path) -> dict:
    engine = engine_of(database)
    if engine != manifest["engine"]:
        raise RestoreRefused(f"Bản sao lưu của {manifest['engine']}, cơ sở dữ liệu đích là {engine}.")
    source = work / "database"
    _write(tar, tar.getmember(manifest["database"]), source)
    if engine == "sqlite":
        target = Path(database["NAME"])
        if target.exists() and target.stat().st_size > 0:
            raise RestoreRefused(
                f"Tệp cơ sở dữ liệu đích {target} đã có: hãy khôi phục vào một tệp mới, kiểm tra rồi thay."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copy = sqlite3.connect(target)
        try:
            return fingerprints(copy.cursor(), "sqlite")
        finally:
            copy.close()
    if not _empty_postgresql(database):
        raise RestoreRefused(f"Cơ sở dữ liệu đích {database['NAME']} đã có bảng: hãy khôi phục vào một cơ sở dữ "
                             "liệu mới (ví dụ quantriet_restore), kiểm tra rồi đổi tên.")  # fmt: skip
    subprocess.run(  # noqa: S603
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={database['NAME']}", str(source)],  # noqa: S607
        env=_pg_env(database), check=True, capture_output=True,
    )  # fmt: skip
    with _pg_connect(database) as conn, conn.cursor() as cursor:
        return fingerprints(cursor, "postgresql")


def _write(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, inside: Path | None = None) -> None:
    """MEMBER's bytes into TARGET; only a plain file, and only inside INSIDE (no "..", no absolute name)."""
    if not member.isfile() or (inside is not None and not target.resolve().is_relative_to(inside.resolve())):
        raise RestoreRefused(f"Bản sao lưu có mục không hợp lệ: {member.name}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tar.extractfile(member) as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out)


def _restore_media(tar: tarfile.TarFile, manifest: dict, media_root: Path) -> list[str]:
    """Unpack the files into MEDIA_ROOT (refused when it already holds files); the files that differ."""
    if media_root.is_dir() and any(media_root.iterdir()):
        raise RestoreRefused(f"Thư mục tệp tải lên {media_root} không trống: hãy khôi phục vào một thư mục mới.")
    media_root.mkdir(parents=True, exist_ok=True)
    for member in tar.getmembers():
        if member.isfile() and member.name.startswith(f"{MEDIA_DIR}/"):
            _write(tar, member, media_root / member.name.removeprefix(f"{MEDIA_DIR}/"), inside=media_root)
    found = _files(media_root)
    return [f"{name}: tệp khác hoặc thiếu" for name in sorted(set(manifest["media"]) | set(found))
            if manifest["media"].get(name) != found.get(name)]  # fmt: skip


def restore_backup(archive: Path, database: dict, media_root: Path) -> dict:
    """Restore ARCHIVE into DATABASE (settings.DATABASES form, empty) and MEDIA_ROOT (empty), then compare
    every table and file with the manifest: {"tables", "rows", "files", "problems"}."""
    with tarfile.open(archive) as tar, tempfile.TemporaryDirectory() as work:
        manifest = _manifest(tar)
        found = _restore_database(tar, manifest, database, Path(work))
        problems = compare(manifest["tables"], found) + _restore_media(tar, manifest, media_root)
    return {"tables": len(found), "rows": sum(t["rows"] for t in found.values()), "files": len(manifest["media"]),
            "problems": problems, "created_at": manifest["created_at"]}  # fmt: skip
