// A chat reply from the gateway's echo model, received as the unmodified Open WebUI web client
// receives it: the tab connects and joins, POSTs /api/chat/completions with its socket id and chat
// id, gets {status, task_ids, chat_id} at once, then the reply over `events`.
// Usage: GATEWAY_URL=http://127.0.0.1:8080 TOKEN=<jwt> node echo-completion.e2e.mjs
// (exit code 0 = every check passed)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

const url = process.env.GATEWAY_URL;
const token = process.env.TOKEN;
const prompt = 'the quick brown fox jumps over the lazy dog';

const socket = io(url, {
  reconnection: true,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
  path: '/ws/socket.io',
  transports: ['websocket'],
  auth: { token }
});

const chatId = randomUUID();
const messageId = randomUUID();
const received = [];
let finished;
const inactive = new Promise((resolve) => (finished = resolve));
socket.on('events', (event) => {
  if (event?.chat_id !== chatId) return;
  assert.equal(event.message_id, messageId, 'every event names the assistant message');
  received.push(event.data);
  if (event.data.type === 'chat:active' && event.data.data.active === false) finished();
});

await Promise.race([
  new Promise((resolve) => socket.on('connect', resolve)),
  new Promise((_, reject) => setTimeout(() => reject(new Error('timed out: connect')), 5000))
]);
// The web client joins with an ack, so the tab is in its user room before it asks for a reply.
const joined = await socket.timeout(5000).emitWithAck('user-join', { auth: { token } });
assert.ok(joined?.id, 'user-join answered with the user');
console.log(`connected as ${socket.id}`);

const response = await fetch(`${url}/api/chat/completions`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
  body: JSON.stringify({
    model: 'echo',
    stream: true,
    messages: [{ role: 'user', content: prompt }],
    session_id: socket.id,
    chat_id: chatId,
    id: messageId,
    params: {},
    background_tasks: { title_generation: true }
  })
});
assert.equal(response.status, 200);
const started = await response.json();
assert.equal(started.status, true);
assert.equal(started.chat_id, chatId);
assert.equal(started.task_ids.length, 1);

await Promise.race([
  inactive,
  new Promise((_, reject) => setTimeout(() => reject(new Error('timed out: reply')), 20000))
]);

const types = received.map((data) => data.type);
assert.equal(types[0], 'chat:active');
assert.equal(received[0].data.active, true);
assert.equal(types.at(-1), 'chat:active');
const completions = received.filter((data) => data.type === 'chat:completion');
const snapshots = completions.filter((data) => data.data.output && !data.data.done);
const words = prompt.split(' ');
assert.equal(snapshots.length, words.length, 'one snapshot per word');
snapshots.forEach((snapshot, index) => {
  const item = snapshot.data.output[0];
  assert.equal(item.type, 'message');
  assert.equal(item.role, 'assistant');
  assert.equal(item.status, 'in_progress');
  assert.equal(item.content[0].type, 'output_text');
  assert.equal(item.content[0].text, words.slice(0, index + 1).join(' '));
});
const done = completions.at(-1).data;
assert.equal(done.done, true);
assert.equal(done.output[0].status, 'completed');
assert.equal(done.output[0].content[0].text, prompt);
assert.equal(done.usage.completion_tokens, words.length);
assert.ok(types.indexOf('chat:completion') > 0 && types.lastIndexOf('chat:completion') < types.length - 1);

// Like the web client after a reconnect: no task is left for the chat.
const tasks = await fetch(`${url}/api/tasks/chat/${chatId}`, {
  headers: { Authorization: `Bearer ${token}` }
});
assert.deepEqual(await tasks.json(), { task_ids: [] });

socket.disconnect();
console.log(`received ${received.length} events: ${types.join(', ')}`);
console.log('echo completion e2e: all checks passed');
