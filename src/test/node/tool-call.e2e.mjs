// Chat replies that call tools, with the unmodified Open WebUI web client's socket as the browser:
// 1. a direct tool server's function: the tab receives `events` with data.type `execute:tool` and
//    an ack, answers [responseData, responseHeaders] as the web client does, and the model's answer
//    to that result ends the reply (the fake model server is scripted by the Java test: first round
//    a call of get_weather, second round "It is sunny.");
// 2. server-side tools of TOOL_SERVER_CONNECTIONS, called by the echo model's "/call": inline HTML
//    of the OpenAPI server becomes `embeds`, the MCP server's image becomes `files`;
// 3. a stop during the OpenAPI server's slow tool ends the reply with `chat:tasks:cancel`.
// Every call's `status` events come in a pair, in order, around it (the stopped one only opens).
// Usage: GATEWAY_URL=http://127.0.0.1:8080 TOKEN=<jwt> OPENAPI_TOOLS=server:0
//   MCP_TOOLS=server:mcp:web MCP_PREFIX=web node tool-call.e2e.mjs   (exit code 0 = all passed)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

const url = process.env.GATEWAY_URL;
const token = process.env.TOKEN;
const openApiTools = process.env.OPENAPI_TOOLS;
const mcpTools = process.env.MCP_TOOLS;
const mcpPrefix = process.env.MCP_PREFIX;

const socket = io(url, {
  reconnection: true,
  path: '/ws/socket.io',
  transports: ['websocket'],
  auth: { token }
});

const chats = new Map();
const toolCalls = [];
socket.on('events', (event, ack) => {
  // How the web client's layout answers a call addressed to this tab.
  if (event?.data?.type === 'execute:tool' && event.data.data.session_id === socket.id) {
    toolCalls.push(event.data.data);
    ack([{ city: event.data.data.params.city, temperature: 21, sky: 'sunny' }, { 'content-type': 'application/json' }]);
    return;
  }
  const chat = chats.get(event?.chat_id);
  if (!chat) return;
  chat.received.push(event.data);
  chat.onEvent?.(event.data);
  if (event.data.type === 'chat:active' && event.data.data.active === false) chat.finished();
});

function within(promise, ms, what) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))
  ]);
}

/** Starts a reply in a new chat; resolves with its task id. */
async function start(chat, body) {
  const response = await fetch(`${url}/api/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      stream: true,
      session_id: socket.id,
      chat_id: chat.id,
      id: randomUUID(),
      ...body
    })
  });
  assert.equal(response.status, 200);
  const answer = await response.json();
  assert.equal(answer.status, true);
  return answer.task_ids[0];
}

function newChat(onEvent) {
  const chat = { id: randomUUID(), received: [], onEvent };
  chat.inactive = new Promise((resolve) => (chat.finished = resolve));
  chats.set(chat.id, chat);
  return chat;
}

/** Runs one reply to its end and returns the `data` of every event of its chat. */
async function reply(body) {
  const chat = newChat();
  await start(chat, body);
  await within(chat.inactive, 20000, 'reply');
  return chat.received;
}

function statuses(received) {
  return received.filter((data) => data.type === 'status').map((data) => data.data.done);
}

function finalOutput(received) {
  const done = received.find((data) => data.type === 'chat:completion' && data.data.done);
  assert.ok(done, 'the reply finished');
  return done.data.output;
}

await within(new Promise((resolve) => socket.on('connect', resolve)), 5000, 'connect');
const joined = await socket.timeout(5000).emitWithAck('user-join', { auth: { token } });
assert.ok(joined?.id, 'user-join answered with the user');

// 1. A direct tool server's function, run by this tab.
let received = await reply({
  model: 'fake-model',
  messages: [{ role: 'user', content: 'Weather in Paris?' }],
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
});
assert.equal(toolCalls.length, 1, 'the tab was asked once');
assert.equal(toolCalls[0].name, 'get_weather');
assert.deepEqual(toolCalls[0].params, { city: 'Paris' });
assert.equal(toolCalls[0].server.url, 'http://localhost:9999');
assert.deepEqual(statuses(received), [false, true], 'status events come in a pair around the call');
let output = finalOutput(received);
assert.deepEqual(output.map((item) => item.type), ['function_call', 'function_call_output', 'message']);
assert.match(output[1].output[0].text, /sunny/);
assert.equal(output[2].content[0].text, 'It is sunny.');

// 2a. Inline HTML of an OpenAPI tool server: an embed, between the pair of status events.
received = await reply({
  model: 'echo',
  messages: [{ role: 'user', content: '/call show_card {}' }],
  tool_ids: [openApiTools]
});
let types = received.map((data) => data.type);
assert.deepEqual(statuses(received), [false, true]);
const embeds = received.find((data) => data.type === 'embeds');
assert.ok(embeds, 'inline HTML became embeds');
assert.match(embeds.data.embeds[0], /</);
assert.ok(types.indexOf('status') < types.indexOf('embeds'), 'embeds after "Calling"');
assert.ok(types.indexOf('embeds') < types.lastIndexOf('status'), 'embeds before "Called"');
assert.equal(finalOutput(received)[2].status, 'completed');

// 2b. An MCP server's image: a file, between the pair of status events.
received = await reply({
  model: 'echo',
  messages: [{ role: 'user', content: `/call ${mcpPrefix}_render_chart {}` }],
  tool_ids: [mcpTools]
});
types = received.map((data) => data.type);
assert.deepEqual(statuses(received), [false, true]);
const files = received.find((data) => data.type === 'files');
assert.ok(files, 'the MCP image became files');
assert.equal(files.data.files[0].type, 'image');
assert.match(files.data.files[0].url, /^data:image\/png;base64,/);
assert.ok(types.indexOf('status') < types.indexOf('files'), 'files after "Calling"');
assert.ok(types.indexOf('files') < types.lastIndexOf('status'), 'files before "Called"');

// 3. A stop while the slow tool runs: the reply ends cancelled, the call never completes.
let sawCalling;
const calling = new Promise((resolve) => (sawCalling = resolve));
const slow = newChat((data) => {
  if (data.type === 'status' && data.data.done === false) sawCalling();
});
const taskId = await start(slow, {
  model: 'echo',
  messages: [{ role: 'user', content: '/call slow_operation {}' }],
  tool_ids: [openApiTools]
});
await within(calling, 10000, 'slow call');
const stop = await fetch(`${url}/api/tasks/stop/${taskId}`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${token}` }
});
assert.equal(stop.status, 200);
await within(slow.inactive, 5000, 'stopped reply');
types = slow.received.map((data) => data.type);
assert.deepEqual(statuses(slow.received), [false], 'the stopped call never reports "Called"');
assert.ok(types.includes('chat:tasks:cancel'), 'the reply was cancelled');
assert.ok(!slow.received.some((data) => data.type === 'chat:completion' && data.data.done));
const cancelled = slow.received.find((data) => data.type === 'chat:tasks:cancel').data.output;
assert.equal(cancelled.find((item) => item.type === 'function_call').status, 'incomplete');
assert.ok(!cancelled.some((item) => item.type === 'function_call_output'));

socket.close();
console.log('tool call e2e: all checks passed');
