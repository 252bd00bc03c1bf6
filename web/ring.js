/**
 * The live ring view (served at / by src/http/routes/web.ts): the ring as
 * the daemon serving the page sees it, drawn in SVG from the HTTP API
 * (docs/http-api.md) and kept live from /v1/events without reloads.
 *
 * Each layer (arcs, links, fingers, lookup, nodes, labels) is one <g> drawn
 * in one go from a string, and lines of a kind share one <path>, so 500
 * nodes cost a few DOM operations; a member event only recolors its node and
 * redraws the arcs. Hooks for tests: nodes carry data-peer-id, data-state and
 * data-index (ring order from id 0); hop paths data-hop (0, 1, …) and
 * data-hop-peer; `document.body.dataset.ready` is '1' after the first draw.
 */

const R = 400
/** Half the width of the band of key arcs around the rim. */
const BAND = 16
/** Node names are drawn only up to this many nodes. */
const LABELS_UP_TO = 24
/** Shades of the arcs: 0 (no keys) to SHADES - 1 (the most keys of any node). */
const SHADES = 6
/** /v1/status may answer from a cache this old: a member event newer than that wins over it. */
const STATUS_CACHE_MS = 5000
/** Key counts change with every put: the status is re-read this often. */
const STATUS_REFRESH_MS = 15_000
/** Wait this long after the event stream closed for good before reloading and reconnecting. */
const RECONNECT_MS = 5000

const $ = (id) => document.getElementById(id)

const view = {
  loaded: false,
  /** Peer id of the node serving the page. */
  self: '',
  /** NodeStatus rows in ring order, each with `pos` (0 ≤ pos < 1) and `index`. */
  rows: [],
  byId: new Map(),
  /** peer id → its node element, from the last drawNodes. */
  elements: new Map(),
  /** The ring walk (RingWalk) for successor and predecessor links. */
  walk: null,
  /** Selected node and its NodeInfo (fingers). */
  selected: '',
  selectedInfo: null,
  /** The last lookup reply drawn. */
  lookup: null,
  /** peer id → { state, at } of the last member event, to outrank a cached status. */
  events: new Map(),
  pending: []
}

/** Load and update timings for tests and measurement scripts (ms, performance.now clock). */
const timings = { loadMs: NaN, paints: [] }
window.chordView = { view, timings, redraw: () => drawAll() }

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor (status, code, message) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }
}

async function api (path) {
  let res
  try {
    res = await fetch(new URL(path, document.baseURI), { headers: { accept: 'application/json' } })
  } catch (err) {
    throw new ApiError(0, 'UNREACHABLE', `the daemon does not answer (${err.message})`)
  }
  const body = await res.json().catch(() => null)
  if (!res.ok) {
    const e = body?.error
    throw new ApiError(res.status, e?.code ?? 'HTTP', e?.message ?? `${res.status} ${res.statusText}`)
  }
  return body
}

// ---------------------------------------------------------------- geometry

/** Where a ring id (hex, 256 bits) sits on the circle, 0 ≤ pos < 1 (its first 52 bits are plenty). */
function posOf (hex) {
  return parseInt(hex.slice(0, 13).padEnd(13, '0'), 16) / 2 ** 52
}

/** The point at ring position `pos` on a circle of radius `r`: 0 at the top, clockwise. */
function pt (pos, r = R) {
  const a = pos * 2 * Math.PI - Math.PI / 2
  return [r * Math.cos(a), r * Math.sin(a)]
}

const xy = ([x, y]) => `${x.toFixed(1)} ${y.toFixed(1)}`

/** The ring band from pos p0 clockwise to p1 (a whole ring when they are equal). */
function sector (p0, p1) {
  let span = p1 - p0
  if (span <= 0) span += 1
  if (span >= 0.9999) return sector(p0, p0 + 0.5) + sector(p0 + 0.5, p0)
  const large = span > 0.5 ? 1 : 0
  const [ro, ri] = [R + BAND, R - BAND]
  return `M${xy(pt(p0, ro))}A${ro} ${ro} 0 ${large} 1 ${xy(pt(p1, ro))}` +
    `L${xy(pt(p1, ri))}A${ri} ${ri} 0 ${large} 0 ${xy(pt(p0, ri))}Z`
}

/** A link from pos a clockwise to pos b along a circle of radius `r` inside the rim; `legs` joins it to the nodes. */
function along (a, b, r, legs) {
  let span = b - a
  if (span <= 0) span += 1
  const large = span > 0.5 ? 1 : 0
  const arc = `${xy(pt(a, r))}A${r} ${r} 0 ${large} 1 ${xy(pt(b, r))}`
  return legs ? `M${xy(pt(a))}L${arc}L${xy(pt(b))}` : `M${arc}`
}

