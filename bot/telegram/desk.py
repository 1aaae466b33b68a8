"""The operators' desk: one Telegram group where the team takes over conversations.

Rule: the group sees a pseudonym ("Saule 12") and what the person writes, never their Telegram
id, name or username. In a forum group each follow-up gets its own topic; in a plain group the
bot's messages about a follow-up are remembered, so replying to any of them answers that person.
What changes a conversation (take over, write, hand back, close, note) goes through
`Engine.operate` and is committed with the update id, so a redelivered update relays nothing
twice; what only reads (the queue, a sheet, help) is answered directly. The group's messages
are committed in the team's outbox with the step that produced them and sent in order, here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from telegram.error import BadRequest, TelegramError

from bot.engine import Engine, Outcome, Undeliverable
from bot.followups import Escalation
from bot.telegram.inbound import CHANNEL, TEAM_BUTTON, FromTeam
from bot.telegram.port import TelegramPort
from flows import N_, Duration, Lines, Msg, msg
from flows.operate import Act, TeamAction
from flows.sheet import Sheet, Standing, pseudonym, qualification, sheet_card, status_label
from flows.sheet import topic_title as title_of
from flows.state import TeamStatus
from flows.team import team_at_work

log = logging.getLogger(__name__)

MEMBERSHIP_TTL = 300.0
"""Seconds a "member of the group" answer is trusted before Telegram is asked again."""
MEMBER_STATUSES = frozenset({"creator", "administrator", "member"})
TOPIC_TITLE_LIMIT = 128
REMIND_EVERY = 30.0
"""Seconds between two looks for follow-ups waiting too long."""
RETRY_DELAY = 5.0
"""Seconds before the team's messages are tried again; doubled while the group stays
unreachable (up to 64 times), back to this after a success."""

ALIASES = {
    "prendre": "take",
    "rendre": "handback",
    "clore": "close",
    "file": "queue",
    "fiche": "sheet",
    "ecrire": "write",
    "aide": "help",
    "start": "help",
}
ACTS = {"take": Act.TAKE, "handback": Act.HAND_BACK, "close": Act.CLOSE, "note": Act.NOTE}
ICONS = {"open": "🔔", "alert": "⚠️", "reminder": "⏰", "erased": "🗑"}
STATUS_ICONS = {
    "waiting": "⏳",
    "taken": "💬",
    "returned": "🤖",
    "closed": "📭",
    "ended": "✅",
}
"""Shown at the start of a topic's title, so the list of topics reads as the queue."""


