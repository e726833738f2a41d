/** The dashboard: a header (connection, sign-in, language), the views, and the sign-in form. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorText } from './api.ts';
import { initialLang, keepLang, translator, type Lang, type TextKey, type Translate } from './i18n.ts';
import { live, useLive } from './live.ts';
import { loadSession, signIn, signOut, type Session } from './session.ts';
import { ConversationView } from './views/conversation.tsx';
import { DocsView } from './views/docs.tsx';
import { HistoryView } from './views/history.tsx';
import { HomeView } from './views/home.tsx';
import { PairingView } from './views/pairing.tsx';
import './style.css';

type View = 'home' | 'conversation' | 'pairing' | 'history' | 'docs';
const VIEWS: [View, TextKey][] = [
  ['home', 'navHome'],
  ['conversation', 'navConversation'],
  ['pairing', 'navPairing'],
  ['history', 'navHistory'],
  ['docs', 'navDocs'],
];

function viewFromLocation(): View {
  if (location.pathname.replace(/\/+$/, '') === '/docs') return 'docs';
  const h = location.hash.replace(/^#\/?/, '');
  return (VIEWS.find(([v]) => v === h)?.[0] ?? 'home') as View;
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [view, setView] = useState<View>(viewFromLocation);
  const [session, setSession] = useState<Session | undefined>();
  const [signingIn, setSigningIn] = useState(false);
  const s = useLive();
  const t = translator(lang);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appName');
  }, [lang]);
  useEffect(() => {
    const onHash = () => setView(viewFromLocation());
    window.addEventListener('hashchange', onHash);
    loadSession().then(setSession, () => setSession({ signedIn: false, role: 'readonly', sessionApi: true }));
    live.start();
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const canControl = session?.signedIn === true && session.role === 'admin';
  const chooseLang = (l: Lang) => {
    keepLang(l);
    setLang(l);
  };

  return (
    <>
      <header class="top">
        <h1>{t('appName')}</h1>
        <nav aria-label={t('appName')}>
          <ul>
            {VIEWS.map(([v, key]) => (
              <li key={v}>
                <a href={v === 'docs' ? '/docs' : `/#/${v}`} aria-current={view === v ? 'page' : undefined} onClick={(e) => {
                  if (v === 'docs' || location.pathname === '/docs') return;
                  e.preventDefault();
                  history.replaceState(null, '', `#/${v}`);
                  setView(v);
                }}>
                  {t(key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class={`connection connection-${s.connection}`} role="status" data-connection={s.connection}>
          {t(s.connection === 'live' ? 'live' : s.connection === 'polling' ? 'polling' : 'reconnecting')}
        </span>
        <label class="lang">
          <span>{t('language')}</span>
          <select value={lang} onChange={(e) => chooseLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
            <option value="en">English</option>
            <option value="zh">中文</option>
          </select>
        </label>
        {canControl ? (
          <button
            type="button"
            onClick={() =>
              signOut(session!.sessionApi).finally(() => {
                setSession({ ...session!, signedIn: false, role: 'readonly' });
                live.restart();
              })
            }
          >
            {t('signOut')}
          </button>
        ) : (
          <button type="button" class="primary" aria-expanded={signingIn} onClick={() => setSigningIn(!signingIn)}>
            {t('signIn')}
          </button>
        )}
      </header>
      {(signingIn || s.unauthorized) && !canControl ? (
        <SignIn
          t={t}
          sessionApi={session?.sessionApi ?? true}
          onDone={(next) => {
            setSession(next);
            setSigningIn(false);
            live.restart();
          }}
        />
      ) : null}
      {!canControl ? (
        <p class="readonly" data-readonly>
          {t('readOnly')}
        </p>
      ) : null}
      <main>
        {view === 'home' ? <HomeView t={t} lang={lang} canControl={canControl} /> : null}
        {view === 'conversation' ? <ConversationView t={t} canControl={canControl} /> : null}
        {view === 'pairing' ? <PairingView t={t} lang={lang} canControl={canControl} /> : null}
        {view === 'history' ? <HistoryView t={t} lang={lang} signedIn={canControl} /> : null}
        {view === 'docs' ? <DocsView t={t} /> : null}
      </main>
    </>
  );
}

function SignIn(props: { t: Translate; sessionApi: boolean; onDone: (s: Session) => void }) {
  const { t } = props;
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="signin"
      aria-labelledby="signin-title"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          props.onDone(await signIn(token.trim(), props.sessionApi));
        } catch (err) {
          setError(errorText(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="signin-title">{t('signInTitle')}</h2>
      <p>{t('signInHelp')}</p>
      <label for="admin-token">{t('adminToken')}</label>
      <input id="admin-token" type="password" autocomplete="current-password" required value={token} onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit" class="primary" disabled={busy}>
        {t('signIn')}
      </button>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

render(<App />, document.getElementById('app')!);
