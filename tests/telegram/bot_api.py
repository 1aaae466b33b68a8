"""A Bot API emulator on 127.0.0.1 that the real python-telegram-bot talks HTTP to, and its people.

Why not the npm `telegram-test-api`: unpatched it cannot serve PTB 22 (no `is_bot`, dates in
milliseconds, no offsets, no long polling, errors as HTTP 500; ../shared/notes). This one keeps
Telegram's contract where our bot depends on it: `getUpdates` offsets and long polling, webhook
pushes with the secret token and retries, real `Message` objects, edits, callback queries with
`chat_instance`, `answerCallbackQuery`, per-language command menus, forum topics, and Telegram's
refusals with its words (400 for empty or > 4,096-character texts, bad HTML, callback data over
64 bytes, "message is not modified"; 403 for a person who blocked the bot; 401, 404, 409, 429).
Not emulated: flood limits (unless `rate_limit` or `fail_next`), privacy mode, files and media
sending, Markdown parse modes (refused with a 400), payments, inline mode, exact error wording
beyond the cases above.

Test side: `emu.user(...)` is a person in their private chat (`send`, `press`, `sticker`, `edit`,
`messages`, `await replies()`); `emu.group(...)` a group; `emu.inject(update)` any raw update.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

from tests.telegram.bot_api_html import HtmlError, parse_html, units

Json = dict[str, Any]
TEXT_LIMIT = 4096


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


def bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass
class Fault:
    method: str
    code: int | None
    description: str
    retry_after: int | None
    count: int
    chat_id: int | None


@dataclass
class ChatRecord:
    data: Json
    messages: dict[int, Json] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)
    next_id: int = 1
    seen: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    blocked: bool = False
    members: dict[int, str] = field(default_factory=dict)
    topics: dict[int, str] = field(default_factory=dict)
    closed_topics: set[int] = field(default_factory=set)

    def add(self, message: Json) -> None:
        self.messages[message["message_id"]] = message
        self.order.append(message["message_id"])
        self.changed.set()

    def bot_messages(self) -> list[Json]:
        """What the bot wrote (service messages such as a topic's creation are left out)."""
        return [
            m
            for i in self.order
            if (m := self.messages[i]).get("from", {}).get("is_bot")
            and "forum_topic_created" not in m
        ]


class Emulator:
    """The server and its state; all in the caller's event loop."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        bot_id: int = 123456,
        bot_username: str = "allodiscri_test_bot",
        rate_limit: int | None = None,
    ) -> None:
        self.token = token
        self.me = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Allodiscri",
            "username": bot_username,
        }
        self.rate_limit = rate_limit
        self.chats: dict[int, ChatRecord] = {}
        self.calls: list[tuple[str, Json]] = []
        self.commands: dict[tuple[str, str], list[Json]] = {}
        self.stats: dict[str, int] = {}
        self._updates: deque[Json] = deque()
        self._update_ids = itertools.count(10_000)
        self._arrived = asyncio.Event()
        self._queries: dict[str, int] = {}
        self._query_ids = itertools.count(1)
        self._answers: dict[int, list[Json]] = {}
        self._faults: list[Fault] = []
        self._allowed: list[str] | None = None
        self._webhook: Json | None = None
        self._pusher: asyncio.Task[None] | None = None
        self._window: deque[float] = deque()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.api_url = ""

    # -- life cycle ---------------------------------------------------------------------------

    async def start(self) -> Emulator:
        app = web.Application(client_max_size=10 << 20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.api_url = f"http://127.0.0.1:{port}/bot"
        return self

    async def stop(self) -> None:
        self._closing = True
        self._arrived.set()
        if self._pusher:
            self._pusher.cancel()
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> Emulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- test side ----------------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        language_code: str | None = "fr",
        username: str | None = None,
    ) -> User:
        data: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            data["language_code"] = language_code
        if username:
            data["username"] = username
        chat = {"id": user_id, "type": "private", "first_name": first_name}
        record = self.chats.setdefault(user_id, ChatRecord(chat))
        return User(self, data, record)

    def group(
        self,
        chat_id: int,
        title: str,
        forum: bool = False,
        members: list[User] = (),  # type: ignore[assignment]
        creator: User | None = None,
    ) -> Group:
        chat: Json = {"id": chat_id, "type": "supergroup", "title": title}
        if forum:
            chat["is_forum"] = True
        record = self.chats.setdefault(chat_id, ChatRecord(chat))
        for member in members:
            record.members[member.id] = "member"
        if creator:
            record.members[creator.id] = "creator"
        record.members[self.me["id"]] = "administrator"
        return Group(self, record)

    def inject(self, update: Json) -> Json:
        """Queue a raw update (keeps its update_id if it has one: a redelivery)."""
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._arrived.set()
        self._count("updates queued")
        return update

    def fail_next(
        self,
        method: str,
        code: int | None,
        description: str = "",
        retry_after: int | None = None,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next `count` calls of `method` fail (code None: the connection is dropped)."""
        self._faults = [f for f in self._faults if f.method.lower() != method.lower()]
        if count:
            words = {
                429: f"Too Many Requests: retry after {retry_after}",
                500: "Internal Server Error",
            }
            text = description or words.get(code or 0, "Error")
            self._faults.append(Fault(method, code, text, retry_after, count, chat_id))

    def calls_of(self, method: str) -> list[Json]:
        return [params for name, params in self.calls if name == method]

    @property
    def pending_update_count(self) -> int:
        return len(self._updates)

    def _count(self, what: str) -> None:
        self.stats[what] = self.stats.get(what, 0) + 1

    # -- HTTP side ----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, "Unauthorized"))
        name = request.match_info["method"]
        params = await _params(request)
        method = METHODS.get(name.lower())
        self.calls.append((name, params))
        self._count(name)
        if method is None:
            return _error(ApiError(404, "Not Found"))
        try:
            self._inject_fault(name, params)
            result = await method(self, params)
        except ConnectionResetError:
            if request.transport:
                request.transport.close()
            raise
        except ApiError as error:
            return _error(error)
        return web.json_response({"ok": True, "result": result})

    def _inject_fault(self, name: str, params: Json) -> None:
        for fault in self._faults:
            chat_ok = fault.chat_id is None or str(fault.chat_id) == str(params.get("chat_id"))
            if fault.method.lower() == name.lower() and fault.count > 0 and chat_ok:
                fault.count -= 1
                if fault.code is None:
                    raise ConnectionResetError
                raise ApiError(fault.code, fault.description, fault.retry_after)
        if self.rate_limit and name.lower() in ("sendmessage", "editmessagetext"):
            now = time.monotonic()
            while self._window and now - self._window[0] > 1.0:
                self._window.popleft()
            if len(self._window) >= self.rate_limit:
                raise ApiError(429, "Too Many Requests: retry after 1", 1)
            self._window.append(now)

    # -- methods ------------------------------------------------------------------------------

    async def get_me(self, params: Json) -> Json:
        return {
            **self.me,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def get_updates(self, params: Json) -> list[Json]:
        if self._webhook:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if not 1 <= limit <= 100:
            limit = 100
        if "allowed_updates" in params:
            self._allowed = list(params["allowed_updates"]) or None
        if offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
        else:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        deadline = time.monotonic() + timeout
        while True:
            found = [u for u in itertools.islice(self._updates, 0, limit * 4) if self._wanted(u)]
            if found or time.monotonic() >= deadline or self._closing:
                return found[:limit]
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), deadline - time.monotonic())
            except TimeoutError:
                return []

    def _wanted(self, update: Json) -> bool:
        allowed = self._allowed or ["message", "edited_message", "callback_query"]
        return any(kind in update for kind in allowed)

    async def send_message(self, params: Json) -> Json:
        record = self._chat(params)
        text, entities = _text(params)
        markup = _markup(params.get("reply_markup"))
        message = self._new_message(record, text, entities, markup, params)
        self._count("messages sent")
        return message

    async def edit_message_text(self, params: Json) -> Json:
        record, message = self._message(params)
        text, entities = _text(params)
        markup = _markup(params.get("reply_markup"))
        return self._edit(record, message, text, entities, markup)

    async def edit_message_reply_markup(self, params: Json) -> Json:
        record, message = self._message(params)
        markup = _markup(params.get("reply_markup"))
        return self._edit(record, message, message.get("text", ""), message.get("entities"), markup)

    async def delete_message(self, params: Json) -> bool:
        record = self._chat(params)
        message_id = int(params.get("message_id", 0))
        if message_id not in record.messages:
            raise bad("message to delete not found")
        del record.messages[message_id]
        record.order.remove(message_id)
        return True

    async def answer_callback_query(self, params: Json) -> bool:
        query = str(params.get("callback_query_id", ""))
        user_id = self._queries.pop(query, None)
        if user_id is None:
            raise bad("query is too old and response timeout expired or query ID is invalid")
        if units(str(params.get("text", ""))) > 200:
            raise bad("MESSAGE_TOO_LONG")
        self._answers.setdefault(user_id, []).append(params)
        return True

    async def set_my_commands(self, params: Json) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad("commands must be a list of at most 100 commands")
        for command in commands:
            name, description = str(command.get("command", "")), str(command.get("description", ""))
            if not (
                1 <= len(name) <= 32 and all(c.islower() or c.isdigit() or c == "_" for c in name)
            ):
                raise bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope(params)] = commands
        return True

    async def get_my_commands(self, params: Json) -> list[Json]:
        return self.commands.get(self._scope(params), [])

    async def delete_my_commands(self, params: Json) -> bool:
        self.commands.pop(self._scope(params), None)
        return True

    def _scope(self, params: Json) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return str(scope.get("type", "default")), str(params.get("language_code") or "")

    async def send_chat_action(self, params: Json) -> bool:
        self._chat(params)
        if params.get("action") not in (
            "typing",
            "upload_photo",
            "record_video",
            "upload_video",
            "record_voice",
            "upload_voice",
            "upload_document",
            "choose_sticker",
            "find_location",
            "record_video_note",
            "upload_video_note",
        ):
            raise bad("wrong parameter action in request")
        return True

    async def set_webhook(self, params: Json) -> bool:
        url = str(params.get("url", ""))
        if not url:
            return await self.delete_webhook(params)
        secret = params.get("secret_token")
        if secret is not None and not (
            1 <= len(secret) <= 256 and all(c.isalnum() or c in "_-" for c in secret)
        ):
            raise bad("secret token contains unallowed characters")
        if params.get("drop_pending_updates") in (True, "true", "True"):
            self._updates.clear()
        if "allowed_updates" in params:
            self._allowed = list(params["allowed_updates"]) or None
        self._webhook = {
            "url": url,
            "secret": secret,
            "max_connections": int(params.get("max_connections") or 40),
            "last_error_message": None,
            "last_error_date": None,
        }
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push())
        self._arrived.set()
        return True

    async def delete_webhook(self, params: Json) -> bool:
        self._webhook = None
        if self._pusher:
            self._pusher.cancel()
            self._pusher = None
        if params.get("drop_pending_updates") in (True, "true", "True"):
            self._updates.clear()
        return True

    async def get_webhook_info(self, params: Json) -> Json:
        hook = self._webhook or {}
        info: Json = {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if hook.get("last_error_message"):
            info["last_error_message"] = hook["last_error_message"]
            info["last_error_date"] = hook["last_error_date"]
        if hook:
            info["max_connections"] = hook["max_connections"]
        return info

    async def get_chat(self, params: Json) -> Json:
        """A ChatFullInfo: the chat and the fields Telegram always adds to it."""
        return {**self._chat(params).data, "accent_color_id": 0, "max_reaction_count": 11}

    async def get_chat_member(self, params: Json) -> Json:
        record = self._chat(params)
        user_id = int(params.get("user_id", 0))
        status = record.members.get(user_id, "left")
        return {
            "status": status,
            "user": {"id": user_id, "is_bot": False, "first_name": "?"},
            **(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": True,
                    "can_edit_stories": True,
                    "can_delete_stories": True,
                }
                if status == "administrator"
                else {}
            ),
            **({"is_anonymous": False} if status == "creator" else {}),
            **({"until_date": 0} if status == "kicked" else {}),
        }

    async def create_forum_topic(self, params: Json) -> Json:
        record = self._chat(params)
        if not record.data.get("is_forum"):
            raise bad("the chat is not a forum")
        name = str(params.get("name", ""))
        if not 1 <= len(name) <= 128:
            raise bad("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
        thread_id = record.next_id
        record.next_id += 1
        record.topics[thread_id] = name
        created = {"name": name, "icon_color": int(params.get("icon_color") or 7322096)}
        record.add(  # the service message that opens the topic: its id is the thread id
            {
                "message_id": thread_id,
                "from": self.me,
                "chat": record.data,
                "date": int(time.time()),
                "message_thread_id": thread_id,
                "is_topic_message": True,
                "forum_topic_created": created,
            }
        )
        return {
            "message_thread_id": thread_id,
            "name": name,
            "icon_color": int(params.get("icon_color") or 7322096),
        }

    async def edit_forum_topic(self, params: Json) -> bool:
        record = self._chat(params)
        thread_id = int(params.get("message_thread_id", 0))
        if thread_id not in record.topics:
            raise bad("TOPIC_ID_INVALID")
        if params.get("name"):
            record.topics[thread_id] = str(params["name"])
        return True

    async def close_forum_topic(self, params: Json) -> bool:
        record = self._chat(params)
        thread_id = int(params.get("message_thread_id", 0))
        if thread_id not in record.topics:
            raise bad("TOPIC_ID_INVALID")
        if thread_id in record.closed_topics:
            raise bad("TOPIC_NOT_MODIFIED")
        record.closed_topics.add(thread_id)
        return True

    async def reopen_forum_topic(self, params: Json) -> bool:
        record = self._chat(params)
        thread_id = int(params.get("message_thread_id", 0))
        if thread_id not in record.topics:
            raise bad("TOPIC_ID_INVALID")
        if thread_id not in record.closed_topics:
            raise bad("TOPIC_NOT_MODIFIED")
        record.closed_topics.discard(thread_id)
        return True

    async def delete_forum_topic(self, params: Json) -> bool:
        """The topic goes, with every message in it."""
        record = self._chat(params)
        thread_id = int(params.get("message_thread_id", 0))
        if thread_id not in record.topics:
            raise bad("TOPIC_ID_INVALID")
        del record.topics[thread_id]
        record.closed_topics.discard(thread_id)
        for message_id in [i for i in record.order if _in_thread(record.messages[i], thread_id)]:
            del record.messages[message_id]
            record.order.remove(message_id)
        record.changed.set()
        return True

    async def delete_messages(self, params: Json) -> bool:
        """Several messages at once; those already gone are skipped, as Telegram does."""
        record = self._chat(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad("message_ids must be a list of 1-100 message identifiers")
        for message_id in (int(i) for i in ids):
            if message_id in record.messages:
                del record.messages[message_id]
                record.order.remove(message_id)
        record.changed.set()
        return True

    # -- helpers ------------------------------------------------------------------------------

    def _chat(self, params: Json) -> ChatRecord:
        try:
            record = self.chats[int(params.get("chat_id"))]  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            raise bad("chat not found") from None
        if record.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return record

    def _message(self, params: Json) -> tuple[ChatRecord, Json]:
        record = self._chat(params)
        message = record.messages.get(int(params.get("message_id") or 0))
        if message is None:
            raise bad("message to edit not found")
        return record, message

    def _new_message(
        self,
        record: ChatRecord,
        text: str,
        entities: list[Json] | None,
        markup: Json | None,
        params: Json,
    ) -> Json:
        message: Json = {
            "message_id": record.next_id,
            "from": self.me,
            "chat": record.data,
            "date": int(time.time()),
            "text": text,
        }
        record.next_id += 1
        if entities:
            message["entities"] = entities
        if markup:
            message["reply_markup"] = markup
        thread = params.get("message_thread_id")
        if thread is not None:
            if int(thread) not in record.topics:
                raise bad("message thread not found")
            message["message_thread_id"] = int(thread)
            message["is_topic_message"] = True
        reply = params.get("reply_parameters") or {}
        reply_to = reply.get("message_id") or params.get("reply_to_message_id")
        if reply_to is not None and int(reply_to) in record.messages:
            message["reply_to_message"] = record.messages[int(reply_to)]
        record.add(message)
        return message

    def _edit(
        self,
        record: ChatRecord,
        message: Json,
        text: str,
        entities: list[Json] | None,
        markup: Json | None,
    ) -> Json:
        same = (message.get("text"), message.get("entities"), message.get("reply_markup"))
        if same == (text, entities or None, markup):
            raise bad(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        edited = {k: v for k, v in message.items() if k not in ("entities", "reply_markup")}
        edited.update(text=text, edit_date=int(time.time()))
        if entities:
            edited["entities"] = entities
        if markup:
            edited["reply_markup"] = markup
        record.messages[message["message_id"]] = edited
        record.changed.set()
        return edited

    async def _push(self) -> None:
        """Webhook: POST each update, in order per chat, one at a time per chat, until 2xx."""
        busy: set[object] = set()
        tasks: set[asyncio.Task[None]] = set()
        async with ClientSession(timeout=ClientTimeout(total=10)) as client:
            while self._webhook:
                hook = self._webhook
                heads: dict[object, Json] = {}
                for update in self._updates:
                    heads.setdefault(_chat_of(update), update)
                for chat, update in heads.items():
                    if chat in busy or len(busy) >= hook["max_connections"]:
                        continue
                    busy.add(chat)
                    task = asyncio.create_task(self._post(client, hook, update, chat, busy))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                self._arrived.clear()
                await self._arrived.wait()

    async def _post(
        self, client: ClientSession, hook: Json, update: Json, chat: object, busy: set[object]
    ) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret"]} if hook["secret"] else {}
        delay = 0.2
        try:
            while self._webhook is hook:
                try:
                    async with client.post(hook["url"], json=update, headers=headers) as answer:
                        if 200 <= answer.status < 300:
                            self._updates.remove(update)
                            self._count("updates pushed")
                            return
                        hook["last_error_message"] = (
                            f"Wrong response from the webhook: {answer.status} {answer.reason}"
                        )
                except (TimeoutError, OSError) as error:
                    hook["last_error_message"] = f"Connection refused ({type(error).__name__})"
                hook["last_error_date"] = int(time.time())
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
        finally:
            busy.discard(chat)
            self._arrived.set()

    # -- updates from people ------------------------------------------------------------------

    def _from_person(self, user: User, record: ChatRecord, kind: str, body: Json) -> Json:
        message: Json = {
            "message_id": record.next_id,
            "from": user.data,
            "chat": record.data,
            "date": int(time.time()),
            **body,
        }
        record.next_id += 1
        record.add(message)
        return self.inject({kind: message})

    def _press(self, user: User, record: ChatRecord, message: Json, data: str) -> Json:
        query_id = str(next(self._query_ids))
        self._queries[query_id] = user.id
        return self.inject(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.data,
                    "message": message,
                    "chat_instance": f"ci{record.data['id']}",
                    "data": data,
                }
            }
        )


@dataclass
class User:
    """A person in their private chat with the bot."""

    emu: Emulator
    data: Json
    record: ChatRecord

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def messages(self) -> list[Json]:
        return self.record.bot_messages()

    @property
    def last(self) -> Json:
        return self.messages[-1]

    @property
    def callback_answers(self) -> list[Json]:
        return self.emu._answers.get(self.id, [])

    def send(self, text: str) -> Json:
        body: Json = {"text": text}
        if text.startswith("/"):
            body["entities"] = [
                {"type": "bot_command", "offset": 0, "length": units(text.split()[0])}
            ]
        return self.emu._from_person(self, self.record, "message", body)

    def sticker(self) -> Json:
        return self._media(
            {
                "sticker": {
                    "file_id": "st1",
                    "file_unique_id": "u1",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "emoji": "😀",
                }
            }
        )

    def photo(self, caption: str | None = None) -> Json:
        body: Json = {
            "photo": [{"file_id": "ph1", "file_unique_id": "u2", "width": 90, "height": 90}]
        }
        if caption:
            body["caption"] = caption
        return self._media(body)

    def voice(self) -> Json:
        return self._media({"voice": {"file_id": "vo1", "file_unique_id": "u3", "duration": 4}})

    def document(self) -> Json:
        return self._media(
            {"document": {"file_id": "do1", "file_unique_id": "u4", "file_name": "plainte.pdf"}}
        )

    def location(self) -> Json:
        return self._media({"location": {"latitude": 47.2184, "longitude": -1.5536}})

    def contact(self) -> Json:
        return self._media({"contact": {"phone_number": "+33600000000", "first_name": "X"}})

    def _media(self, body: Json) -> Json:
        return self.emu._from_person(self, self.record, "message", body)

    def edit(self, message_id: int, text: str) -> Json:
        original = self.record.messages[message_id]
        edited = {**original, "text": text, "edit_date": int(time.time())}
        self.record.messages[message_id] = edited
        return self.emu.inject({"edited_message": edited})

    def press(self, label: str) -> Json:
        """Press the button with this label on the latest bot message that has it."""
        labels: list[str] = []
        for exact in (True, False):
            for message in reversed(self.messages):
                for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                    for button in row:
                        labels.append(button["text"])
                        hit = (
                            button["text"] == label
                            if exact
                            else label.lower() in button["text"].lower()
                        )
                        if hit and "callback_data" in button:
                            return self.emu._press(
                                self, self.record, message, button["callback_data"]
                            )
        raise AssertionError(f"no button {label!r}; labels: {sorted(set(labels))}")

    def press_data(self, data: str, message_id: int | None = None) -> Json:
        """A callback query with any data (forged, stale) on a given or the latest bot message."""
        message = self.record.messages[message_id] if message_id else self.last
        return self.emu._press(self, self.record, message, data)

    async def replies(self, count: int = 1, timeout: float = 5.0) -> list[Json]:
        """The next `count` bot messages in this chat since the previous call."""
        return await _replies(self.record, count, timeout)

    async def quiet(self, seconds: float = 0.3) -> None:
        before = len(self.messages)
        await asyncio.sleep(seconds)
        extra = self.messages[before:]
        assert not extra, f"unexpected messages: {[m.get('text') for m in extra]}"

    def block(self) -> None:
        self.record.blocked = True

    def unblock(self) -> None:
        self.record.blocked = False


@dataclass
class Group:
    emu: Emulator
    record: ChatRecord

    @property
    def messages(self) -> list[Json]:
        return self.record.bot_messages()

    @property
    def topics(self) -> dict[int, str]:
        return self.record.topics

    def send(
        self, user: User, text: str, reply_to: int | None = None, thread_id: int | None = None
    ) -> Json:
        self._check_member(user)
        body: Json = {"text": text}
        if text.startswith("/"):
            body["entities"] = [
                {"type": "bot_command", "offset": 0, "length": units(text.split()[0])}
            ]
        if reply_to is not None:
            body["reply_to_message"] = self.record.messages[reply_to]
        if thread_id is not None:
            body["message_thread_id"], body["is_topic_message"] = thread_id, True
            # Telegram presents a message in a topic as a reply to the topic's first message
            body.setdefault("reply_to_message", self.record.messages[thread_id])
        return self.emu._from_person(user, self.record, "message", body)

    def photo(self, user: User, thread_id: int | None = None) -> Json:
        """A member posts a photo (in a topic when `thread_id` is given)."""
        self._check_member(user)
        body: Json = {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 9, "height": 9}]}
        if thread_id is not None:
            body["message_thread_id"], body["is_topic_message"] = thread_id, True
        return self.emu._from_person(user, self.record, "message", body)

    def press(self, user: User, message: Json, label: str) -> Json:
        """A member presses a button of one of the bot's messages in the group."""
        self._check_member(user)
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == label and "callback_data" in button:
                    return self.emu._press(user, self.record, message, button["callback_data"])
        raise AssertionError(f"no button {label!r} on message {message['message_id']}")

    def _check_member(self, user: User) -> None:
        """Telegram delivers nothing from someone who is not in the group: neither do we."""
        status = self.record.members.get(user.id, "left")
        if status not in ("creator", "administrator", "member", "restricted"):
            raise AssertionError(f"user {user.id} is not a member of {self.record.data['title']}")

    async def replies(self, count: int = 1, timeout: float = 5.0) -> list[Json]:
        return await _replies(self.record, count, timeout)

    async def quiet(self, seconds: float = 0.3) -> None:
        before = len(self.messages)
        await asyncio.sleep(seconds)
        assert len(self.messages) == before, "unexpected messages in the group"


