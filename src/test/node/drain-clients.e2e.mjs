// A rolling update seen from Open WebUI web clients (socket.io-client 4.8, the web client's
// reconnection settings): connects one client per token through GATEWAY_URL (a balancer in front
// of two replicas), starts a streaming chat task on DRAIN_URL for the second client's user, sends
// SIGTERM to DRAIN_PID, then checks that every client is connected again within 5 s, that the
// task's user got chat:tasks:cancel, and that every client gets the next emit to its user room
// (posted to SURVIVOR_URL). Prints "SIDS <json>" (the clients' sids at the end) and the success
// line. Usage: GATEWAY_URL=... DRAIN_URL=... SURVIVOR_URL=... DRAIN_PID=... TOKENS='[...]'
// USERS='[...]' node drain-clients.e2e.mjs
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';

const url = process.env.GATEWAY_URL;
const tokens = JSON.parse(process.env.TOKENS);
const users = JSON.parse(process.env.USERS);
const deadline = (ms, what) =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));
const within = (promise, what, ms) => Promise.race([promise, deadline(ms, what)]);

const clients = tokens.map((token, i) => {
  const socket = io(url, {
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
    path: '/ws/socket.io',
    // A fifth of them long-poll (Open WebUI's ENABLE_WEBSOCKET_SUPPORT=false clients).
    transports: i % 5 === 0 ? ['polling'] : ['websocket'],
    auth: { token }
  });
  const client = { socket, events: [], connects: 0 };
  socket.on('connect', () => client.connects++);
  socket.on('events', (event) => client.events.push(event));
  return client;
});

await within(
  Promise.all(clients.map((c) => (c.socket.connected ? null : new Promise((r) => c.socket.once('connect', r))))),
  'every client connected',
  30000
);
console.log(`connected ${clients.length} clients`);

// A chat reply streaming on the replica that drains.
const task = await fetch(`${process.env.DRAIN_URL}/api/chat/completions`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[1]}` },
  body: JSON.stringify({
    model: 'echo',
    stream: true,
    chat_id: 'drain-chat',
    id: 'drain-message',
    session_id: clients[1].socket.id,
    messages: [{ role: 'user', content: Array(300).fill('word').join(' ') }]
  })
});
assert.equal(task.status, 200, 'task started');

const sigterm = Date.now();
process.kill(Number(process.env.DRAIN_PID), 'SIGTERM');
// Moved: every client connected, and every one of them on the survivor.
async function socketsOnSurvivor() {
  try {
    const ready = await (await fetch(`${process.env.SURVIVOR_URL}/q/health/ready`)).json();
    return ready.checks.find((check) => check.name === 'socket-io').data.sockets;
  } catch {
    return -1;
  }
}
let onSurvivor = -1;
while (!(clients.every((c) => c.socket.connected) && (onSurvivor = await socketsOnSurvivor()) === clients.length)) {
  if (Date.now() - sigterm > 5000) {
    const left = clients.filter((c) => !c.socket.connected).length;
    throw new Error(
      `not every client back within 5 s: ${left} disconnected, ${onSurvivor} sockets on the survivor ` +
        `at its last answer (-1: none yet), ${clients.filter((c) => c.connects > 1).length} reconnected`
    );
  }
  await new Promise((r) => setTimeout(r, 20));
}
const movedMs = Date.now() - sigterm;
const reconnected = clients.filter((c) => c.connects > 1).length;
console.log(`every client connected again ${movedMs} ms after SIGTERM (${reconnected} reconnected)`);
assert.ok(reconnected > 0, 'some clients were on the drained replica');

assert.ok(
  clients[1].events.some((e) => e?.data?.type === 'chat:tasks:cancel'),
  'the stopped task reached its user as chat:tasks:cancel'
);

for (let i = 0; i < clients.length; i++) {
  const response = await fetch(`${process.env.SURVIVOR_URL}/internal/v1/emit`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ event: 'events', room: `user:${users[i]}`, data: { after: i } })
  });
  assert.equal(response.status, 202);
}
const end = Date.now() + 5000;
while (!clients.every((c, i) => c.events.some((e) => e?.after === i))) {
  if (Date.now() > end) throw new Error('the emit after the drain did not reach every client');
  await new Promise((r) => setTimeout(r, 20));
}
console.log(`SIDS ${JSON.stringify(clients.map((c) => c.socket.id))}`);
console.log('drain e2e: all checks passed');
clients.forEach((c) => c.socket.disconnect());
process.exit(0);
