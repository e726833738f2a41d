/** Home: every device by area, live; each tile its main values as text and controls generated from its fields. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, post } from '../api.ts';
import { useModel } from '../model.ts';
import { formatValue, optionText } from '../format.ts';
import { areaLabel, fieldName, nameIn, type Lang, type Translate } from '../i18n.ts';
import { live, useLive } from '../live.ts';
import type { CommandCall, ConfirmationView, DeviceView, FieldControl } from '../types.ts';
import { ConfirmBar } from './confirm.tsx';

export function HomeView(props: { t: Translate; lang: Lang; canControl: boolean }) {
  const { t, lang } = props;
  const s = useLive();
  const { controls, areas: areaNames } = useModel();
  const areaName = (id: string) => {
    const a = areaNames.find((x) => x.id === id);
    return a ? nameIn(a.names, lang, areaLabel(id)) : areaLabel(id);
  };

  if (!s.loaded) return <p>{t('loading')}</p>;
  if (s.devices.length === 0) return <p>{t('noDevices')}</p>;
  const areas = new Map<string, DeviceView[]>();
  for (const d of s.devices) areas.set(d.area, [...(areas.get(d.area) ?? []), d]);
  return (
    <div class="areas">
      {[...areas.keys()].sort((a, b) => areaName(a).localeCompare(areaName(b))).map((area) => (
        <section class="area" aria-labelledby={`area-${area}`} key={area} data-area={area}>
          <h2 id={`area-${area}`}>{areaName(area)}</h2>
          <div class="tiles">
            {areas
              .get(area)!
              .sort((a, b) => nameIn(a.names, lang, a.id).localeCompare(nameIn(b.names, lang, b.id)))
              .map((d) => (
                <Tile key={d.id} device={d} controls={controls[d.id] ?? []} pending={s.confirmations.filter((c) => c.actions?.some((a) => a.deviceId === d.id))} {...props} />
              ))}
          </div>
        </section>
      ))}
    </div>
  );
}

function Tile(props: { device: DeviceView; controls: FieldControl[]; pending: ConfirmationView[]; t: Translate; lang: Lang; canControl: boolean }) {
  const { device: d, controls, t, lang } = props;
  const name = nameIn(d.names, lang, d.id);
  const [error, setError] = useState<string | undefined>();
  const [asked, setAsked] = useState<ConfirmationView | undefined>();
  const enabled = props.canControl && d.online;

  /** resolves true once the node acknowledged the change, false when it failed or waits for a confirmation */
  const send = async (call: CommandCall): Promise<boolean> => {
    setError(undefined);
    try {
      const r = await post<{ status?: string; confirmationId?: string; summary?: string; expiresAt?: string }>(`/api/devices/${encodeURIComponent(d.id)}/commands`, call);
      live.refresh();
      if (r.status === 202 && r.body.confirmationId) {
        setAsked({ confirmationId: r.body.confirmationId, summary: r.body.summary ?? call.command, expiresAt: r.body.expiresAt ?? '' });
        return false;
      }
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };

  const byField = new Map(controls.map((c) => [c.field, c]));
  const shown = controls.filter((c) => d.state[c.field] !== undefined && c.trait !== 'color');
  const pending = [...props.pending, ...(asked && !props.pending.some((p) => p.confirmationId === asked.confirmationId) ? [asked] : [])];
  const color = controls.filter((c) => c.trait === 'color');

  return (
    <article class={`tile ${d.online ? 'is-online' : 'is-offline'}`} aria-labelledby={`dev-${d.id}`} data-device={d.id}>
      <header>
        <h3 id={`dev-${d.id}`}>{name}</h3>
        <span class="status" data-status>{d.online ? t('online') : t('offline')}</span>
      </header>
      <p class="values" data-values>
        {shown.map((c) => (
          <span class="value" data-field={c.field} title={fieldName(c.field, lang)} key={c.field}>
            {formatValue(c.field, d.state[c.field], byField.get(c.field), t, lang)}
          </span>
        ))}
      </p>
      <div class="controls">
        {controls.map((c) => (c.trait === 'color' ? null : <FieldInput key={c.field} control={c} device={d} name={name} enabled={enabled} send={send} t={t} lang={lang} />))}
        {color.length > 0 && color.every((c) => c.set) ? <ColourInput device={d} name={name} enabled={enabled} send={send} t={t} /> : null}
      </div>
      {pending.map((p) => (
        <ConfirmBar key={p.confirmationId} confirmation={p} t={t} canControl={props.canControl} onSettled={() => setAsked(undefined)} />
      ))}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </article>
  );
}