async def _replies(record: ChatRecord, count: int, timeout: float) -> list[Json]:
    deadline = time.monotonic() + timeout
    while True:
        mine = record.bot_messages()
        if len(mine) - record.seen >= count:
            new = mine[record.seen : record.seen + count]
            record.seen += count
            return new
        record.changed.clear()
        left = deadline - time.monotonic()
        try:
            await asyncio.wait_for(record.changed.wait(), max(left, 0))
        except TimeoutError:
            got = [m.get("text") for m in mine[record.seen :]]
            raise TimeoutError(f"waited for {count} bot messages, got {got}") from None


def _in_thread(message: Json, thread_id: int) -> bool:
    return message.get("message_thread_id") == thread_id or message["message_id"] == thread_id


def _chat_of(update: Json) -> object:
    for kind in ("message", "edited_message"):
        if kind in update:
            return update[kind]["chat"]["id"]
    if "callback_query" in update:
        return update["callback_query"]["message"]["chat"]["id"]
    return update["update_id"]


def _text(params: Json) -> tuple[str, list[Json] | None]:
    raw = params.get("text")
    if raw is None or not str(raw).strip():
        raise bad("message text is empty")
    mode = params.get("parse_mode")
    if mode in (None, ""):
        text, entities = str(raw), None
    elif str(mode).upper() == "HTML":
        try:
            text, entities = parse_html(str(raw))
        except HtmlError as error:
            raise bad(f"can't parse entities: {error}") from None
    else:
        raise bad(f"parse mode {mode} is not supported by this emulator (only HTML)")
    if not text.strip():
        raise bad("message text is empty")
    if units(text) > TEXT_LIMIT:
        raise bad("message is too long")
    return text, entities or None