@dataclass(slots=True)
class Desk:
    engine: Engine
    port: TelegramPort
    group_id: int
    deliver_to_person: Callable[[Outcome, Callable[[], Awaitable[None]] | None], None]
    """Queues a committed step's replies on the person's own send chain (the dispatcher), with
    what to do if Telegram refuses them for good."""
    monotonic: Callable[[], float] = time.monotonic
    forum: bool = False
    _members: dict[int, tuple[bool, float]] = field(default_factory=dict)
    _flushing: asyncio.Lock = field(default_factory=asyncio.Lock)
    _retry: asyncio.Task[None] | None = None
    _failures: int = 0

    @property
    def language(self) -> str:
        return self.engine.world.team_language

    async def start(self) -> None:
        """Learn whether the group is a forum (topics), and send what a previous run left."""
        try:
            chat = await self.port.call(self.port.bot.get_chat, chat_id=self.group_id)
            self.forum = bool(getattr(chat, "is_forum", False))
            log.info("operators' group ready (%s)", "topics" if self.forum else "replies")
        except Exception as error:  # refused, unreachable, or an answer PTB cannot read
            log.error(
                "the operators' group %s cannot be reached (%s): add the bot to it; "
                "escalations wait in the store meanwhile",
                self.group_id,
                error,
            )
        await self.flush()

    # -- from the group ---------------------------------------------------------------------

    async def handle(self, inbound: FromTeam) -> None:
        """One message from the operators' group (or an operator command from elsewhere)."""
        if inbound.query_id is not None:
            await self.port.answer(inbound.query_id)
            if inbound.text is None:
                return  # a button this bot never made
        if not inbound.in_team_group:
            await self._reply(inbound, msg(N_("team.ops.elsewhere")))
            return
        if inbound.edited:  # an edit never acts again, and is not relayed
            if await self._context(inbound) is not None:
                await self._reply(inbound, msg(N_("team.ops.edited")))
            return
        command = inbound.command
        if command is None:
            await self._message(inbound)
            return
        name, arg = command
        name = ALIASES.get(name, name)
        if name not in (*ACTS, "write", "queue", "sheet", "help"):
            return  # another bot's command, or chatter
        if not await self._is_member(inbound):
            await self._reply(inbound, msg(N_("team.ops.not_member")))
            return
        if name == "help":
            await self._reply(inbound, msg(N_("team.ops.help")))
        elif name == "queue":
            await self._reply(inbound, await self._queue())
        else:
            await self._act(inbound, name, arg)

    async def _message(self, inbound: FromTeam) -> None:
        """Text in a follow-up's topic, or in reply to one of its messages, goes to the person."""
        escalation = await self._context(inbound)
        if escalation is None:
            return  # the team talking among themselves
        if inbound.text is None:
            await self._reply(inbound, msg(N_("team.ops.media")))
        elif await self._is_member(inbound):
            await self._operate(inbound, escalation, Act.SAY, inbound.text)

    async def _act(self, inbound: FromTeam, name: str, arg: str) -> None:
        escalation = await self._context(inbound)
        if escalation is None:
            number, _, rest = arg.partition(" ")
            digits = number.lstrip("#")
            if not digits.isdigit() and rest.split(" ", 1)[0].isdigit():  # "Saule 12 …"
                digits, _, rest = rest.partition(" ")
            if not digits.isdigit():
                await self._reply(inbound, msg(N_("team.ops.which")))
                return
            escalation = await self.engine.store.escalation(int(digits))
            if escalation is None:
                await self._reply(inbound, msg(N_("team.ops.unknown_case"), number=digits))
                return
            arg = rest.strip()
        if escalation.status == "erased":  # nothing left to show or to send
            await self._reply(inbound, msg(N_("team.ops.ended_already")), escalation)
            return
        if name == "sheet":
            await self._reply(inbound, self.sheet(escalation), escalation)
            return
        act = Act.SAY if name == "write" else ACTS[name]
        if act in (Act.SAY, Act.NOTE) and not arg:
            await self._reply(inbound, msg(N_("team.ops.need_text")))
            return
        await self._operate(inbound, escalation, act, arg)

    async def _operate(
        self, inbound: FromTeam, escalation: Escalation, act: Act, text: str = ""
    ) -> None:
        if escalation.key is None or escalation.status in ("ended", "erased"):
            await self._reply(inbound, msg(N_("team.ops.ended_already")), escalation)
            return
        action = TeamAction(act, inbound.first_name, text)
        outcome = await self.engine.operate(escalation.key, CHANNEL, action, inbound.update_id)
        if outcome is None:
            await self._reply(inbound, msg(N_("team.ops.gone")), escalation)
            return
        if act is Act.SAY and outcome.items:  # relayed: erased with the rest if the person asks
            await self.engine.store.remember_team_message(
                inbound.chat_id, inbound.message_id, escalation.id
            )

        async def undelivered() -> None:
            await self._reply(inbound, msg(N_("team.ops.undelivered")), escalation)

        self.deliver_to_person(outcome, undelivered)
        if outcome.team:
            await self.flush()

    async def _context(self, inbound: FromTeam) -> Escalation | None:
        """The follow-up a message is about: its topic, or the message it replies to."""
        store = self.engine.store
        if inbound.thread_id is not None and self.forum:
            found = await store.escalation_in_topic(inbound.thread_id)
            if found is not None:
                return found
        if inbound.reply_to is not None:
            return await store.escalation_of_message(inbound.chat_id, inbound.reply_to)
        return None

    async def _is_member(self, inbound: FromTeam) -> bool:
        """Only members of the operators' group act (asked to Telegram, kept a few minutes)."""
        if inbound.anonymous:
            return True  # an administrator posting as the group itself
        known = self._members.get(inbound.user_id)
        now = self.monotonic()
        if known is not None and now - known[1] < MEMBERSHIP_TTL:
            return known[0]
        try:
            member = await self.port.call(
                self.port.bot.get_chat_member, chat_id=self.group_id, user_id=inbound.user_id
            )
        except (TelegramError, Undeliverable) as error:
            log.warning("membership not checked (%s): refused", type(error).__name__)
            return False
        status = str(getattr(member, "status", "left"))
        answer = status in MEMBER_STATUSES or (
            status == "restricted" and bool(getattr(member, "is_member", False))
        )
        self._members[inbound.user_id] = (answer, now)
        return answer

    # -- what the desk writes -----------------------------------------------------------------

    def sheet(self, escalation: Escalation) -> Msg:
        now = self.engine.now()
        notes = tuple(f"{n.get('by') or '—'} : {n.get('text', '')}" for n in escalation.notes)
        status = _status(escalation.status)
        standing = Standing(status, escalation.created_at, now, escalation.operator, notes)
        return sheet_card(Sheet.from_json(escalation.sheet), standing, self.engine.world.directory)

    async def _queue(self) -> Msg:
        open_ones = [e for e in await self.engine.store.queue() if e.key is not None]
        if not open_ones:
            return msg(N_("team.ops.queue_empty"))
        now = self.engine.now()
        open_ones.sort(key=lambda e: (e.status != "waiting", not e.urgent, e.created_at))
        lines = []
        for escalation in open_ones:
            sheet = Sheet.from_json(escalation.sheet)
            lines.append(
                msg(
                    N_("team.ops.queue_line"),
                    mark="⚠️ " if escalation.urgent else "",
                    pseudonym=pseudonym(escalation.id),
                    status=status_label(_status(escalation.status), escalation.operator),
                    waited=Duration((now - escalation.created_at).total_seconds()),
                    qualification=qualification(sheet),
                )
            )
        return msg(N_("team.ops.queue"), count=len(lines), lines=Lines(tuple(lines)))

    async def _reply(
        self, inbound: FromTeam, body: Msg, escalation: Escalation | None = None
    ) -> None:
        """Answer a member where they wrote (not committed: it only reads)."""
        text = self.engine.renderer.message(body, self.language)
        if escalation is not None:
            text = f"{pseudonym(escalation.id)} · {text}"
        try:
            await self.port.post(inbound.chat_id, text, inbound.thread_id, inbound.message_id)
        except (TelegramError, Undeliverable) as error:
            log.warning("answer to the team not sent: %s", type(error).__name__)

    # -- the team's outbox --------------------------------------------------------------------

    async def flush(self) -> None:
        """Send the team's committed messages in order; a failure leaves them for later."""
        async with self._flushing:
            for post in await self.engine.store.team_pending():
                escalation = await self.engine.store.escalation(post.escalation)
                if escalation is None:  # purged meanwhile
                    await self.engine.store.team_posted(post.id, self.group_id, [], post.escalation)
                    continue
                icon = ICONS.get(post.kind, "")
                head = f"{icon} {pseudonym(escalation.id)}".strip()
                text = f"{head}\n{post.text}"
                try:
                    ids = await self._deliver(post.kind, escalation, text)
                except (TelegramError, OSError, Undeliverable) as error:
                    log.warning("team message left for later: %s", error)
                    self._retry_later()
                    return
                await self.engine.store.team_posted(post.id, self.group_id, ids, escalation.id)
                self._failures = 0
            if self.forum:
                await self._retitle()

    async def _retitle(self) -> None:
        """Topic titles follow their follow-up: status, urgency, qualification (best effort)."""
        for escalation in await self.engine.store.with_topics():
            title = self._title(escalation)
            if title == escalation.topic_title or escalation.topic_id is None:
                continue
            if await self.port.rename_topic(self.group_id, escalation.topic_id, title):
                await self.engine.store.set_topic(escalation.id, escalation.topic_id, title)

    def _title(self, escalation: Escalation) -> str:
        icon = STATUS_ICONS.get(escalation.status, "")
        if escalation.sheet == "{}":
            return f"{icon} {pseudonym(escalation.id)}"
        body = title_of(Sheet.from_json(escalation.sheet), escalation.id)
        title = f"{icon} {self.engine.renderer.message(body, self.language)}"
        return title[:TOPIC_TITLE_LIMIT]

    async def _deliver(self, kind: str, escalation: Escalation, text: str) -> list[int]:
        """Post one message; erasing first removes what the group kept of the person, and an
        ended follow-up's topic is closed (a reopened one, reopened)."""
        if kind == "erased":
            if not await self._forget(escalation):
                text += "\n" + self.engine.renderer.message(
                    msg(N_("team.ops.erase_by_hand")), self.language
                )
            await self.engine.store.forget_team_messages(escalation.id)
            return await self.port.post(self.group_id, text)  # outside any topic: it is gone
        topic = escalation.topic_id
        if kind == "open" and self.forum and topic is not None:
            await self.port.topic("reopen", self.group_id, topic)
        choices: tuple[tuple[str, str], ...] = ()
        if kind in ("open", "reminder"):
            label = self.engine.renderer.message(msg(N_("button.team_take")), self.language)
            choices = ((f"{TEAM_BUTTON}take:{escalation.id}", label),)
        ids = await self._post(escalation, text, choices)
        if kind == "ended" and self.forum and topic is not None:
            await self.port.topic("close", self.group_id, topic)
        return ids

    async def _forget(self, escalation: Escalation) -> bool:
        """Delete the follow-up's topic, or its messages in a plain group; False if refused."""
        topic = escalation.topic_id
        if (
            self.forum
            and topic is not None
            and await self.port.topic("delete", self.group_id, topic)
        ):
            await self.engine.store.set_topic(escalation.id, None)
            return True
        ids = await self.engine.store.team_messages(escalation.id)
        return not ids or await self.port.delete(self.group_id, ids)

    async def _post(
        self, escalation: Escalation, text: str, choices: tuple[tuple[str, str], ...] = ()
    ) -> list[int]:
        if not self.forum:
            return await self.port.post(
                self.group_id, text, reply_to=escalation.anchor_id, choices=choices
            )
        topic = escalation.topic_id
        if topic is None:
            topic = await self._new_topic(escalation)
        try:
            return await self.port.post(self.group_id, text, thread_id=topic, choices=choices)
        except BadRequest as error:
            refusal = error.message.lower()
            if "topic_closed" in refusal:  # closed by hand: open it again to write in it
                await self.port.topic("reopen", self.group_id, topic)
            elif "thread not found" in refusal:
                topic = await self._new_topic(escalation)  # the team deleted the topic
            else:
                raise
            return await self.port.post(self.group_id, text, thread_id=topic, choices=choices)

    async def _new_topic(self, escalation: Escalation) -> int:
        title = self._title(escalation)
        topic = await self.port.create_topic(self.group_id, title)
        await self.engine.store.set_topic(escalation.id, topic, title)
        return topic

    def _retry_later(self) -> None:
        """Try again later, waiting longer each time the group stays unreachable."""
        if self._retry is not None and not self._retry.done():
            return
        delay = RETRY_DELAY * 2 ** min(self._failures, 6)
        self._failures += 1

        async def retry() -> None:
            await asyncio.sleep(delay)
            await self.flush()

        self._retry = asyncio.get_running_loop().create_task(retry())

    # -- reminders ----------------------------------------------------------------------------

    async def remind(self) -> int:
        """Recall follow-ups nobody took for longer than the territory's delay (at work only)."""
        territory = self.engine.world.directory.territory
        operators = territory.operators
        now = self.engine.now()
        if not team_at_work(territory, now):
            return 0
        every = timedelta(minutes=operators.reminder_minutes)

        def text_for(escalation: Escalation) -> str:
            waited = Duration((now - escalation.created_at).total_seconds())
            body = msg(N_("team.ops.reminder"), waited=waited, number=escalation.id)
            return self.engine.renderer.message(body, self.language)

        queued = await self.engine.store.remind(now, every, text_for)
        if queued:
            await self.flush()
        return queued

    async def remind_regularly(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.remind()
            except Exception as error:  # a bug or a busy database: try again next round
                log.error("reminders failed: %s", type(error).__name__, exc_info=error)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), REMIND_EVERY)

    async def close(self) -> None:
        if self._retry is not None:
            self._retry.cancel()


def _status(value: str) -> TeamStatus:
    try:
        return TeamStatus(value)
    except ValueError:
        return TeamStatus.CLOSED
