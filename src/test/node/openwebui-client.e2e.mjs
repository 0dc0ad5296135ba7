// Behaves as the unmodified Open WebUI web client (src/routes/+layout.svelte) against the gateway,
// and checks every answer. Usage: GATEWAY_URL=http://127.0.0.1:8080 TOKEN=<jwt> USER_ID=<id>
// [TRANSPORTS=polling | polling,websocket] node openwebui-client.e2e.mjs   (exit code 0 = every
// check passed). TRANSPORTS is the client's transport list; the web client's default is websocket
// (Open WebUI's ENABLE_WEBSOCKET_SUPPORT=true), polling,websocket when that is false.
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';

const url = process.env.GATEWAY_URL;
const token = process.env.TOKEN;
const userId = process.env.USER_ID;
const transports = (process.env.TRANSPORTS ?? 'websocket').split(',');
const deadline = (ms, what) =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));
const within = (promise, what, ms = 5000) => Promise.race([promise, deadline(ms, what)]);

async function api(path, body) {
  const response = await fetch(`${url}/internal/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  return { status: response.status, json: await response.json() };
}

// Generous: a busy 2-core CI machine can take seconds to finish an upgrade; this is no timing test.
async function eventually(check, what) {
  const end = Date.now() + 15000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw new Error(`${what}: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

// The web client's socket options (lib/stores + +layout.svelte).
const socket = io(url, {
  reconnection: true,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
  path: '/ws/socket.io',
  transports,
  auth: { token }
});

const received = [];
socket.on('events', (event, ack) => {
  received.push(event);
  const type = event?.data?.type;
  if (typeof ack === 'function' && type === 'execute:python') {
    ack({ stdout: `ran ${event.data.data.code}`, stderr: '', result: null });
  }
});

await within(new Promise((resolve) => socket.on('connect', resolve)), 'connect');
// On every connect the web client re-announces the user and starts its heartbeat.
socket.emit('user-join', { auth: { token } });
socket.emit('heartbeat', {});
console.log(`connected as ${socket.id} over ${socket.io.engine.transport.name}`);
if (transports.length > 1) {
  // Polling first, then the upgrade the handshake offers.
  await eventually(async () => assert.equal(socket.io.engine.transport.name, 'websocket'), 'upgrade');
}

await eventually(async () => {
  const { json } = await api(`/sessions?user_id=${encodeURIComponent(userId)}`);
  assert.ok(json.sessions.some((s) => s.sid === socket.id), 'session registered');
}, 'session pool lists the tab');

const chatEvent = {
  chat_id: 'chat-1',
  message_id: 'msg-1',
  data: { type: 'chat:completion', data: { content: 'Hello from the backend' } }
};
const emitted = await api('/emit', { event: 'events', room: `user:${userId}`, data: chatEvent });
assert.equal(emitted.status, 202);
assert.deepEqual(emitted.json, { status: true });
await eventually(async () => assert.deepEqual(received.at(-1), chatEvent), 'events reached the tab');

const call = await api('/call', {
  session_id: socket.id,
  data: { chat_id: 'chat-1', message_id: 'msg-1', data: { type: 'execute:python', data: { code: 'print(1)' } } },
  timeout_ms: 5000
});
assert.equal(call.status, 200);
assert.deepEqual(call.json, { result: { stdout: 'ran print(1)', stderr: '', result: null } });

socket.emit('usage', { action: 'chat', model: 'llama3', chat_id: 'chat-1' });
await eventually(async () => {
  const { json } = await api('/usage');
  assert.ok(json.model_ids.includes('llama3'), 'model in use');
}, 'usage pool lists the model');

socket.disconnect();
await eventually(async () => {
  const { json } = await api(`/sessions?user_id=${encodeURIComponent(userId)}`);
  assert.ok(!json.sessions.some((s) => s.sid === socket.id), 'session removed');
}, 'disconnect clears the session pool');

console.log('open-webui client e2e: all checks passed');
process.exit(0);
