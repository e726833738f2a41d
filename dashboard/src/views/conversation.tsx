/**
 * Conversation: a command box and the replies; a confirmation prompt as Confirm / Cancel; the planner's progress
 * steps as they stream; a microphone button that records with MediaRecorder and posts the audio to /api/voice.
 */
import { useRef, useState } from 'preact/hooks';
import { errorText, request, streamCommand } from '../api.ts';
import type { Translate } from '../i18n.ts';
import { live } from '../live.ts';
import type { CommandResponse } from '../types.ts';
import { ConfirmBar } from './confirm.tsx';

interface Turn {
  id: number;
  text: string;
  heard?: boolean;
  steps: string[];
  response?: CommandResponse;
  error?: string;
  settled?: 'confirm' | 'cancel';
}

let nextId = 1;

function describeStep(type: string, data: Record<string, unknown>): string {
  if (type === 'tool_call') return `→ ${String(data.name ?? 'tool')}(${JSON.stringify(data.arguments ?? {})})`;
  if (type === 'tool_result') return `← ${String(data.name ?? 'tool')}: ${data.ok === false ? 'failed' : 'ok'}`;
  return `${type} ${typeof data.step === 'number' ? data.step : ''}`.trim();
}

export function ConversationView(props: { t: Translate; canControl: boolean }) {
  const { t } = props;
  const [turns, setTurns] = useState<Turn[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [recording, setRecording] = useState(false);
  const [micError, setMicError] = useState<string | undefined>();
  const conversationId = useRef<string | undefined>(undefined);
  const recorder = useRef<MediaRecorder | undefined>(undefined);

  const update = (id: number, patch: Partial<Turn> | ((t: Turn) => Partial<Turn>)) =>
    setTurns((all) => all.map((x) => (x.id === id ? { ...x, ...(typeof patch === 'function' ? patch(x) : patch) } : x)));

  const finish = (id: number, r: CommandResponse) => {
    conversationId.current = r.conversationId;
    update(id, { response: r, ...(r.transcript !== undefined ? { text: r.transcript } : {}) });
    live.refresh();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const said = text.trim();
    if (said === '' || busy) return;
    const id = nextId++;
    setTurns((all) => [...all, { id, text: said, steps: [] }]);
    setText('');
    setBusy(true);
    try {
      const body = { text: said, ...(conversationId.current ? { conversationId: conversationId.current } : {}) };
      const r = await streamCommand<CommandResponse>(body, (type, data) => update(id, (x) => ({ steps: [...x.steps, describeStep(type, data)] })));
      finish(id, r);
    } catch (err) {
      update(id, { error: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const toggleMic = async () => {
    setMicError(undefined);
    if (recording) {
      recorder.current?.stop();
      return;
    }
    if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      setMicError(t('micUnavailable'));
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const type = ['audio/webm', 'audio/ogg'].find((m) => MediaRecorder.isTypeSupported(m));
      const rec = new MediaRecorder(stream, type ? { mimeType: type } : {});
      const chunks: Blob[] = [];
      rec.ondataavailable = (ev) => chunks.push(ev.data);
      rec.onstop = async () => {
        stream.getTracks().forEach((tr) => tr.stop());
        setRecording(false);
        const mime = (rec.mimeType || 'audio/webm').split(';')[0]!;
        const id = nextId++;
        setTurns((all) => [...all, { id, text: '🎤 …', heard: true, steps: [] }]);
        try {
          const q = conversationId.current ? `?conversationId=${encodeURIComponent(conversationId.current)}` : '';
          const r = await request<CommandResponse>('POST', `/api/voice${q}`, undefined, { raw: new Blob(chunks, { type: mime }), contentType: mime });
          finish(id, r.body);
        } catch (err) {
          update(id, { error: errorText(err) });
        }
      };
      recorder.current = rec;
      rec.start();
      setRecording(true);
    } catch (err) {
      setMicError(errorText(err));
    }
  };

  return (
    <section class="conversation" aria-labelledby="conversation-title">
      <h2 id="conversation-title">{t('navConversation')}</h2>
      <ol class="turns" aria-live="polite">
        {turns.map((turn) => (
          <li key={turn.id} class="turn" data-turn={turn.id}>
            <p class="said">
              <strong>{turn.heard ? t('heard') : t('you')}:</strong> {turn.text}
            </p>
            {turn.steps.length > 0 ? (
              <details open class="steps">
                <summary>{t('steps')}</summary>
                <ol>
                  {turn.steps.map((s, i) => (
                    <li key={i}>{s}</li>
                  ))}
                </ol>
              </details>
            ) : null}
            {turn.response ? (
              <p class="reply" data-reply>
                <strong>{t('hub')}:</strong> {turn.response.reply}
              </p>
            ) : null}
            {turn.response?.confirmation && !turn.settled ? (
              <ConfirmBar confirmation={turn.response.confirmation} t={t} canControl={props.canControl} onSettled={(d) => update(turn.id, { settled: d })} />
            ) : null}
            {turn.settled ? <p class="settled">{turn.settled === 'confirm' ? t('confirmed') : t('cancelled')}</p> : null}
            {turn.error ? (
              <p class="error" role="alert">
                {turn.error}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      <form class="command" onSubmit={submit}>
        <label for="command-text">{t('commandLabel')}</label>
        <div class="row">
          <input id="command-text" type="text" autocomplete="off" value={text} placeholder={t('commandPlaceholder')} disabled={!props.canControl} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" class="primary" disabled={busy || !props.canControl}>
            {t('send')}
          </button>
          <button type="button" class={recording ? 'recording' : ''} aria-pressed={recording} aria-label={recording ? t('stopRecording') : t('microphone')} disabled={!props.canControl} onClick={toggleMic}>
            {recording ? t('stop') : t('speak')}
          </button>
        </div>
        {micError ? <p role="alert">{micError}</p> : null}
      </form>
    </section>
  );
}