/** A chord between two positions, pulled a little towards the centre so chords fan out. */
function chord (a, b, pull = 0.25) {
  const [x0, y0] = pt(a)
  const [x1, y1] = pt(b)
  const [cx, cy] = [(x0 + x1) / 2 * (1 - pull), (y0 + y1) / 2 * (1 - pull)]
  return `M${xy([x0, y0])}Q${xy([cx, cy])} ${xy([x1, y1])}`
}

// ---------------------------------------------------------------- text

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const esc = (s) => String(s).replace(/[&<>"']/g, c => ESC[c])
const short = (peerId) => `…${peerId.slice(-6)}`
const isLive = (state) => state === 'alive' || state === 'suspect'

function ago (ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`
  return `${(ms / 3_600_000).toFixed(1)} h`
}

function bytes (n) {
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 ** 2).toFixed(1)} MiB`
}

const peerLink = (peerId) => `<span class="peer" data-select="${esc(peerId)}" title="${esc(peerId)}">${esc(short(peerId))}</span>`

function showError (err) {
  $('error').textContent = err == null ? '' : `${err.message}`
}

// ---------------------------------------------------------------- state

/** Takes a /v1/status reply as the node list; newer member events keep their state. */
function applyStatus (status) {
  const now = performance.now()
  view.self = status.self
  view.rows = status.nodes.map((n, index) => {
    const ev = view.events.get(n.peerId)
    const state = ev != null && now - ev.at < STATUS_CACHE_MS + 2000 ? ev.state : n.state
    return { ...n, state, pos: posOf(n.ringId), index }
  })
  view.byId = new Map(view.rows.map(r => [r.peerId, r]))
  if (view.selected === '' || !view.byId.has(view.selected)) view.selected = view.self
}

async function loadStatus () {
  applyStatus(await api('v1/status'))
}

async function loadLinks () {
  const [walk, info] = await Promise.all([api('v1/ring'), api('v1/info')])
  view.walk = walk
  if (view.selected === view.self || view.selectedInfo == null) view.selectedInfo = info
}

/** Everything from scratch: the first draw, a `reset` event, a reconnect. */
async function reload () {
  await loadStatus()
  await loadLinks().catch(showError)
  drawAll()
  showError(null)
}

// ---------------------------------------------------------------- drawing

function drawArcs () {
  const live = view.rows.filter(r => isLive(r.state))
  const max = Math.max(0, ...live.map(r => r.keys?.primary.count ?? 0))
  const levels = Array.from({ length: SHADES }, () => [])
  const unknown = []
  live.forEach((r, i) => {
    const prev = live[(i + live.length - 1) % live.length]
    const d = sector(prev.pos, r.pos)
    if (r.keys == null) unknown.push(d)
    else levels[max === 0 ? 0 : Math.ceil(r.keys.primary.count / max * (SHADES - 1))].push(d)
  })
  $('arcs').innerHTML = levels.map((ds, l) => `<path class="arc l${l}" d="${ds.join('')}"></path>`).join('') +
    `<path class="arc unknown" d="${unknown.join('')}"></path>`
}

function drawLinks () {
  const succ = []
  const pred = []
  const legs = view.rows.length <= LABELS_UP_TO
  for (const n of view.walk?.nodes ?? []) {
    const from = view.byId.get(n.peerId)
    const s = n.successor != null ? view.byId.get(n.successor) : undefined
    const p = n.predecessor != null ? view.byId.get(n.predecessor) : undefined
    if (from == null) continue
    if (s != null && s !== from) succ.push(along(from.pos, s.pos, R - BAND - 10, legs))
    if (p != null && p !== from) pred.push(along(p.pos, from.pos, R - BAND - 22, legs))
  }
  $('links').innerHTML = `<path class="link succ" d="${succ.join('')}"></path>` +
    `<path class="link pred" d="${pred.join('')}"></path>`
}

function drawFingers () {
  const from = view.byId.get(view.selected)
  const info = view.selectedInfo
  const ds = []
  if (from != null && info != null && info.self.peerId === view.selected) {
    for (const f of info.fingers) {
      const to = view.byId.get(f.node.peerId)
      if (to != null && to !== from) ds.push(chord(from.pos, to.pos))
    }
  }
  $('fingers').innerHTML = `<path class="finger-chords" d="${ds.join('')}"></path>`
}

function nodeRadius () {
  return Math.max(3, Math.min(12, 700 / Math.max(1, view.rows.length)))
}

function drawNodes () {
  const r = nodeRadius().toFixed(1)
  // nodes not alive go last, on top, so a close alive neighbour cannot hide them
  const order = [...view.rows.filter(n => n.state === 'alive'), ...view.rows.filter(n => n.state !== 'alive')]
  $('nodes').innerHTML = order.map(n => {
    const [x, y] = pt(n.pos)
    const cls = `node${n.peerId === view.self ? ' self' : ''}${n.peerId === view.selected ? ' selected' : ''}`
    return `<circle class="${cls}" data-peer-id="${esc(n.peerId)}" data-state="${esc(n.state)}" ` +
      `data-index="${n.index}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}"></circle>`
  }).join('')
  view.elements = new Map([...$('nodes').children].map(el => [el.dataset.peerId, el]))
}

/** The box a label takes (x, y: its anchor and baseline), about 11 units a character at 20px. */
function labelBox (x, y, anchor, text) {
  const w = text.length * 11
  const left = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2
  return { left, right: left + w, top: y - 18, bottom: y + 4 }
}

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom

function drawLabels () {
  if (view.rows.length > LABELS_UP_TO) {
    $('labels').innerHTML = ''
    return
  }
  const placed = []
  $('labels').innerHTML = view.rows.map(n => {
    const [x, y0] = pt(n.pos, R + BAND + 30)
    const anchor = Math.abs(x) < 40 ? 'middle' : x > 0 ? 'start' : 'end'
    const self = n.peerId === view.self ? ' self' : ''
    const text = `${short(n.peerId)}${self !== '' ? ' (this)' : ''}`
    // a label that would cover one already placed moves a line away from the centre
    let y = y0 + 7
    let box = labelBox(x, y, anchor, text)
    for (let tries = 0; tries < 8 && placed.some(b => overlaps(b, box)); tries++) {
      y += y0 >= 0 ? 22 : -22
      box = labelBox(x, y, anchor, text)
    }
    placed.push(box)
    return `<text class="label${self}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}">${esc(text)}</text>`
  }).join('')
}

/** The lookup's path: this node → each hop → the owner; the key's place; the owner and replicas ringed. */
function drawLookup () {
  const l = view.lookup
  if (l == null) {
    $('lookup').innerHTML = ''
    return
  }
  const ring = (peerId, cls, attrs, gap) => {
    const n = view.byId.get(peerId)
    if (n == null) return ''
    const [x, y] = pt(n.pos)
    return `<circle class="${cls}" ${attrs} cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" ` +
      `r="${(nodeRadius() + gap).toFixed(1)}"></circle>`
  }
  const parts = []
  const keyPos = posOf(l.keyId)
  const [kx, ky] = pt(keyPos, R - BAND - 12)
  parts.push(`<circle class="key-mark" data-key-id="${esc(l.keyId)}" cx="${kx.toFixed(1)}" cy="${ky.toFixed(1)}" r="6"></circle>`)
  let from = view.byId.get(view.self)
  l.hops.forEach((h, i) => {
    const to = view.byId.get(h.peerId)
    const d = from != null && to != null && from !== to ? chord(from.pos, to.pos, 0.5) : ''
    parts.push(`<path class="hop" data-hop="${i}" data-hop-peer="${esc(h.peerId)}" d="${d}"></path>`)
    if (to != null) from = to
  })
  const owner = view.byId.get(l.owner.peerId)
  if (from != null && owner != null && from !== owner) {
    parts.push(`<path class="hop final" data-hop-owner="${esc(l.owner.peerId)}" d="${chord(from.pos, owner.pos, 0.5)}"></path>`)
  }
  l.replicas.forEach((n, i) => {
    parts.push(ring(n.peerId, 'replica-mark', `data-replica="${esc(n.peerId)}" data-replica-index="${i}"`, 9))
  })
  parts.push(ring(l.owner.peerId, 'owner-mark', `data-owner="${esc(l.owner.peerId)}"`, 5))
  $('lookup').innerHTML = parts.join('')
}

function drawLegend () {
  const counts = { alive: 0, suspect: 0, failed: 0, left: 0 }
  for (const n of view.rows) counts[n.state] = (counts[n.state] ?? 0) + 1
  for (const el of document.querySelectorAll('[data-count]')) el.textContent = String(counts[el.dataset.count] ?? 0)
  const keys = view.rows.reduce((sum, n) => sum + (n.keys?.primary.count ?? 0), 0)
  $('summary').textContent = `${view.rows.length} members as ${short(view.self)} sees them · ` +
    `${counts.alive + counts.suspect} live · ${keys} keys`
}

/** Runs `draw`, then records when the browser has painted it (the next animation frame). */
function painted (what, since, draw) {
  draw()
  requestAnimationFrame(() => {
    const at = performance.now()
    timings.paints.push({ what, ms: at - since, at })
    if (timings.paints.length > 200) timings.paints.shift()
  })
}

function drawAll () {
  drawArcs()
  drawLinks()
  drawFingers()
  drawLookup()
  drawNodes()
  drawLabels()
  drawLegend()
}

// ---------------------------------------------------------------- the side panel

function nodeSection (info, row) {
  const keys = row?.keys
  const rows = [
    ['peer id', esc(info.self.peerId)],
    ['ring id', esc(info.self.ringId)],
    ['state', row != null ? `<span class="state" data-state="${esc(row.state)}">${esc(row.state)}</span>` : '?'],
    ['share', row != null ? `${(row.share * 100).toFixed(2)} %` : '?'],
    ['uptime', ago(info.uptimeMs)],
    ['addresses', info.self.addrs.map(esc).join('<br>')]
  ]
  if (keys != null) {
    rows.splice(4, 0, ['keys', `${keys.primary.count} primary (${bytes(keys.primary.bytes)}), ` +
      `${keys.replica.count} replica (${bytes(keys.replica.bytes)})`])
  }
  return `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`
}

function membersTable (members) {
  const order = { failed: 0, suspect: 1, left: 2, alive: 3 }
  const sorted = [...members].sort((a, b) => order[a.state] - order[b.state] || (a.peerId < b.peerId ? -1 : 1))
  return '<table><tr><th>member</th><th>state</th><th>inc.</th><th>heartbeat</th></tr>' +
    sorted.map(m => `<tr><td class="mono">${peerLink(m.peerId)}</td>` +
      `<td><span class="state" data-state="${esc(m.state)}">${esc(m.state)}</span></td>` +
      `<td>${m.incarnation}</td><td>${ago(m.lastHeartbeatAgoMs)} ago</td></tr>`).join('') + '</table>'
}

function renderNodePanel (reply) {
  const { info, keys, members } = reply
  const row = view.byId.get(info.self.peerId)
  const me = info.self.peerId === view.self ? ' (this node)' : ''
  $('node-panel').innerHTML = `<h2>Node ${esc(short(info.self.peerId))}${me}</h2>` +
    nodeSection(info, row) +
    `<p>${keys.tombstones} tombstones, ${keys.expired} expired</p>` +
    `<h3>Predecessor</h3><p>${info.predecessor != null ? peerLink(info.predecessor.peerId) : 'none known'}</p>` +
    `<h3>Successors (${info.successors.length})</h3>` +
    `<ol>${info.successors.map(s => `<li>${peerLink(s.peerId)}</li>`).join('')}</ol>` +
    `<h3>Fingers (${info.fingers.length} distinct)</h3>` +
    `<ul class="plain">${info.fingers.map(f => `<li>2^${f.index} → ${peerLink(f.node.peerId)}</li>`).join('')}</ul>` +
    `<h3>Membership as it sees it (${members.members.length})</h3>${membersTable(members.members)}`
}

/** Selects a node: its panel and its fingers. `quiet`: a refresh of the selected one, no "asking…" in between. */
async function select (peerId, quiet = false) {
  view.selected = peerId
  for (const el of view.elements.values()) el.classList.toggle('selected', el.dataset.peerId === peerId)
  if (!quiet) $('node-panel').innerHTML = `<p class="hint">asking ${esc(short(peerId))}…</p>`
  try {
    const reply = await api(`v1/nodes/${encodeURIComponent(peerId)}`)
    if (view.selected !== peerId) return
    view.selectedInfo = reply.info
    renderNodePanel(reply)
  } catch (err) {
    if (view.selected !== peerId) return
    view.selectedInfo = null
    $('node-panel').innerHTML = `<h2>Node ${esc(short(peerId))}</h2><p class="problem">${esc(err.message)}</p>`
  }
  painted('fingers', performance.now(), drawFingers)
}

// ---------------------------------------------------------------- lookups

function renderLookup (l) {
  $('lookup-result').innerHTML = `<h2>Key ${esc(JSON.stringify(l.key))}</h2><dl>` +
    `<dt>key id</dt><dd>${esc(l.keyId)}</dd>` +
    `<dt>owner</dt><dd>${peerLink(l.owner.peerId)}</dd>` +
    `<dt>replicas</dt><dd>${l.replicas.map(n => peerLink(n.peerId)).join(', ')}</dd>` +
    `<dt>hops</dt><dd>${l.hops.length === 0 ? 'none (this node knew the owner)' : l.hops.map(h => peerLink(h.peerId)).join(' → ')}</dd>` +
    `<dt>took</dt><dd>${l.elapsedMs.toFixed(1)} ms</dd></dl>`
}

async function lookUp (key) {
  if (key === '') return
  const since = performance.now()
  $('lookup-result').innerHTML = `<p class="hint">looking ${esc(JSON.stringify(key))} up…</p>`
  try {
    const l = await api(`v1/lookup/${encodeURIComponent(key)}`)
    view.lookup = l
    renderLookup(l)
  } catch (err) {
    view.lookup = null
    $('lookup-result').innerHTML = `<p class="problem">${esc(err.message)}</p>`
  }
  painted('lookup', since, drawLookup)
}

// ---------------------------------------------------------------- live updates

let refreshTimer
/** Coalesces refreshes: a burst of events costs one status and one ring read. */
function refreshSoon (ms = 500) {
  if (refreshTimer != null) return
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined
    const since = performance.now()
    Promise.all([loadStatus(), loadLinks()])
      .then(() => {
        painted('refresh', since, drawAll)
        showError(null)
        return select(view.selected, true)
      })
      .catch(showError)
  }, ms)
}

