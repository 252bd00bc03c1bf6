/**
 * A small hand-written SVG plotter for experiment results: line and scatter
 * series on linear or logarithmic axes, with ticks, grid, axis labels,
 * error bars (1st..99th percentile), dashed analytic curves and a legend.
 * Output depends only on the spec, so a seeded run plots the same bytes.
 */

export type Scale = 'linear' | 'log2' | 'log10'

export interface Point {
  x: number
  y: number
  /** Error bar from `low` to `high` (e.g. 1st and 99th percentile). */
  low?: number
  high?: number
}

export interface Series {
  name: string
  points: readonly Point[]
  /** 'line' joins the points, 'points' marks them, 'both' does both. @default 'both' */
  style?: 'line' | 'points' | 'both'
  /** Dashed, as for analytic curves. @default false */
  dashed?: boolean
  /** Index into the palette (series sharing a colour belong together). @default the series' position */
  color?: number
}

export interface PlotSpec {
  title: string
  xLabel: string
  yLabel: string
  /** @default 'linear' */
  xScale?: Scale
  /** @default 'linear' */
  yScale?: Scale
  series: readonly Series[]
  /** Axis ranges; by default the data's, widened to whole ticks. */
  xRange?: readonly [number, number]
  yRange?: readonly [number, number]
  /** A caption line under the plot (what was run). */
  note?: string
  /** @default 'top-left' */
  legend?: 'top-left' | 'top-right' | 'bottom-right'
  /** @default 640 x 420 */
  width?: number
  height?: number
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f']
const MARGIN = { left: 72, right: 24, top: 40, bottom: 56 }
const FONT = 'font-family="Helvetica, Arial, sans-serif"'

interface Axis {
  scale: Scale
  min: number
  max: number
  ticks: Array<{ value: number, label: string }>
}

/** The plot area in pixels, inside the margins and above the caption. */
interface PlotArea {
  x0: number
  x1: number
  y0: number
  y1: number
}

/** Where data lands: the plot area, its axes, and the mapping from data to pixels. */
interface Projection {
  area: PlotArea
  xAxis: Axis
  yAxis: Axis
  px: (x: number) => number
  py: (y: number) => number
  inX: (x: number) => boolean
  inY: (y: number) => boolean
}

export function renderSvg (spec: PlotSpec): string {
  const width = spec.width ?? 640
  const height = spec.height ?? 420
  const noteLines = spec.note != null ? wrap(spec.note, Math.floor((width - MARGIN.left) / 5.4)) : []
  const noteSpace = noteLines.length * 13 + (noteLines.length > 0 ? 5 : 0)
  const area = { x0: MARGIN.left, x1: width - MARGIN.right, y0: MARGIN.top, y1: height - MARGIN.bottom - noteSpace }
  const view = project(spec, area)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    text(n(width / 2), '22', 'text-anchor="middle" font-size="15"', esc(spec.title)),
    ...gridAndTicks(view),
    ...frameAndLabels(spec, area),
    ...caption(noteLines, area, height),
    ...seriesMarks(spec, view),
    legend(spec, area),
    '</svg>'
  ].join('\n') + '\n'
}

/** The axes for every point of every series (error bars included), and the pixel mapping onto `area`. */
function project (spec: PlotSpec, area: PlotArea): Projection {
  const xs: number[] = []
  const ys: number[] = []
  for (const s of spec.series) {
    for (const p of s.points) {
      xs.push(p.x)
      ys.push(p.y, ...(p.low != null ? [p.low] : []), ...(p.high != null ? [p.high] : []))
    }
  }
  const xAxis = makeAxis(spec.xScale ?? 'linear', xs, spec.xRange)
  const yAxis = makeAxis(spec.yScale ?? 'linear', ys, spec.yRange)
  return {
    area,
    xAxis,
    yAxis,
    px: x => area.x0 + frac(xAxis, x) * (area.x1 - area.x0),
    py: y => area.y1 - frac(yAxis, y) * (area.y1 - area.y0),
    inX: x => visible(xAxis, x),
    inY: y => visible(yAxis, y)
  }
}

/** A grid line, a tick mark and a label for every tick, x axis then y axis. */
function gridAndTicks ({ area, xAxis, yAxis, px, py }: Projection): string[] {
  const out: string[] = []
  for (const t of xAxis.ticks) {
    const x = px(t.value)
    out.push(line(x, area.y0, x, area.y1, 'stroke="#e6e6e6"'))
    out.push(line(x, area.y1, x, area.y1 + 5, 'stroke="black"'))
    out.push(text(n(x), n(area.y1 + 19), 'text-anchor="middle" font-size="11"', t.label))
  }
  for (const t of yAxis.ticks) {
    const y = py(t.value)
    out.push(line(area.x0, y, area.x1, y, 'stroke="#e6e6e6"'))
    out.push(line(area.x0 - 5, y, area.x0, y, 'stroke="black"'))
    out.push(text(n(area.x0 - 8), n(y + 4), 'text-anchor="end" font-size="11"', t.label))
  }
  return out
}

