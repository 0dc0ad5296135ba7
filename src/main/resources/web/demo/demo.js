// The demo chat page: signs in as a demo user (POST /demo/token), connects as Open WebUI's web
// client does, sends messages as chat tasks and shows every socket event. Every string shown is
// set with textContent: nothing received is ever parsed as HTML.
'use strict';

const TOKEN_KEY = 'realtime-gateway-demo-session';
const MAX_LOG_ROWS = 300;
const $ = (id) => document.getElementById(id);

let session; // {token, user: {id, name, role}, expires_at, socket_path}
let socket;
let chatId;
let currentTaskId = null;
let eventCount = 0;
const messages = new Map(); // message id -> {element, text, state}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// One token per browser (localStorage), so every tab of it is the same demo user. ?name=... asks
// for a user of that name.
async function signIn() {
  const wantedName = new URLSearchParams(location.search).get('name');
  try {
    const stored = JSON.parse(localStorage.getItem(TOKEN_KEY) || 'null');
    if (stored && stored.expires_at - Date.now() / 1000 > 60 &&
        (wantedName === null || stored.user.name === wantedName)) {
      return stored;
    }
  } catch (ignored) { /* a damaged entry: ask for a new token */ }
  const response = await fetch('/demo/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(wantedName === null ? {} : { name: wantedName })
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || `demo token: HTTP ${response.status}`);
  localStorage.setItem(TOKEN_KEY, JSON.stringify(answer));
  return answer;
}

function api(path, body) {
  return fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  }).then(async (response) => {
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.detail || answer.error || `HTTP ${response.status}`);
    return answer;
  });
}

function byteSize(args) {
  try {
    return new Blob([JSON.stringify(args)]).size;
  } catch (ignored) {
    return 0;
  }
}

function clock() {
  const now = new Date();
  return now.toTimeString().slice(0, 8) + '.' + String(now.getMilliseconds()).padStart(3, '0');
}

function logEvent(direction, event, args) {
  const first = args[0];
  const type = event === 'events' && first && first.data && typeof first.data.type === 'string'
    ? first.data.type : '';
  const row = element('tr');
  row.dataset.event = event;
  row.dataset.type = type;
  row.append(
    element('td', '', clock()),
    element('td', direction === 'in' ? 'dir-in' : 'dir-out', direction === 'in' ? '↓' : '↑'),
    element('td', '', event),
    element('td', '', type),
    element('td', '', `${byteSize(args)} B`));
  const body = $('events');
  body.prepend(row);
  while (body.rows.length > MAX_LOG_ROWS) body.deleteRow(body.rows.length - 1);
  eventCount += 1;
  $('event-count').textContent = String(eventCount);
}

function emit(event, data) {
  logEvent('out', event, [data]);
  socket.emit(event, data);
}

function messageView(id, role) {
  let view = messages.get(id);
  if (!view) {
    const node = element('div', `message ${role}`);
    const text = element('span', 'text');
    const state = element('span', 'state');
    node.append(text, state);
    node.dataset.messageId = id;
    $('messages').append(node);
    view = { node, text, state, content: '' };
    messages.set(id, view);
  }
  return view;
}

function show(view, content, state, className) {
  view.content = content;
  view.text.textContent = content;
  view.state.textContent = state;
  view.node.classList.remove('streaming', 'done', 'stopped', 'failed');
  if (className) view.node.classList.add(className);
  $('messages').scrollTop = $('messages').scrollHeight;
}

// The text of Open WebUI's output items: every message item's output_text parts.
function outputText(output) {
  if (!Array.isArray(output)) return null;
  return output
    .filter((item) => item && item.type === 'message' && Array.isArray(item.content))
    .map((item) => item.content.filter((part) => part && part.type === 'output_text')
      .map((part) => String(part.text ?? '')).join(''))
    .join('\n');
}

function setRunning(running) {
  $('stop').disabled = !running;
  if (!running) currentTaskId = null;
}

