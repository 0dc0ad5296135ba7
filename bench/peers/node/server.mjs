// Benchmark peer: the gateway's handlers and HTTP API on Node socket.io, for side-by-side load tests.
// Contract: bench/peers/README.md. Redis mode (REDIS_URL set) uses @socket.io/redis-adapter.
import http from "node:http";
import { Server } from "socket.io";
import jwt from "jsonwebtoken";

const PORT = Number(process.env.PORT || 8090);
const SECRET = process.env.WEBUI_SECRET_KEY || "bench-secret";
const REDIS_URL = process.env.REDIS_URL || "";
// Engine.IO transports served: "websocket" (default), "polling", or both, comma-separated.
const TRANSPORTS = (process.env.PEER_TRANSPORTS || "websocket").split(",").map((t) => t.trim()).filter(Boolean);
const NOT_CONNECTED = "Client session disconnected.";
const TIMED_OUT = "Event call timed out. The browser tab may be inactive or closed.";

const usage = new Map(); // sid -> {model, updatedAt}

/** The token's user, or null when the token is missing, badly signed or expired. */
function verify(token) {
  if (typeof token !== "string" || token === "") return null;
  try {
    const claims = jwt.verify(token, SECRET, { algorithms: ["HS256"] });
    if (typeof claims.id !== "string" || claims.id === "") return null;
    return { id: claims.id, name: claims.name ?? null };
  } catch {
    return null;
  }
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size <= 1e6) chunks.push(c);
    });
    req.on("end", () => {
      if (size > 1e6) return resolve(undefined);
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        resolve(body !== null && typeof body === "object" && !Array.isArray(body) ? body : undefined);
      } catch {
        resolve(undefined);
      }
    });
    req.on("error", () => resolve(undefined));
  });
}

const isRoom = (r) => typeof r === "string" || (Array.isArray(r) && r.every((x) => typeof x === "string"));

async function emitRoute(body, res) {
  if (typeof body.event !== "string" || body.event === "") return sendJson(res, 400, { error: "event is required", field: "event" });
  if (body.room !== undefined && body.room !== null && !isRoom(body.room)) return sendJson(res, 400, { error: "room must be a string or a list of strings", field: "room" });
  if (body.to !== undefined && body.to !== null && typeof body.to !== "string") return sendJson(res, 400, { error: "to must be a string", field: "to" });
  const targets = [];
  if (body.room != null) targets.push(...[body.room].flat());
  if (body.to != null) targets.push(body.to);
  (targets.length ? io.to(targets) : io).emit(body.event, body.data ?? null);
  sendJson(res, 202, { status: true });
}

/** Waits for one sid's ack: on this process with every ack argument, else through the adapter (first argument only). */
function callRoute(body, res) {
  const sid = body.session_id;
  const event = body.event ?? "events";
  const timeout = body.timeout_ms ?? 60000;
  if (typeof sid !== "string" || sid === "") return sendJson(res, 400, { error: "session_id is required", field: "session_id" });
  if (typeof event !== "string" || event === "") return sendJson(res, 400, { error: "event must be a string", field: "event" });
  if (!Number.isInteger(timeout) || timeout <= 0) return sendJson(res, 400, { error: "timeout_ms must be a positive integer", field: "timeout_ms" });
  const data = body.data ?? null;
  const local = io.sockets.sockets.get(sid);
  if (local) {
    return new Promise((resolve) => {
      let done = false;
      const finish = (status, answer) => {
        if (done) return;
        done = true;
        local.off("disconnect", onGone);
        sendJson(res, status, answer);
        resolve();
      };
      const onGone = () => finish(404, { error: NOT_CONNECTED });
      local.once("disconnect", onGone);
      local.timeout(timeout).emit(event, data, (err, ...args) => {
        if (err) return finish(504, { error: TIMED_OUT });
        finish(200, { result: args.length === 0 ? null : args.length === 1 ? args[0] : args });
      });
    });
  }
  if (!REDIS_URL) return sendJson(res, 404, { error: NOT_CONNECTED });
  return io
    .to(sid)
    .timeout(timeout)
    .emitWithAck(event, data)
    .then(
      (acks) => (acks.length === 0 ? sendJson(res, 404, { error: NOT_CONNECTED }) : sendJson(res, 200, { result: acks[0] ?? null })),
      () => sendJson(res, 504, { error: TIMED_OUT }),
    );
}

async function onRequest(req, res) {
  const path = (req.url || "/").split("?")[0];
  try {
    if (req.method === "GET" && path === "/health") return sendJson(res, 200, { status: "ok" });
    if (req.method === "POST" && (path === "/internal/v1/emit" || path === "/internal/v1/call")) {
      const body = await readJson(req);
      if (!body) return sendJson(res, 400, { error: "body must be a JSON object" });
      return path.endsWith("/emit") ? await emitRoute(body, res) : await callRoute(body, res);
    }
    sendJson(res, 404, { error: "not found" });
  } catch (e) {
    if (!res.headersSent) sendJson(res, 500, { error: String(e?.message ?? e) });
  }
}

const httpServer = http.createServer(onRequest);
const options = {
  path: "/ws/socket.io",
  transports: TRANSPORTS,
  pingInterval: 25000,
  pingTimeout: 20000,
  maxHttpBufferSize: 1e6,
  cors: { origin: "*" },
  serveClient: false,
};
if (REDIS_URL) {
  const { createClient } = await import("redis");
  const { createAdapter } = await import("@socket.io/redis-adapter");
  const pub = createClient({ url: REDIS_URL });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on("error", (e) => console.error("redis:", e.message));
  await Promise.all([pub.connect(), sub.connect()]);
  options.adapter = createAdapter(pub, sub);
}
const io = new Server(httpServer, options);

/** Registers a handler whose return value (an array) is the ack's arguments, sent when the client asked for one. */
function handle(socket, event, fn) {
  socket.on(event, (...args) => {
    const ack = typeof args.at(-1) === "function" ? args.pop() : null;
    const answer = fn(args[0]) ?? [];
    if (ack) ack(...answer);
  });
}

io.on("connection", (socket) => {
  const user = verify(socket.handshake.auth?.token);
  if (user) {
    socket.data.user = user;
    socket.join(`user:${user.id}`);
  }
  handle(socket, "user-join", (payload) => {
    const u = verify(payload?.auth?.token);
    if (!u) return [];
    socket.data.user = u;
    socket.join(`user:${u.id}`);
    return [{ id: u.id, name: u.name }];
  });
  handle(socket, "heartbeat", () => []);
  handle(socket, "usage", (payload) => {
    if (typeof payload?.model === "string") usage.set(socket.id, { model: payload.model, updatedAt: Date.now() / 1000 });
  });
  handle(socket, "join-channel", (payload) => {
    if (typeof payload?.channel === "string" && payload.channel !== "") socket.join(`channel:${payload.channel}`);
  });
  socket.on("disconnect", () => usage.delete(socket.id));
});

httpServer.listen(PORT, "127.0.0.1", () => console.log(`node peer on 127.0.0.1:${PORT}${REDIS_URL ? " (redis)" : ""}, ${TRANSPORTS.join("+")}`));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