/** The frame around the plot area and the two axis labels (the y label turned upright). */
function frameAndLabels (spec: PlotSpec, area: PlotArea): string[] {
  const yMid = (area.y0 + area.y1) / 2
  return [
    rect(area.x0, area.y0, area.x1 - area.x0, area.y1 - area.y0, 'fill="none" stroke="black"'),
    text(n((area.x0 + area.x1) / 2), n(area.y1 + 40), 'text-anchor="middle" font-size="13"', esc(spec.xLabel)),
    text('18', n(yMid), `text-anchor="middle" font-size="13" transform="rotate(-90 18 ${n(yMid)})"`, esc(spec.yLabel))
  ]
}

/** The note's lines, at the bottom of the picture. */
function caption (noteLines: readonly string[], area: PlotArea, height: number): string[] {
  return noteLines.map((note, i) => {
    const y = height - 10 - (noteLines.length - 1 - i) * 13
    return text(n(area.x0), n(y), 'font-size="10" fill="#555"', esc(note))
  })
}

/** Every series, clipped to the plot area: its line, its error bars, its markers. */
function seriesMarks (spec: PlotSpec, view: Projection): string[] {
  const { area } = view
  const out = [
    `<clipPath id="plot-area">${rect(area.x0, area.y0, area.x1 - area.x0, area.y1 - area.y0)}</clipPath>`,
    '<g clip-path="url(#plot-area)">'
  ]
  spec.series.forEach((s, i) => { out.push(...seriesMark(s, s.color ?? i, view)) })
  out.push('</g>')
  return out
}

function seriesMark (s: Series, colorIndex: number, { yAxis, px, py, inX, inY }: Projection): string[] {
  const out: string[] = []
  const color = PALETTE[colorIndex % PALETTE.length]
  const pts = s.points.filter(p => inX(p.x) && inY(p.y))
  const style = s.style ?? 'both'
  if (style !== 'points' && pts.length > 1) {
    const d = pathData(pts.map(p => [px(p.x), py(p.y)]))
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"${dashing(s)}/>`)
  }
  for (const p of s.points) {
    if (!inX(p.x) || p.low == null || p.high == null) continue
    const x = px(p.x)
    const lo = py(inY(p.low) ? p.low : axisFloor(yAxis))
    const hi = py(p.high)
    out.push(`<path d="${errorBar(x, lo, hi)}" stroke="${color}" stroke-width="1.2" fill="none"/>`)
  }
  if (style !== 'line') for (const p of pts) out.push(marker(colorIndex, px(p.x), py(p.y), color))
  return out
}

/** A vertical bar from `lo` to `hi` at `x`, with a short whisker at each end. */
function errorBar (x: number, lo: number, hi: number): string {
  const segment = (x1: number, y1: number, x2: number, y2: number): string => `M${n(x1)},${n(y1)} L${n(x2)},${n(y2)}`
  return [segment(x, lo, x, hi), segment(x - 4, lo, x + 4, lo), segment(x - 4, hi, x + 4, hi)].join(' ')
}

/** Path data through the points in order: 'M x,y L x,y ...'. */
function pathData (points: ReadonlyArray<readonly [number, number]>): string {
  return points.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${n(x)},${n(y)}`).join(' ')
}

/** The stroke-dasharray attribute of a dashed series ('' for a solid one). */
function dashing (s: Series): string {
  return s.dashed === true ? ' stroke-dasharray="6,4"' : ''
}

function line (x1: number, y1: number, x2: number, y2: number, attributes: string): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" ${attributes}/>`
}

function rect (x: number, y: number, width: number, height: number, attributes = ''): string {
  const more = attributes === '' ? '' : ` ${attributes}`
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}"${more}/>`
}

/** A text element at (x, y) given already formatted; `content` already escaped. */
function text (x: string, y: string, attributes: string, content: string): string {
  return `<text x="${x}" y="${y}" ${attributes} ${FONT}>${content}</text>`
}

/** Points of y = f(x) spread evenly (on the given scale) over [from, to], to draw an analytic curve. */
export function sampleCurve (
  f: (x: number) => number, from: number, to: number, scale: Scale = 'linear', count = 64
): Point[] {
  const fwd = (x: number): number => scale === 'linear' ? x : scale === 'log2' ? Math.log2(x) : Math.log10(x)
  const back = (u: number): number => scale === 'linear' ? u : scale === 'log2' ? 2 ** u : 10 ** u
  const a = fwd(from)
  const b = fwd(to)
  return Array.from({ length: count }, (_, i) => {
    const x = back(a + (b - a) * i / (count - 1))
    return { x, y: f(x) }
  })
}