function onEvents(event) {
  if (!event || !event.data || event.chat_id !== chatId) return;
  const { type, data } = event.data;
  const view = () => messageView(String(event.message_id), 'assistant');
  switch (type) {
    case 'chat:active':
      setRunning(Boolean(data && data.active));
      break;
    case 'chat:completion': {
      const text = outputText(data && data.output);
      if (data && data.done) {
        show(view(), text ?? view().content, 'done', 'done');
      } else if (text !== null) {
        show(view(), text, 'streaming…', 'streaming');
      }
      break;
    }
    case 'response:completion':
      if (data && data.type === 'response.output_text.delta') {
        show(view(), view().content + String(data.delta ?? ''), 'streaming…', 'streaming');
      }
      break;
    case 'chat:tasks:cancel': {
      const v = view();
      if (!v.node.classList.contains('failed')) {
        show(v, outputText(data && data.output) ?? v.content, 'stopped', 'stopped');
      }
      setRunning(false);
      break;
    }
    case 'chat:message:error':
      show(view(), view().content, `error: ${String(data?.error?.content ?? '')}`, 'failed');
      break;
    default:
      break;
  }
}

function connect() {
  socket = io({
    path: session.socket_path,
    transports: ['websocket'],
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
    auth: { token: session.token }
  });
  socket.onAny((event, ...args) => logEvent('in', event, args));
  socket.on('events', onEvents);
  socket.on('connect', () => {
    $('socket-id').textContent = socket.id;
    $('connection').textContent = 'connected';
    $('connection').className = 'on';
    // As the web client does on every connect.
    emit('user-join', { auth: { token: session.token } });
  });
  socket.on('disconnect', (reason) => {
    $('connection').textContent = `disconnected (${reason})`;
    $('connection').className = 'off';
  });
  setInterval(() => { if (socket.connected) emit('heartbeat', {}); }, 30000);
}

async function loadModels() {
  const select = $('model');
  let ids = ['echo'];
  try {
    const answer = await api('/api/models');
    ids = (answer.data || []).map((model) => String(model.id));
  } catch (ignored) { /* echo alone */ }
  for (const id of ids) {
    const option = element('option', '', id);
    option.value = id;
    select.append(option);
  }
  select.value = ids.includes('echo') ? 'echo' : ids[0];
}

async function send(submit) {
  submit.preventDefault();
  const content = $('prompt').value.trim();
  if (!content || !socket.connected) return;
  const messageId = `msg-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;
  show(messageView(`${messageId}:user`, 'user'), content, '', '');
  try {
    const answer = await api('/api/chat/completions', {
      model: $('model').value,
      stream: true,
      messages: [{ role: 'user', content }],
      session_id: socket.id,
      chat_id: chatId,
      id: messageId
    });
    currentTaskId = (answer.task_ids || [])[0] ?? null;
    setRunning(true);
  } catch (error) {
    show(messageView(messageId, 'assistant'), '', `error: ${error.message}`, 'failed');
  }
}

// Stops through Open WebUI's task endpoints: the task this tab started, else the chat's tasks
// (a second tab does not know the task id).
async function stop() {
  $('stop').disabled = true;
  try {
    if (currentTaskId) {
      await api(`/api/tasks/stop/${encodeURIComponent(currentTaskId)}`, {});
    } else {
      await api(`/api/tasks/chat/${encodeURIComponent(chatId)}/stop`, {});
    }
  } catch (error) {
    $('stop').disabled = false;
  }
}

async function start() {
  try {
    session = await signIn();
  } catch (error) {
    $('user-name').textContent = `could not sign in: ${error.message}`;
    return;
  }
  chatId = `demo:${session.user.id}`;
  $('user-name').textContent = session.user.name;
  $('user-id').textContent = session.user.id;
  $('send-form').addEventListener('submit', send);
  $('stop').addEventListener('click', stop);
  connect();
  await loadModels();
}

start();
