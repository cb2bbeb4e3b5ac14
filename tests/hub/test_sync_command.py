"""``zhijian sync ADAPTER`` as an operator runs it: a real process on the embedded SQLite database, a progress bar,
the run's counts, and exit statuses that say whether the source was read to its end."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from tests.adapters.harness import drop, ledger_csv, legacy_permit_row
from tests.support.processes import python


async def zhijian(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *python("-m", "hub.cli", *args),
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return int(process.returncode or 0), out.decode(), err.decode()


async def test_a_sync_by_hand_shows_its_progress_and_counts(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    rows = [legacy_permit_row(1), legacy_permit_row(2), {**legacy_permit_row(3), "许可证编号": "JY9"}]
    drop(folder, "ledger.csv", ledger_csv(rows).encode("gb18030"))
    env = {
        "ZHIJIAN_DATA_DIR": str(tmp_path / "data"),
        "ZHIJIAN_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'zhijian.db'}",
        "ZHIJIAN_DROP_DIR": str(folder),
        "ZHIJIAN_IDENTITY_KEY_DIR": str(tmp_path / "keys"),
        "ZHIJIAN_LOG_LEVEL": "warning",
    }
    status, out, err = await zhijian("sync", "files", env=env)
    assert status == 0, out + err
    assert "SUCCEEDED: read 3, applied 2, rejected 1, duplicate 0" in out
    assert "sync files" in err and "3 records" in err  # the progress bar
    assert (folder / "rejected" / "ledger.rejected.csv").exists()

    status, out, _ = await zhijian("sync", "rest", env=env)
    assert status == 2 and "not configured" in out