function onMember (ev) {
  const since = performance.now()
  view.events.set(ev.peerId, { state: ev.to, at: since })
  const row = view.byId.get(ev.peerId)
  if (row == null) {
    refreshSoon() // a member this page has not drawn yet: its place comes from the status
    return
  }
  row.state = ev.to
  refreshSoon(1000) // shares, key counts and the selected node's panel follow a second later
  painted('member', since, () => {
    const el = view.elements.get(ev.peerId)
    if (el != null) {
      el.dataset.state = ev.to
      if (ev.to !== 'alive') el.parentNode.appendChild(el) // on top of its neighbours
    }
    drawArcs()
    drawLegend()
  })
}

function onRing (ev) {
  const known = ev.type === 'peerFailed' || ev.node == null || view.byId.has(ev.node.peerId)
  refreshSoon(known ? 300 : 0)
}

function handle (kind, data) {
  if (!view.loaded) {
    view.pending.push([kind, data])
    return
  }
  if (kind === 'member') onMember(data)
  else if (kind === 'ring') onRing(data)
  else refreshSoon(0)
}

function setLive (state, text = state) {
  $('live').dataset.live = state
  $('live').textContent = text
}

function connectEvents () {
  const es = new EventSource(new URL('v1/events', document.baseURI))
  es.onopen = () => { setLive('events', 'live') }
  es.onerror = () => {
    if (es.readyState !== EventSource.CLOSED) {
      setLive('reconnecting')
      return
    }
    setLive('off', 'not live: retrying')
    setTimeout(() => { reload().catch(showError).finally(connectEvents) }, RECONNECT_MS)
  }
  const on = (kind) => es.addEventListener(kind, (e) => {
    try {
      handle(kind, kind === 'reset' ? null : JSON.parse(e.data))
    } catch (err) {
      showError(new Error(`bad ${kind} event: ${err.message}`))
    }
  })
  on('member')
  on('ring')
  on('reset')
}

