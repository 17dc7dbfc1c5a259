"""Files that are partly bad or point elsewhere: JSON/JSONL records fail one by one, and
symlinks out of an ingested folder are skipped unless `--follow-symlinks` is given."""

import json
from pathlib import Path

import pytest

from bot.cli import main
from ingest.discover import discover_files
from vectorstore.indexer import IngestReport, ingest_paths
from vectorstore.store import Store


def _record(i: int, **fields: object) -> dict[str, object]:
    return {
        "title": f"Deal {i}", "text": f"Studio {i} was bought by Company {i} for {i} million.",
        "url": f"https://news.example/{i}",
    } | fields  # fmt: skip


def _ingest(store: Store, *paths: Path, follow: bool = False) -> IngestReport:
    return ingest_paths(store, list(paths), store.settings.ingest, follow_symlinks=follow)


def _failed(report: IngestReport) -> dict[str, str]:
    return {i.item: i.reason or "" for i in report.items if i.status == "failed"}


def test_jsonl_keeps_good_records_and_reports_each_bad_line(store: Store, tmp_path: Path) -> None:
    """Malformed, non-object, text-less and badly typed lines fail with their line number;
    the good lines around them are stored."""
    path = tmp_path / "deals.jsonl"
    lines = [
        json.dumps(_record(1)),
        '{"title": "cut off", "text": ',
        json.dumps(_record(3)),
        "",
        "[1, 2]",
        json.dumps({"title": "no text"}),
        json.dumps(_record(7, title=["not", "a", "string"])),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = _ingest(store, path)
    where = str(path.resolve())
    assert _failed(report) == {
        f"{where}:2": "malformed JSON at column 30: Expecting value",
        f"{where}:5": "expected an object with 'title' and 'text'",
        f"{where}:6": "field 'text' is missing or empty",
        f"{where}:7": "field 'title' must be a string",
    }
    assert [i.item for i in report.items if i.status == "added"] == [
        "https://news.example/1", "https://news.example/3",
    ]  # fmt: skip


def test_json_list_keeps_good_records_and_reports_each_bad_index(
    store: Store, tmp_path: Path
) -> None:
    """A JSON list's bad elements fail under `path#INDEX`; the others are stored."""
    path = tmp_path / "deals.json"
    path.write_text(
        json.dumps([_record(0), "just a string", {"title": "only"}, _record(3)]), encoding="utf-8"
    )
    report = _ingest(store, path)
    where = str(path.resolve())
    assert _failed(report) == {
        f"{where}#1": "expected an object with 'title' and 'text'",
        f"{where}#2": "field 'text' is missing or empty",
    }
    assert report.count("added") == 2


def test_jsonl_line_separators_inside_strings_do_not_split_a_record(
    store: Store, tmp_path: Path
) -> None:
    """U+2028 and U+2029 are legal inside JSON strings; a record holding them stays whole."""
    path = tmp_path / "deals.jsonl"
    text = "Studio 1 was bought.\u2028It cost 5 million.\u2029Both sides agreed."
    path.write_text(json.dumps(_record(1, text=text), ensure_ascii=False), encoding="utf-8")
    report = _ingest(store, path)
    assert report.count("added") == 1 and not report.failed


def test_a_record_that_breaks_keeps_its_stored_version_until_the_file_is_whole(
    store: Store, tmp_path: Path
) -> None:
    """While any record of a file is bad nothing is removed from that file (the broken one may
    be the stored one); once every record loads, records gone from the file are removed."""
    path = tmp_path / "deals.jsonl"
    records = [json.dumps(_record(i)) for i in range(1, 4)]
    path.write_text("\n".join(records), encoding="utf-8")
    assert _ingest(store, path).count("added") == 3
    path.write_text("\n".join([records[0], records[1][:-5]]), encoding="utf-8")
    broken = _ingest(store, path)
    assert list(_failed(broken)) == [f"{path.resolve()}:2"]
    assert broken.count("removed") == 0
    assert {d.source for d in store.catalog.file_documents()} == {
        f"https://news.example/{i}" for i in (1, 2, 3)
    }
    path.write_text("\n".join(records[:2]), encoding="utf-8")
    whole = _ingest(store, path)
    assert [(i.item, i.reason) for i in whole.items if i.status == "removed"] == [
        ("https://news.example/3", "no longer in its file")
    ]


def test_cli_exits_1_when_any_record_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`dealdesk ingest` stores the good records, names the bad line, and exits 1."""
    monkeypatch.setenv("DEALDESK_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "deals.jsonl"
    path.write_text(json.dumps(_record(1)) + "\nnot json\n", encoding="utf-8")
    assert main(["ingest", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["added"], report["failed"]) == (1, 1)
    statuses = {i["item"]: i["status"] for i in report["items"]}
    assert statuses[f"{path.resolve()}:2"] == "failed"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """data/ with a real article, a sub-folder, and a secret file and folder outside it."""
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "story.txt").write_text("Story\n\nSony buys a studio for 5 million.", "utf-8")
    (data / "sub" / "inner.txt").write_text("Inner\n\nPixar signs a deal with Disney.", "utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nThe admin password is hunter2.", "utf-8")
    (outside / "more.md").write_text("# More\n\nInternal memo on budgets.", "utf-8")
    return data


def test_symlinks_out_of_the_folder_are_skipped_with_a_reason(tree: Path) -> None:
    """A file or folder link leading outside the ingested folder is skipped and named; links
    that stay inside it are followed."""
    outside = tree.parent / "outside"
    (tree / "hostname.txt").symlink_to(outside / "secret.txt")
    (tree / "elsewhere").symlink_to(outside)
    (tree / "alias.txt").symlink_to(tree / "sub" / "inner.txt")
    files, problems = discover_files([tree])
    assert files == [tree / "alias.txt", tree / "story.txt", tree / "sub" / "inner.txt"]
    assert [(p.path, p.reason, p.failed) for p in problems] == [
        (str(tree / "elsewhere"), f"symlink to {outside.resolve()} leads outside {tree}/; "
         "use --follow-symlinks to ingest it", False),
        (str(tree / "hostname.txt"), f"symlink to {(outside / 'secret.txt').resolve()} leads "
         f"outside {tree}/; use --follow-symlinks to ingest it", False),
    ]  # fmt: skip


def test_symlink_loops_end_without_hanging(tree: Path) -> None:
    """A link to an ancestor, a link to itself and a two-link cycle neither hang the walk nor
    repeat files; the unresolvable ones are named."""
    (tree / "sub" / "up").symlink_to(tree)
    (tree / "self.txt").symlink_to(tree / "self.txt")
    (tree / "a.txt").symlink_to(tree / "b.txt")
    (tree / "b.txt").symlink_to(tree / "a.txt")
    for follow in (False, True):
        files, problems = discover_files([tree], follow_symlinks=follow)
        assert files == [tree / "story.txt", tree / "sub" / "inner.txt"]
        assert sorted(Path(p.path).name for p in problems) == ["a.txt", "b.txt", "self.txt"]
        assert {p.reason for p in problems} == {"broken symlink or symlink loop"}


def test_follow_symlinks_takes_files_and_folders_outside_once(tree: Path) -> None:
    """With --follow-symlinks, links out of the folder are walked; a link from there back
    into the folder does not loop."""
    outside = tree.parent / "outside"
    (tree / "elsewhere").symlink_to(outside)
    (outside / "back").symlink_to(tree)
    files, problems = discover_files([tree], follow_symlinks=True)
    assert files == [
        tree / "elsewhere" / "more.md", tree / "elsewhere" / "secret.txt",
        tree / "story.txt", tree / "sub" / "inner.txt",
    ]  # fmt: skip
    assert problems == []


def test_a_symlink_named_on_the_command_line_is_followed(tree: Path, tmp_path: Path) -> None:
    """Naming a link explicitly is the user's choice: file and folder links are read."""
    (tmp_path / "link.txt").symlink_to(tree.parent / "outside" / "secret.txt")
    (tmp_path / "linked").symlink_to(tree.parent / "outside")
    files, problems = discover_files([tmp_path / "link.txt", tmp_path / "linked"])
    assert files == [
        tmp_path / "link.txt", tmp_path / "linked" / "more.md", tmp_path / "linked" / "secret.txt"
    ]  # fmt: skip
    assert problems == []


def test_cli_skips_outside_links_and_ingests_them_with_follow_symlinks(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`dealdesk ingest data/` leaves a link to a secret outside unread and exits 0;
    `--follow-symlinks` stores it."""
    monkeypatch.setenv("DEALDESK_DATA_DIR", str(tree.parent / "store"))
    (tree / "hostname.txt").symlink_to(tree.parent / "outside" / "secret.txt")
    assert main(["ingest", str(tree), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["added"], first["skipped"], first["failed"]) == (2, 1, 0)
    assert "leads outside" in first["items"][0]["reason"]
    assert main(["ingest", str(tree), "--follow-symlinks", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    secret = str((tree.parent / "outside" / "secret.txt").resolve())
    assert {i["item"]: i["status"] for i in second["items"]}[secret] == "added"