function FieldInput(props: { control: FieldControl; device: DeviceView; name: string; enabled: boolean; send: (c: CommandCall) => Promise<boolean>; t: Translate; lang: Lang }) {
  const { control: c, device: d, name, enabled, send, t, lang } = props;
  const value = d.state[c.field];
  const label = `${name}: ${fieldName(c.field, lang)}`;
  // a slider's value while it moves and until the device reports it (keys and drags send one command, not one per step)
  const [draft, setDraft] = useState<number | undefined>();
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (draft !== undefined && value === draft && timer.current === undefined) setDraft(undefined);
  }, [value, draft]);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const set = c.set;
  if (c.readOnly || !set) return null;
  if (set.kind === 'boolean') {
    if (c.trait === 'program' && c.field === 'running') {
      const running = value === true;
      return (
        <button type="button" class="program" disabled={!enabled} aria-label={`${name}: ${running ? t('pause') : t('start')}`} onClick={() => send(running ? set.off : set.on)}>
          {running ? t('pause') : t('start')}
        </button>
      );
    }
    return (
      <label class="switch">
        <span aria-hidden="true">{fieldName(c.field, lang)}</span>
        <input type="checkbox" role="switch" aria-label={label} checked={value === true} disabled={!enabled} onChange={(e) => {
          const box = e.currentTarget as HTMLInputElement;
          send(box.checked ? set.on : set.off);
          // the switch shows the device's state, not the click: it moves when the device reports (or after a confirmation)
          box.checked = value === true;
        }} />
      </label>
    );
  }
  if (set.kind === 'enum') {
    const options = c.options ?? Object.keys(set.calls);
    return (
      <label class="select">
        <span>{fieldName(c.field, lang)}</span>
        <select aria-label={label} disabled={!enabled} value={typeof value === 'string' ? value : ''} onChange={(e) => {
          const call = set.calls[(e.currentTarget as HTMLSelectElement).value];
          if (call) send(call);
        }}>
          {typeof value !== 'string' || !options.includes(value) ? <option value="">–</option> : null}
          {options.map((o) => (
            <option value={o} key={o}>
              {optionText(c, o, lang)}
            </option>
          ))}
        </select>
      </label>
    );
  }
  const current = draft ?? (typeof value === 'number' ? value : c.range?.[0] ?? 0);
  const commit = (v: number) => {
    if (!Number.isFinite(v)) return;
    setDraft(v);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      void send({ command: set.command, params: { [set.param]: v } }).then((ok) => {
        if (!ok && timer.current === undefined) setDraft(undefined);
      });
    }, 300);
  };
  if (c.range) {
    return (
      <label class="slider">
        <span>
          {fieldName(c.field, lang)} <output>{formatValue(c.field, current, c, t, lang)}</output>
        </span>
        <input
          type="range"
          aria-label={label}
          min={c.range[0]}
          max={c.range[1]}
          step={c.datatype === 'float' ? 0.5 : 1}
          value={current}
          disabled={!enabled}
          onInput={(e) => setDraft(Number((e.currentTarget as HTMLInputElement).value))}
          onChange={(e) => commit(Number((e.currentTarget as HTMLInputElement).value))}
        />
      </label>
    );
  }
  return (
    <label class="number">
      <span>{fieldName(c.field, lang)}</span>
      <input type="number" aria-label={label} value={current} disabled={!enabled} onChange={(e) => commit(Number((e.currentTarget as HTMLInputElement).value))} />
    </label>
  );
}

/** hue (°) and saturation (%) of the colour trait as one colour picker, at full value */
function ColourInput(props: { device: DeviceView; name: string; enabled: boolean; send: (c: CommandCall) => Promise<boolean>; t: Translate }) {
  const { device: d, name, enabled, send, t } = props;
  const hue = typeof d.state.hue === 'number' ? d.state.hue : 0;
  const sat = typeof d.state.saturation === 'number' ? d.state.saturation : 0;
  return (
    <label class="colour">
      <span>{t('colour')}</span>
      <input
        type="color"
        aria-label={`${name}: ${t('colour')}`}
        value={hsvToHex(hue, sat)}
        disabled={!enabled}
        onChange={(e) => {
          const { h, s } = hexToHs((e.currentTarget as HTMLInputElement).value);
          send({ command: 'setColor', params: { hue: h, saturation: s } });
        }}
      />
    </label>
  );
}

export function hsvToHex(h: number, s: number): string {
  const sat = s / 100;
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return Math.round(255 * (1 - sat * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return `#${[f(5), f(3), f(1)].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export function hexToHs(hex: string): { h: number; s: number } {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let h = 0;
  if (d > 0) h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return { h: Math.round((h * 60 + 360) % 360), s: max === 0 ? 0 : Math.round((d / max) * 100) };
}
