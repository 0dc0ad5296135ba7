"""Benchmark peer: the gateway's handlers and HTTP API on python-socketio, for side-by-side load tests.

Contract: bench/peers/README.md. Redis mode (REDIS_URL set) uses socketio.AsyncRedisManager, plus a
Redis set of connected sids so that a call to an unknown sid answers 404 at once on every process.
Run with Debian's /usr/bin/python3 (python3-socketio, python3-aiohttp, python3-jwt, python3-redis).
"""
import asyncio
import json
import os
import time

import jwt
import socketio
from aiohttp import web

PORT = int(os.environ.get("PORT", "8090"))
SECRET = os.environ.get("WEBUI_SECRET_KEY", "bench-secret")
REDIS_URL = os.environ.get("REDIS_URL", "")
# Engine.IO transports served: "websocket" (default), "polling", or both, comma-separated.
TRANSPORTS = [t.strip() for t in os.environ.get("PEER_TRANSPORTS", "websocket").split(",") if t.strip()]
SIDS_KEY = "bench-peer:sids"
NOT_CONNECTED = "Client session disconnected."
TIMED_OUT = "Event call timed out. The browser tab may be inactive or closed."

manager = socketio.AsyncRedisManager(REDIS_URL) if REDIS_URL else None
sio = socketio.AsyncServer(
    async_mode="aiohttp",
    client_manager=manager,
    transports=TRANSPORTS,
    ping_interval=25,
    ping_timeout=20,
    max_http_buffer_size=1_000_000,
    cors_allowed_origins="*",
)
usage = {}  # sid -> {"model", "updated_at"}
gone = {}  # sid on this process -> Event set when it disconnects
state = {"redis": None}


def verify(token):
    """The token's user as {"id", "name"}, or None when missing, badly signed or expired."""
    if not isinstance(token, str) or not token:
        return None
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    if not isinstance(claims.get("id"), str) or not claims["id"]:
        return None
    return {"id": claims["id"], "name": claims.get("name")}


async def join_user(sid, user):
    await sio.save_session(sid, {"user": user})
    sio.enter_room(sid, f"user:{user['id']}")


@sio.event
async def connect(sid, environ, auth=None):
    gone[sid] = asyncio.Event()
    if state["redis"] is not None:
        await state["redis"].sadd(SIDS_KEY, sid)
    user = verify(auth.get("token") if isinstance(auth, dict) else None)
    if user:
        await join_user(sid, user)


@sio.event
async def disconnect(sid):
    usage.pop(sid, None)
    event = gone.pop(sid, None)
    if event:
        event.set()
    if state["redis"] is not None:
        await state["redis"].srem(SIDS_KEY, sid)


@sio.on("user-join")
async def user_join(sid, data=None):
    auth = data.get("auth") if isinstance(data, dict) else None
    user = verify(auth.get("token") if isinstance(auth, dict) else None)
    if user is None:
        return None
    await join_user(sid, user)
    return {"id": user["id"], "name": user["name"]}


@sio.on("heartbeat")
async def heartbeat(sid, data=None):
    return None


@sio.on("usage")
async def on_usage(sid, data=None):
    if isinstance(data, dict) and isinstance(data.get("model"), str):
        usage[sid] = {"model": data["model"], "updated_at": time.time()}


@sio.on("join-channel")
async def join_channel(sid, data=None):
    if isinstance(data, dict) and isinstance(data.get("channel"), str) and data["channel"]:
        sio.enter_room(sid, f"channel:{data['channel']}")


def error(status, message, field=None):
    body = {"error": message} if field is None else {"error": message, "field": field}
    return web.json_response(body, status=status)


async def read_body(request):
    try:
        body = json.loads(await request.read())
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def is_room(room):
    return isinstance(room, str) or (isinstance(room, list) and all(isinstance(r, str) for r in room))


async def emit_route(request):
    body = await read_body(request)
    if body is None:
        return error(400, "body must be a JSON object")
    event, room, to = body.get("event"), body.get("room"), body.get("to")
    if not isinstance(event, str) or not event:
        return error(400, "event is required", "event")
    if room is not None and not is_room(room):
        return error(400, "room must be a string or a list of strings", "room")
    if to is not None and not isinstance(to, str):
        return error(400, "to must be a string", "to")
    targets = ([room] if isinstance(room, str) else list(room or [])) + ([to] if to else [])
    # python-socketio 5.7's AsyncManager takes one room per emit: a socket in two listed rooms gets it twice
    for target in targets or [None]:
        await sio.emit(event, body.get("data"), to=target)
    return web.json_response({"status": True}, status=202)


async def is_connected(sid):
    if sid in gone:
        return True
    return state["redis"] is not None and bool(await state["redis"].sismember(SIDS_KEY, sid))


async def call_route(request):
    body = await read_body(request)
    if body is None:
        return error(400, "body must be a JSON object")
    sid, event = body.get("session_id"), body.get("event", "events")
    timeout_ms = body.get("timeout_ms", 60000)
    if not isinstance(sid, str) or not sid:
        return error(400, "session_id is required", "session_id")
    if not isinstance(event, str) or not event:
        return error(400, "event must be a string", "event")
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, int) or timeout_ms <= 0:
        return error(400, "timeout_ms must be a positive integer", "timeout_ms")
    if not await is_connected(sid):
        return error(404, NOT_CONNECTED)
    call = asyncio.ensure_future(sio.call(event, body.get("data"), to=sid, timeout=timeout_ms / 1000))
    waits = {call}
    if sid in gone:  # a sid on this process: stop waiting when it disconnects
        waits.add(asyncio.ensure_future(gone[sid].wait()))
    done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    if call not in done:
        return error(404, NOT_CONNECTED)
    try:
        result = call.result()
    except socketio.exceptions.TimeoutError:
        return error(504, TIMED_OUT)
    return web.json_response({"result": list(result) if isinstance(result, tuple) else result})


async def health(request):
    return web.json_response({"status": "ok"})


async def open_redis(app):
    if REDIS_URL:
        import redis.asyncio

        state["redis"] = redis.asyncio.Redis.from_url(REDIS_URL)
        # python-socketio subscribes on its first client; a process that only serves HTTP must too
        sio.manager_initialized = True
        sio.manager.initialize()


async def close_redis(app):
    if state["redis"] is not None:
        if gone:
            await state["redis"].srem(SIDS_KEY, *gone.keys())
        await state["redis"].close()


app = web.Application(client_max_size=1_000_000)
sio.attach(app, socketio_path="/ws/socket.io")
app.router.add_post("/internal/v1/emit", emit_route)
app.router.add_post("/internal/v1/call", call_route)
app.router.add_get("/health", health)
app.on_startup.append(open_redis)
app.on_cleanup.append(close_redis)

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=PORT, access_log=None)
