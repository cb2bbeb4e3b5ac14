"""``zhijian jobs list|replay|discard``: the operator's view of dead letters (see :func:`register`)."""

from __future__ import annotations

import argparse
import getpass
import json
from typing import TYPE_CHECKING, Any

from kernel.errors import ZhijianError
from kernel.jobs.dead_letters import DeadLetter, LetterState, letters, settle

if TYPE_CHECKING:
    from hub.jobs import JobContext, JobQueue


def register(subparsers: Any) -> None:
    """Add the ``jobs`` command group to the hub's ``argparse`` subparsers."""
    jobs = subparsers.add_parser("jobs", help="jobs that failed for good (dead letters): list, replay, discard")
    commands = jobs.add_subparsers(dest="jobs_command", required=True)
    listing = commands.add_parser("list", help="open dead letters, oldest first")
    listing.add_argument("--all", action="store_true", help="replayed and discarded ones too")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    replay = commands.add_parser("replay", help="run a dead letter's job again (with Redis: on the workers)")
    replay.add_argument("letter", type=int)
    discard = commands.add_parser("discard", help="give a dead letter up for good")
    discard.add_argument("letter", type=int)


def _line(letter: DeadLetter) -> str:
    ids = ",".join(f"{key}={value}" for key, value in sorted(letter.ids.items()))
    error = letter.error.splitlines()[0] if letter.error else ""
    return (
        f"{letter.id:>6}  {letter.state.value:<9} {letter.failed_at:%Y-%m-%d %H:%M:%S}Z  {letter.job}"
        f"{f'({ids})' if ids else ''}  tries={letter.attempts}  {letter.error_code}: {error}"
    )


def _as_json(letter: DeadLetter) -> str:
    return json.dumps(
        {
            "id": letter.id,
            "job": letter.job,
            "jobId": letter.job_id,
            "ids": dict(letter.ids),
            "queue": letter.queue,
            "attempts": letter.attempts,
            "errorCode": letter.error_code,
            "error": letter.error,
            "failedAt": letter.failed_at.isoformat(),
            "state": letter.state.value,
        },
        ensure_ascii=False,
    )


async def replay(context: JobContext, queue: JobQueue, letter_id: int, by: str) -> DeadLetter:
    """Mark the letter REPLAYED and queue its job under the letter's replay id, in one transaction: two operators
    replaying one letter queue it once."""
    async with context.database.transaction() as session:
        letter = await settle(session, letter_id, LetterState.REPLAYED, by, context.clock())
        await queue.enqueue(letter.job, job_id=letter.replay_id, ids=letter.ids)
    return letter


async def discard(context: JobContext, letter_id: int, by: str) -> DeadLetter:
    async with context.database.transaction() as session:
        return await settle(session, letter_id, LetterState.DISCARDED, by, context.clock())


async def run(args: argparse.Namespace, context: JobContext, queue: JobQueue) -> int:
    """Execute a parsed ``jobs`` command; returns the exit status."""
    operator = f"cli:{getpass.getuser()}"
    try:
        if args.jobs_command == "list":
            found = await letters(context.database, None if args.all else LetterState.OPEN, limit=1000)
            for letter in found:
                print(_as_json(letter) if args.json else _line(letter))
            if not found and not args.json:
                print("no dead letters" if args.all else "no open dead letters")
            return 0
        if args.jobs_command == "replay":
            letter = await replay(context, queue, args.letter, operator)
            print(f"dead letter {letter.id}: {letter.job} queued again as {letter.replay_id}")
            return 0
        letter = await discard(context, args.letter, operator)
        print(f"dead letter {letter.id}: discarded")
        return 0
    except ZhijianError as error:
        print(f"zhijian jobs: {error.message} ({error.code})")
        return 1
