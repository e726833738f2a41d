/**
 * History: recent commands (GET /api/commands) and trajectories with their actions and results, a device's values
 * over time as a chart (GET /api/devices/:id/history), and the audit log (GET /api/audit, the admin's only).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, errorText, get } from '../api.ts';
import { fieldName, nameIn, type Lang, type Translate } from '../i18n.ts';
import { useLive } from '../live.ts';
import { useModel } from '../model.ts';
import { Chart, type Point } from './chart.tsx';

interface CommandRecord {
  id: string;
  at: string;
  text: string;
  source: string;
  lang?: string;
  reply: string;
  ok: boolean;
  /** the tool calls the rules or the planner made: `turn_on {"device_ids":["porch_light"]}` */
  actions: { name: string; arguments: unknown }[];
  results: { name: string; ok: boolean; result: unknown }[];
}

interface TrajectoryStep {
  kind: string;
  at: number;
  name?: string;
  arguments?: unknown;
  ok?: boolean;
  text?: string;
  decision?: string;
}

interface Trajectory {
  id: string;
  path: string;
  source: string;
  text: string;
  startedAt: string;
  reply: string;
  ok: boolean;
  steps: TrajectoryStep[];
}

interface AuditEntry {
  id: number;
  at: string;
  kind: string;
  actor?: string;
  subject?: string;
  source?: string;
}

type Loaded<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'missing' } | { state: 'signin' } | { state: 'error'; message: string };

function useLoad<T>(path: string | undefined, deps: unknown[]): Loaded<T> {
  const [r, setR] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (!path) return;
    let alive = true;
    setR({ state: 'loading' });
    get<T>(path).then(
      (value) => alive && setR({ state: 'ok', value }),
      (e: unknown) => {
        if (!alive) return;
        if (e instanceof ApiError && e.status === 404) setR({ state: 'missing' });
        else if (e instanceof ApiError && e.status === 401) setR({ state: 'signin' });
        else setR({ state: 'error', message: errorText(e) });
      },
    );
    return () => {
      alive = false;
    };
  }, [path, ...deps]);
  return r;
}

function Status(props: { r: Loaded<unknown>; t: Translate; missing: string }) {
  const { r, t } = props;
  if (r.state === 'loading') return <p>{t('loading')}</p>;
  if (r.state === 'missing') return <p>{props.missing}</p>;
  if (r.state === 'signin') return <p>{t('needsSignIn')}</p>;
  if (r.state === 'error') return <p role="alert">{r.message}</p>;
  return null;
}

