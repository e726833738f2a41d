/** A device field over time as inline SVG: a line through the points, one circle per point (booleans 0/1). */

export interface Point {
  t: number;
  field: string;
  value: number | boolean | string;
}

const W = 640;
const H = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

export function Chart(props: { points: Point[]; fieldText: string; unit?: string; label: string }) {
  const { points } = props;
  const categories = [...new Set(points.filter((p) => typeof p.value === 'string').map((p) => String(p.value)))];
  const y = (v: Point['value']) => (typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : categories.indexOf(v));
  const ts = points.map((p) => p.t);
  const ys = points.map((p) => y(p.value));
  const [t0, t1] = [Math.min(...ts), Math.max(...ts)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (t: number) => PAD.left + (t1 === t0 ? (W - PAD.left - PAD.right) / 2 : ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right));
  const sy = (v: number) => H - PAD.bottom - ((v - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const tick = (v: number) => (categories.length > 0 ? (categories[Math.round(v)] ?? '') : `${Number.isInteger(v) ? v : v.toFixed(1)}${props.unit ? ` ${props.unit}` : ''}`);
  const time = (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.label}: ${props.fieldText}, ${points.length} points`} data-points={points.length}>
      <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} class="axis" />
      <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} class="axis" />
      <text x={PAD.left - 4} y={sy(y1) + 4} text-anchor="end" class="tick">
        {tick(y1)}
      </text>
      <text x={PAD.left - 4} y={sy(y0) + 4} text-anchor="end" class="tick">
        {tick(y0)}
      </text>
      <text x={PAD.left} y={H - 8} class="tick">
        {time(t0)}
      </text>
      <text x={W - PAD.right} y={H - 8} text-anchor="end" class="tick">
        {time(t1)}
      </text>
      <polyline class="line" fill="none" points={points.map((p) => `${sx(p.t).toFixed(1)},${sy(y(p.value)).toFixed(1)}`).join(' ')} />
      {points.map((p, i) => (
        <circle key={i} class="point" cx={sx(p.t)} cy={sy(y(p.value))} r={3}>
          <title>{`${new Date(p.t).toLocaleString()}: ${String(p.value)}${props.unit ? ` ${props.unit}` : ''}`}</title>
        </circle>
      ))}
    </svg>
  );
}