def _markup(markup: Any) -> Json | None:
    if markup in (None, "", {}):
        return None
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        raise bad("only inline keyboards are supported by this emulator")
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise bad(
                    "BUTTON_TEXT_EMPTY"
                    if isinstance(button, dict)
                    else "can't parse inline keyboard button"
                )
            kinds = [k for k in ("callback_data", "url") if k in button]
            if len(kinds) != 1:
                raise bad("can't parse inline keyboard button: one of callback_data, url expected")
            if (
                "callback_data" in button
                and not 1 <= len(str(button["callback_data"]).encode()) <= 64
            ):
                raise bad("BUTTON_DATA_INVALID")
    return {"inline_keyboard": rows} if any(rows) else None


async def _params(request: web.Request) -> Json:
    raw: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            raw.update(await request.json())
        else:
            raw.update(await request.post())
    return {key: _decode(value) for key, value in raw.items()}


def _decode(value: Any) -> Any:
    if (isinstance(value, str) and value[:1] in ("{", "[", '"')) or value in ("true", "false"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _error(error: ApiError) -> web.Response:
    body: Json = {"ok": False, "error_code": error.code, "description": error.description}
    if error.retry_after is not None:
        body["parameters"] = {"retry_after": error.retry_after}
    return web.json_response(body, status=error.code)


METHODS = {
    "getme": Emulator.get_me,
    "getupdates": Emulator.get_updates,
    "sendmessage": Emulator.send_message,
    "editmessagetext": Emulator.edit_message_text,
    "editmessagereplymarkup": Emulator.edit_message_reply_markup,
    "deletemessage": Emulator.delete_message,
    "answercallbackquery": Emulator.answer_callback_query,
    "setmycommands": Emulator.set_my_commands,
    "getmycommands": Emulator.get_my_commands,
    "deletemycommands": Emulator.delete_my_commands,
    "sendchataction": Emulator.send_chat_action,
    "setwebhook": Emulator.set_webhook,
    "deletewebhook": Emulator.delete_webhook,
    "getwebhookinfo": Emulator.get_webhook_info,
    "getchat": Emulator.get_chat,
    "getchatmember": Emulator.get_chat_member,
    "createforumtopic": Emulator.create_forum_topic,
    "editforumtopic": Emulator.edit_forum_topic,
    "closeforumtopic": Emulator.close_forum_topic,
    "reopenforumtopic": Emulator.reopen_forum_topic,
    "deleteforumtopic": Emulator.delete_forum_topic,
    "deletemessages": Emulator.delete_messages,
}