function legend (spec: PlotSpec, plot: PlotArea): string {
  const rows = spec.series.map((s, i) => ({ s, color: s.color ?? i }))
  const w = 16 + Math.max(...rows.map(r => r.s.name.length)) * 6.2 + 34
  const h = rows.length * 16 + 8
  const where = spec.legend ?? 'top-left'
  const x = where === 'top-left' ? plot.x0 + 8 : plot.x1 - 8 - w
  const y = where === 'bottom-right' ? plot.y1 - 8 - h : plot.y0 + 8
  const out = [rect(x, y, w, h, 'fill="white" fill-opacity="0.9" stroke="#999"')]
  rows.forEach(({ s, color }, k) => {
    const cy = y + 12 + k * 16
    const stroke = PALETTE[color % PALETTE.length]
    if ((s.style ?? 'both') !== 'points') {
      out.push(line(x + 6, cy, x + 30, cy, `stroke="${stroke}" stroke-width="1.6"${dashing(s)}`))
    }
    if ((s.style ?? 'both') !== 'line') out.push(marker(color, x + 18, cy, stroke))
    out.push(text(n(x + 36), n(cy + 4), 'font-size="11"', esc(s.name)))
  })
  return out.join('\n')
}

/** Circle, square, triangle, diamond, by palette index, so series differ without colour too. */
function marker (index: number, x: number, y: number, color: string): string {
  switch (index % 4) {
    case 0: return `<circle cx="${n(x)}" cy="${n(y)}" r="3.2" fill="${color}"/>`
    case 1: return `<rect x="${n(x - 3)}" y="${n(y - 3)}" width="6" height="6" fill="${color}"/>`
    case 2: return `<path d="${pathData([[x, y - 3.8], [x + 3.6, y + 2.8], [x - 3.6, y + 2.8]])} Z" fill="${color}"/>`
    default: return `<path d="${pathData([[x, y - 4], [x + 4, y], [x, y + 4], [x - 4, y]])} Z" fill="${color}"/>`
  }
}

function makeAxis (scale: Scale, values: number[], range?: readonly [number, number]): Axis {
  const usable = scale === 'linear' ? values.filter(Number.isFinite) : values.filter(v => Number.isFinite(v) && v > 0)
  let min = range?.[0] ?? (usable.length > 0 ? Math.min(...usable) : 0)
  let max = range?.[1] ?? (usable.length > 0 ? Math.max(...usable) : 1)
  if (scale === 'linear') {
    if (min === max) { min -= 1; max += 1 }
    const step = niceStep((max - min) / 6)
    if (range == null) {
      // a little headroom, so a point (or error bar) at the data's maximum does not sit on the frame
      const top = max + (max - min) * 0.02
      min = Math.floor(min / step + 1e-9) * step
      max = Math.ceil(top / step - 1e-9) * step
    }
    const ticks: Axis['ticks'] = []
    for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
      ticks.push({ value: v, label: numberLabel(v, step) })
    }
    return { scale, min, max, ticks }
  }
  const base = scale === 'log2' ? 2 : 10
  const log = (v: number): number => Math.log(v) / Math.log(base)
  if (min <= 0) min = 1
  if (max <= min) max = min * base
  // a little room beyond the data, so end points and their error bars show whole
  let lo = Math.floor(log(min) + 1e-9) - (range == null ? 0.3 : 0)
  let hi = Math.ceil(log(max) - 1e-9) + (range == null ? 0.3 : 0)
  if (range != null) { lo = log(min); hi = log(max) }
  if (hi === lo) hi = lo + 1
  const ticks: Axis['ticks'] = []
  const every = Math.ceil((Math.floor(hi) - Math.ceil(lo) + 1) / 14)
  for (let k = Math.ceil(lo - 1e-9); k <= hi + 1e-9; k++) {
    if ((k - Math.ceil(lo - 1e-9)) % every !== 0) continue
    ticks.push({ value: base ** k, label: powerLabel(base, k) })
  }
  return { scale, min: base ** lo, max: base ** hi, ticks }
}

/** Position of v along the axis, 0..1. */
function frac (a: Axis, v: number): number {
  if (a.scale === 'linear') return (v - a.min) / (a.max - a.min)
  const f = a.scale === 'log2' ? Math.log2 : Math.log10
  return (f(v) - f(a.min)) / (f(a.max) - f(a.min))
}

function visible (a: Axis, v: number): boolean {
  return Number.isFinite(v) && (a.scale === 'linear' || v > 0)
}

function axisFloor (a: Axis): number {
  return a.min
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `raw`. */
function niceStep (raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw - 1e-12) return m * p
  return 10 * p
}

function numberLabel (v: number, step: number): string {
  const magnitude = Math.floor(Math.log10(step) + 1e-9)
  // a step of 2.5 times a power of ten needs one decimal more than the power
  const fractional = String(step / 10 ** Math.floor(Math.log10(step))).includes('.') ? 1 : 0
  const digits = Math.max(0, -magnitude + fractional)
  const s = v.toFixed(Math.min(6, digits))
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s
}

function powerLabel (base: number, k: number): string {
  if (base === 10 && k >= -3 && k <= 5) return String(Number((10 ** k).toPrecision(1)))
  return `${base}<tspan dy="-6" font-size="8">${k}</tspan>`
}

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap (text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(line)
  return lines
}

function n (v: number): string {
  return v.toFixed(1)
}

function esc (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