// ---------------------------------------------------------------- start

function wireUp () {
  $('nodes').addEventListener('click', (e) => {
    const id = e.target.closest('[data-peer-id]')?.dataset.peerId
    if (id != null) void select(id)
  })
  $('nodes').addEventListener('mouseover', (e) => {
    const n = view.byId.get(e.target.closest('[data-peer-id]')?.dataset.peerId)
    if (n == null) return
    const keys = n.keys != null ? `${n.keys.primary.count} keys` : (n.error ?? 'keys unknown')
    $('hover').textContent = `${n.peerId} · ${n.state} · ${(n.share * 100).toFixed(2)} % · ${keys}`
  })
  $('panel').addEventListener('click', (e) => {
    const id = e.target.closest('[data-select]')?.dataset.select
    if (id != null && view.byId.has(id)) void select(id)
  })
  $('lookup-form').addEventListener('submit', (e) => {
    e.preventDefault()
    void lookUp($('key').value)
  })
}

async function start () {
  wireUp()
  connectEvents()
  for (;;) {
    try {
      await reload()
      break
    } catch (err) {
      showError(err)
      await new Promise(resolve => setTimeout(resolve, RECONNECT_MS))
    }
  }
  view.loaded = true
  timings.loadMs = performance.now()
  document.body.dataset.ready = '1'
  for (const [kind, data] of view.pending.splice(0)) handle(kind, data)
  setInterval(() => { refreshSoon(0) }, STATUS_REFRESH_MS)
  void select(view.self)
}

void start()
