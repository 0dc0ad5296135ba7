// The live console: reads GET /internal/v1/console every second and draws it. The API key, when
// the gateway has one, is asked once and kept in sessionStorage (this tab only). Every string
// shown is set with textContent: user and room names are never parsed as HTML.
'use strict';

const KEY = 'realtime-gateway-console-key';
const POLL_MS = 1000;
const CHART_SECONDS = 300;
const $ = (id) => document.getElementById(id);

function headers() {
  const key = sessionStorage.getItem(KEY);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '' : String(text);
  if (className) td.className = className;
  return td;
}

function fill(id, rows, columns, empty) {
  const body = $(id);
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell(empty, 'empty');
    td.colSpan = 9;
    tr.append(td);
    body.append(tr);
    return;
  }
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.append(...columns(row));
    body.append(tr);
  }
}

function ago(epochSeconds) {
  const seconds = Math.max(0, Math.round(Date.now() / 1000 - epochSeconds));
  return seconds < 120 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}

async function stopTask(taskId, button) {
  button.disabled = true;
  const response = await fetch(`/internal/v1/tasks/${encodeURIComponent(taskId)}/stop`, {
    method: 'POST',
    headers: headers()
  });
  if (!response.ok) button.disabled = false;
}

function drawChart(samples) {
  const canvas = $('chart');
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  // One slot per second of the last five minutes; seconds with no sample count 0.
  const now = samples.length ? samples[samples.length - 1].epoch_second : Math.floor(Date.now() / 1000);
  const events = new Array(CHART_SECONDS).fill(0);
  const deliveries = new Array(CHART_SECONDS).fill(0);
  for (const sample of samples) {
    const slot = CHART_SECONDS - 1 - (now - sample.epoch_second);
    if (slot >= 0 && slot < CHART_SECONDS) {
      events[slot] = sample.events;
      deliveries[slot] = sample.deliveries;
    }
  }
  const top = Math.max(1, ...events, ...deliveries);
  const left = 40, bottom = height - 18, plotHeight = bottom - 8, plotWidth = width - left - 6;
  g.strokeStyle = '#e5e7eb';
  g.fillStyle = '#6b7280';
  g.font = '11px system-ui, sans-serif';
  g.lineWidth = 1;
  for (const fraction of [0, 0.5, 1]) {
    const y = bottom - fraction * plotHeight;
    g.beginPath(); g.moveTo(left, y); g.lineTo(width - 6, y); g.stroke();
    g.fillText(String(Math.round(top * fraction)), 4, y + 4);
  }
  g.fillText('-5 min', left, height - 4);
  g.fillText('now', width - 30, height - 4);
  const line = (values, color) => {
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    values.forEach((value, i) => {
      const x = left + (i / (CHART_SECONDS - 1)) * plotWidth;
      const y = bottom - (value / top) * plotHeight;
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  };
  line(deliveries, '#f59e0b');
  line(events, '#2563eb');
}

function render(view) {
  $('mode').textContent = view.mode;
  $('updated').textContent = new Date().toTimeString().slice(0, 8);
  $('error').textContent = '';
  $('total-sessions').textContent = String(view.totals.sessions);
  $('total-users').textContent = String(view.totals.users);
  $('total-rooms').textContent = String(view.totals.rooms);
  $('total-tasks').textContent = String(view.totals.tasks);
  const lastMinute = view.traffic.filter((s) => s.epoch_second > Math.floor(Date.now() / 1000) - 60);
  $('events-minute').textContent = String(lastMinute.reduce((sum, s) => sum + s.events, 0));
  $('deliveries-minute').textContent = String(lastMinute.reduce((sum, s) => sum + s.deliveries, 0));
  fill('users', view.users, (u) => [cell(u.id), cell(u.name), cell(u.sessions)], 'nobody online');
  fill('rooms', view.rooms, (r) => [cell(r.room), cell(r.members)], 'no rooms');
  fill('sessions', view.sessions,
    (s) => [cell(s.sid), cell(s.user_id), cell(ago(s.last_seen_at))], 'no sessions');
  fill('tasks', view.tasks, (t) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Stop';
    button.dataset.taskId = t.task_id;
    button.addEventListener('click', () => stopTask(t.task_id, button));
    const action = document.createElement('td');
    action.append(button);
    return [cell(t.task_id), cell(t.chat_id), cell(t.user_id), action];
  }, 'no running tasks');
  fill('replicas', view.replicas, (r) => [
    cell(r.self ? `${r.id} (this one)` : r.id),
    cell(r.alive ? 'alive' : 'expired', r.alive ? 'alive' : 'dead'),
    cell(r.last_heartbeat_at ? ago(Date.parse(r.last_heartbeat_at) / 1000) : (r.self ? 'in memory' : ''))
  ], 'none');
  drawChart(view.traffic);
}

function askForKey(message) {
  $('board').hidden = true;
  $('key-form').hidden = false;
  $('key-message').textContent = message || '';
  $('key').focus();
}

async function poll() {
  try {
    const response = await fetch('/internal/v1/console', { headers: headers(), cache: 'no-store' });
    if (response.status === 401) {
      const answer = await response.json().catch(() => ({}));
      askForKey(answer.error);
      return; // polling starts again once a key is given
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    $('key-form').hidden = true;
    $('board').hidden = false;
    render(await response.json());
  } catch (error) {
    $('error').textContent = `(${error.message})`;
  }
  setTimeout(poll, POLL_MS);
}

$('key-form').addEventListener('submit', (submit) => {
  submit.preventDefault();
  sessionStorage.setItem(KEY, $('key').value);
  poll();
});

poll();