export function HistoryView(props: { t: Translate; lang: Lang; signedIn: boolean }) {
  const { t, lang, signedIn } = props;
  const s = useLive();
  const seen = s.commands.length;
  const commands = useLoad<{ commands: CommandRecord[] }>('/api/commands?limit=20', [seen, signedIn]);
  const trajectories = useLoad<{ trajectories: Trajectory[] }>('/api/trajectories?limit=20', [seen, signedIn]);
  const audit = useLoad<{ entries: AuditEntry[] }>('/api/audit?limit=50', [signedIn]);

  return (
    <div class="history">
      <DeviceChart t={t} lang={lang} />
      <section aria-labelledby="commands-title">
        <h2 id="commands-title">{t('recentCommands')}</h2>
        <Status r={commands} t={t} missing="–" />
        {commands.state === 'ok' ? (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('time')}</th>
                <th scope="col">{t('said')}</th>
                <th scope="col">{t('actions')}</th>
                <th scope="col">{t('results')}</th>
                <th scope="col">{t('reply')}</th>
              </tr>
            </thead>
            <tbody>
              {commands.value.commands.map((c) => (
                <tr key={c.id} data-command={c.id}>
                  <td>
                    <time dateTime={c.at}>{new Date(c.at).toLocaleString()}</time>
                  </td>
                  <td>{c.text}</td>
                  <td>
                    {c.actions.map((a, i) => (
                      <code key={i}>
                        {a.name} {JSON.stringify(a.arguments)}
                      </code>
                    ))}
                  </td>
                  <td>{c.results.map((r) => `${r.name}: ${r.ok ? t('ok') : t('failed')}`).join(', ')}</td>
                  <td>{c.reply}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section aria-labelledby="trajectories-title">
        <h2 id="trajectories-title">{t('trajectories')}</h2>
        <Status r={trajectories} t={t} missing="–" />
        {trajectories.state === 'ok' ? (
          <ul class="trajectories">
            {trajectories.value.trajectories.map((tr) => (
              <li key={tr.id} data-trajectory={tr.id}>
                <details>
                  <summary>
                    <time dateTime={tr.startedAt}>{new Date(tr.startedAt).toLocaleTimeString()}</time> [{tr.path}] {tr.text} → {tr.reply} {tr.ok ? '' : `(${t('failed')})`}
                  </summary>
                  <ol>
                    {tr.steps.map((st, i) => (
                      <li key={i}>
                        {st.kind}
                        {st.name ? ` ${st.name}(${JSON.stringify(st.arguments ?? {})}) ${st.ok ? t('ok') : t('failed')}` : ''}
                        {st.decision ? ` ${st.decision}` : ''}
                        {st.text ? ` “${st.text}”` : ''}
                      </li>
                    ))}
                  </ol>
                </details>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section aria-labelledby="audit-title">
        <h2 id="audit-title">{t('audit')}</h2>
        <Status r={audit} t={t} missing="–" />
        {audit.state === 'ok' ? (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('time')}</th>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('actor')}</th>
                <th scope="col">{t('subject')}</th>
                <th scope="col">{t('source')}</th>
              </tr>
            </thead>
            <tbody>
              {audit.value.entries.map((a) => (
                <tr key={a.id}>
                  <td>
                    <time dateTime={a.at}>{new Date(a.at).toLocaleString()}</time>
                  </td>
                  <td>{a.kind}</td>
                  <td>{a.actor ?? ''}</td>
                  <td>{a.subject ?? ''}</td>
                  <td>{a.source ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}

const CHARTABLE = new Set(['integer', 'float', 'boolean', 'enum']);

function DeviceChart(props: { t: Translate; lang: Lang }) {
  const { t, lang } = props;
  const s = useLive();
  const { controls } = useModel();
  const [deviceId, setDeviceId] = useState('');
  const [field, setField] = useState('');
  const [span, setSpan] = useState(3_600_000);
  const [seq, setSeq] = useState(0);
  const devices = s.devices.filter((d) => (controls[d.id] ?? []).some((c) => CHARTABLE.has(c.datatype)));
  const fields = (controls[deviceId] ?? []).filter((c) => CHARTABLE.has(c.datatype));
  useEffect(() => {
    if (deviceId === '' && devices[0]) setDeviceId(devices[0].id);
  }, [devices.length]);
  useEffect(() => {
    if (fields.length > 0 && !fields.some((f) => f.field === field)) setField(fields.find((f) => f.datatype !== 'boolean')?.field ?? fields[0]!.field);
  }, [deviceId, fields.length]);
  // a new value of the charted device reloads the chart
  const device = s.devices.find((d) => d.id === deviceId);
  const current = device?.state[field];
  useEffect(() => setSeq((n) => n + 1), [current]);
  // the window's start moves only when something asks for a reload, not on every render
  const since = useMemo(() => Date.now() - span, [span, seq, deviceId, field]);
  const path = deviceId && field ? `/api/devices/${encodeURIComponent(deviceId)}/history?since=${since}&field=${encodeURIComponent(field)}` : undefined;
  const history = useLoad<{ deviceId: string; points: Point[] }>(path, []);
  const control = fields.find((f) => f.field === field);
  return (
    <section aria-labelledby="chart-title">
      <h2 id="chart-title">{t('chart')}</h2>
      <div class="row">
        <label for="chart-device">{t('device')}</label>
        <select id="chart-device" value={deviceId} onChange={(e) => setDeviceId((e.currentTarget as HTMLSelectElement).value)}>
            {devices.map((d) => (
              <option key={d.id} value={d.id}>
                {nameIn(d.names, lang, d.id)}
              </option>
            ))}
        </select>
        <label for="chart-field">{t('field')}</label>
        <select id="chart-field" value={field} onChange={(e) => setField((e.currentTarget as HTMLSelectElement).value)}>
            {fields.map((f) => (
              <option key={f.field} value={f.field}>
                {fieldName(f.field, lang)}
              </option>
            ))}
        </select>
        <label for="chart-since">{t('since')}</label>
        <select id="chart-since" value={String(span)} onChange={(e) => setSpan(Number((e.currentTarget as HTMLSelectElement).value))}>
            <option value="3600000">{t('lastHour')}</option>
            <option value="86400000">{t('lastDay')}</option>
        </select>
      </div>
      <Status r={history} t={t} missing={t('historyUnavailable')} />
      {history.state === 'ok' && history.value.points.length === 0 ? <p>{t('noPoints')}</p> : null}
      {history.state === 'ok' && history.value.points.length > 0 ? (
        <Chart points={history.value.points} fieldText={fieldName(field, lang)} label={device ? nameIn(device.names, lang, device.id) : deviceId} {...(control?.unit ? { unit: control.unit } : {})} />
      ) : null}
    </section>
  );
}
