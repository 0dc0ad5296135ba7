// A chat reply whose model calls a function of a direct tool server, with the unmodified Open
// WebUI web client's socket as the browser that runs it: the tab receives `events` with
// data.type `execute:tool` and an ack, answers [responseData, responseHeaders] as the web client
// does, and the model's answer to that result ends the reply. The fake model server is scripted by
// the Java test: first round a call of get_weather, second round "It is sunny.".
// Usage: GATEWAY_URL=http://127.0.0.1:8080 TOKEN=<jwt> node tool-call.e2e.mjs
// (exit code 0 = every check passed)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

const url = process.env.GATEWAY_URL;
const token = process.env.TOKEN;

const socket = io(url, {
  reconnection: true,
  path: '/ws/socket.io',
  transports: ['websocket'],
  auth: { token }
});

const chatId = randomUUID();
const messageId = randomUUID();
const received = [];
const toolCalls = [];
let finished;
const inactive = new Promise((resolve) => (finished = resolve));
socket.on('events', (event, ack) => {
  // How the web client's layout answers a call addressed to this tab.
  if (event?.data?.type === 'execute:tool' && event.data.data.session_id === socket.id) {
    toolCalls.push(event.data.data);
    ack([{ city: event.data.data.params.city, temperature: 21, sky: 'sunny' }, { 'content-type': 'application/json' }]);
    return;
  }
  if (event?.chat_id !== chatId) return;
  received.push(event.data);
  if (event.data.type === 'chat:active' && event.data.data.active === false) finished();
});

await Promise.race([
  new Promise((resolve) => socket.on('connect', resolve)),
  new Promise((_, reject) => setTimeout(() => reject(new Error('timed out: connect')), 5000))
]);
const joined = await socket.timeout(5000).emitWithAck('user-join', { auth: { token } });
assert.ok(joined?.id, 'user-join answered with the user');

const response = await fetch(`${url}/api/chat/completions`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
  body: JSON.stringify({
    model: 'fake-model',
    stream: true,
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    session_id: socket.id,
    chat_id: chatId,
    id: messageId,
    tool_servers: [
      {
        url: 'http://localhost:9999',
        idx: 0,
        specs: [
          {
            name: 'get_weather',
            description: 'The weather in a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
          }
        ]
      }
    ]
  })
});
assert.equal(response.status, 200);
assert.equal((await response.json()).status, true);

await Promise.race([
  inactive,
  new Promise((_, reject) => setTimeout(() => reject(new Error('timed out: reply')), 20000))
]);

assert.equal(toolCalls.length, 1, 'the tab was asked once');
assert.equal(toolCalls[0].name, 'get_weather');
assert.deepEqual(toolCalls[0].params, { city: 'Paris' });
assert.equal(toolCalls[0].server.url, 'http://localhost:9999');
const statuses = received.filter((data) => data.type === 'status').map((data) => data.data.done);
assert.deepEqual(statuses, [false, true], 'status events come in a pair around the call');
const done = received.find((data) => data.type === 'chat:completion' && data.data.done);
assert.ok(done, 'the reply finished');
const types = done.data.output.map((item) => item.type);
assert.deepEqual(types, ['function_call', 'function_call_output', 'message']);
assert.match(done.data.output[1].output[0].text, /sunny/);
assert.equal(done.data.output[2].content[0].text, 'It is sunny.');
socket.close();
console.log('tool call e2e: all checks passed');
