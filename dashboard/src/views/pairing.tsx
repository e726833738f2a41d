/**
 * Pairing and adoption: open a window (POST /api/pairing) and show its 8-digit code with a QR code of the payload;
 * the nodes (revoke, remove) and devices (rename, move to an area, remove); devices waiting for adoption
 * (GET /api/adoptions: adopt with a name and an area, or ignore). A hub without the adoption API says so.
 */
import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { ApiError, del, errorText, get, patch, post } from '../api.ts';
import { areaLabel, nameIn, type Lang, type Translate } from '../i18n.ts';
import { live, useLive } from '../live.ts';
import { useModel, type Area } from '../model.ts';
import type { DeviceView, NodeView } from '../types.ts';

interface PairingWindow {
  code: string;
  expiresAt: string;
  qr: string;
}

interface Adoption {
  id: string;
  nodeId: string;
  key: string;
  ecosystem: string;
  type: string;
  traits: string[];
  label: string;
  suggestedNames?: Record<string, string[]>;
  foundAt: string;
}

export const qrDataUrl = (payload: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(payload, { ecc: 'M', border: 2 }))}`;

export function PairingView(props: { t: Translate; lang: Lang; canControl: boolean }) {
  const { t, lang, canControl } = props;
  const s = useLive();
  const { areas } = useModel();
  const [win, setWin] = useState<PairingWindow | undefined>();
  const [error, setError] = useState<string | undefined>();
  const act = async (f: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await f();
      live.refresh();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div class="pairing">
      <section aria-labelledby="pairing-window">
        <h2 id="pairing-window">{t('navPairing')}</h2>
        <button type="button" class="primary" disabled={!canControl} onClick={() => act(async () => setWin((await post<PairingWindow>('/api/pairing', {})).body))}>
          {t('openWindow')}
        </button>
        {win ? (
          <div class="window">
            <p>
              {t('pairingCode')}: <code class="code" data-pairing-code>{win.code}</code>
            </p>
            <img class="qr" src={qrDataUrl(win.qr)} alt={`${t('pairingQr')}: ${win.qr}`} width={256} height={256} data-pairing-qr />
            <p class="payload">
              <code>{win.qr}</code>
            </p>
            <p>
              {t('expires')}: <time dateTime={win.expiresAt}>{new Date(win.expiresAt).toLocaleTimeString()}</time>
            </p>
            <button type="button" onClick={() => act(async () => { await del('/api/pairing'); setWin(undefined); })}>
              {t('closeWindow')}
            </button>
          </div>
        ) : null}
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
      </section>

      <Adoptions t={t} lang={lang} areas={areas} canControl={canControl} seq={s.adoptionSeq} nodes={s.nodes} />

      <section aria-labelledby="nodes-title">
        <h2 id="nodes-title">{t('nodes')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">id</th>
              <th scope="col">{t('online')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {s.nodes.map((n) => (
              <tr key={n.id} data-node={n.id}>
                <td>{nameIn(n.names, lang, n.name)}</td>
                <td>
                  <code>{n.id}</code> {n.paired ? <span class="badge">{t('paired')}</span> : null}
                </td>
                <td>{n.online ? t('online') : t('offline')}</td>
                <td>
                  <button type="button" disabled={!canControl} aria-label={`${t('revoke')} ${n.id}`} onClick={() => confirm(`${t('revoke')} ${n.id}?`) && act(() => post(`/api/nodes/${encodeURIComponent(n.id)}/revoke`, {}))}>
                    {t('revoke')}
                  </button>
                  <button type="button" disabled={!canControl} aria-label={`${t('remove')} ${n.id}`} onClick={() => confirm(`${t('remove')} ${n.id}?`) && act(() => del(`/api/nodes/${encodeURIComponent(n.id)}`))}>
                    {t('remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="devices-title">
        <h2 id="devices-title">{t('devices')}</h2>
        <ul class="device-edit">
          {s.devices.map((d) => (
            <DeviceEdit key={d.id} device={d} areas={areas} t={t} lang={lang} canControl={canControl} act={act} />
          ))}
        </ul>
      </section>
    </div>
  );
}

function AreaSelect(props: { id: string; value: string; areas: Area[]; lang: Lang; disabled: boolean; onChange: (area: string) => void }) {
  const known = props.areas.some((a) => a.id === props.value);
  return (
    <select id={props.id} value={props.value} disabled={props.disabled} required onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
      {known ? null : <option value={props.value}>{props.value === '' ? '–' : areaLabel(props.value)}</option>}
      {props.areas.map((a) => (
        <option key={a.id} value={a.id}>
          {nameIn(a.names, props.lang, areaLabel(a.id))}
        </option>
      ))}
    </select>
  );
}

function DeviceEdit(props: { device: DeviceView; areas: Area[]; t: Translate; lang: Lang; canControl: boolean; act: (f: () => Promise<unknown>) => Promise<void> }) {
  const { device: d, t, lang, canControl, act } = props;
  const [name, setName] = useState(nameIn(d.names, lang, d.id));
  const [area, setArea] = useState(d.area);
  useEffect(() => setName(nameIn(d.names, lang, d.id)), [d.names, lang]);
  useEffect(() => setArea(d.area), [d.area]);
  const save = (e: Event) => {
    e.preventDefault();
    const edit: { names?: Record<string, string[]>; area?: string } = {};
    if (name.trim() !== nameIn(d.names, lang, d.id)) edit.names = { [lang]: [name.trim(), ...(d.names[lang] ?? []).slice(1)] };
    if (area !== d.area) edit.area = area;
    if (edit.names || edit.area) void act(() => patch(`/api/devices/${encodeURIComponent(d.id)}`, edit));
  };
  return (
    <li data-device-edit={d.id}>
      <form onSubmit={save}>
        <code>{d.id}</code>
        <label for={`name-${d.id}`}>{t('name')}</label>
        <input id={`name-${d.id}`} value={name} disabled={!canControl} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        <label for={`area-${d.id}`}>{t('area')}</label>
        <AreaSelect id={`area-${d.id}`} value={area} areas={props.areas} lang={lang} disabled={!canControl} onChange={setArea} />
        <button type="submit" disabled={!canControl}>
          {t('save')}
        </button>
        <button type="button" disabled={!canControl} aria-label={`${t('remove')} ${d.id}`} onClick={() => confirm(`${t('remove')} ${d.id}?`) && act(() => del(`/api/devices/${encodeURIComponent(d.id)}`))}>
          {t('remove')}
        </button>
      </form>
    </li>
  );
}

function Adoptions(props: { t: Translate; lang: Lang; areas: Area[]; canControl: boolean; seq: number; nodes: NodeView[] }) {
  const { t, canControl } = props;
  const [list, setList] = useState<Adoption[] | 'unavailable' | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = () =>
    get<{ adoptions: Adoption[] }>('/api/adoptions').then(
      (r) => setList(r.adoptions),
      (e: unknown) => (e instanceof ApiError && e.status === 404 ? setList('unavailable') : setError(errorText(e))),
    );
  useEffect(() => void load(), [props.seq]);
  const act = async (f: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await f();
      await load();
      live.refresh();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section aria-labelledby="adoptions-title">
      <h2 id="adoptions-title">{t('adoptions')}</h2>
      {list === undefined ? <p>{t('loading')}</p> : null}
      {list === 'unavailable' ? <p data-adoptions-unavailable>{t('adoptionsUnavailable')}</p> : null}
      {Array.isArray(list) && list.length === 0 ? <p>{t('noAdoptions')}</p> : null}
      {Array.isArray(list) ? (
        <ul>
          {list.map((a) => (
            <AdoptionItem key={a.id} adoption={a} areas={props.areas} lang={props.lang} t={t} canControl={canControl} act={act} />
          ))}
        </ul>
      ) : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {Array.isArray(list) ? <Commission t={t} lang={props.lang} nodes={props.nodes} canControl={canControl} onFound={() => void load()} /> : null}
    </section>
  );
}

/** POST /api/nodes/:id/commission: the node's discovery commissions a device from its setup code; what it found waits above */
function Commission(props: { t: Translate; lang: Lang; nodes: NodeView[]; canControl: boolean; onFound: () => void }) {
  const { t, canControl } = props;
  const [node, setNode] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Adoption[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const nodeId = node || props.nodes[0]?.id || '';
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setFound(undefined);
    setBusy(true);
    try {
      const r = await post<{ found: Adoption[] }>(`/api/nodes/${encodeURIComponent(nodeId)}/commission`, { setupCode: code.trim() });
      setFound(r.body.found);
      setCode('');
      props.onFound();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="commission" onSubmit={(e) => void submit(e)} aria-labelledby="commission-title">
      <h3 id="commission-title">{t('commissionTitle')}</h3>
      <label for="commission-node">{t('commissionNode')}</label>
      <select id="commission-node" value={nodeId} disabled={!canControl} onChange={(e) => setNode((e.currentTarget as HTMLSelectElement).value)}>
        {props.nodes.map((n) => (
          <option key={n.id} value={n.id}>
            {nameIn(n.names, props.lang, n.name)} ({n.id})
          </option>
        ))}
      </select>
      <label for="commission-code">{t('setupCode')}</label>
      <input id="commission-code" required value={code} disabled={!canControl} autocomplete="off" placeholder="3497-011-2332" onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit" class="primary" disabled={!canControl || busy || nodeId === ''}>
        {busy ? t('commissioning') : t('commission')}
      </button>
      {found ? (
        <p data-commission-found role="status">
          {t('commissionFound')}: {found.map((a) => a.label).join(', ')}
        </p>
      ) : null}
      {error ? (
        <p class="error" role="alert" data-commission-error>
          {error}
        </p>
      ) : null}
    </form>
  );
}

function AdoptionItem(props: { adoption: Adoption; areas: Area[]; lang: Lang; t: Translate; canControl: boolean; act: (f: () => Promise<unknown>) => Promise<void> }) {
  const { adoption: a, t, canControl, act } = props;
  const [name, setName] = useState(a.suggestedNames?.en?.[0] ?? a.label);
  const [area, setArea] = useState('');
  return (
    <li data-adoption={a.id}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => post(`/api/adoptions/${encodeURIComponent(a.id)}`, { name: name.trim(), area: area.trim() }));
        }}
      >
        <strong>{a.label}</strong> <span>({a.type}, {a.ecosystem}, {a.nodeId})</span>
        <label for={`adopt-name-${a.id}`}>{t('name')}</label>
        <input id={`adopt-name-${a.id}`} required value={name} disabled={!canControl} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        <label for={`adopt-area-${a.id}`}>{t('area')}</label>
        <AreaSelect id={`adopt-area-${a.id}`} value={area} areas={props.areas} lang={props.lang} disabled={!canControl} onChange={setArea} />
        <button type="submit" class="primary" disabled={!canControl}>
          {t('adopt')}
        </button>
        <button type="button" disabled={!canControl} onClick={() => act(() => del(`/api/adoptions/${encodeURIComponent(a.id)}`))}>
          {t('ignore')}
        </button>
      </form>
    </li>
  );
}
