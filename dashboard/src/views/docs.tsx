/** /docs: the hub's OpenAPI document (GET /api/schema) as a readable page, rendered here: no CDN, no viewer bundle. */
import { useEffect, useState } from 'preact/hooks';
import { errorText, get } from '../api.ts';
import type { Translate } from '../i18n.ts';

interface Operation {
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

interface OpenApi {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function DocsView(props: { t: Translate }) {
  const { t } = props;
  const [doc, setDoc] = useState<OpenApi | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => void get<OpenApi>('/api/schema').then(setDoc, (e: unknown) => setError(errorText(e))), []);
  if (error) return <p role="alert">{error}</p>;
  if (!doc) return <p>{t('loading')}</p>;
  const paths = Object.entries(doc.paths ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section class="docs" aria-labelledby="docs-title">
      <h2 id="docs-title">
        {t('apiDocs')}: {doc.info?.title ?? 'API'} {doc.info?.version ?? ''}
      </h2>
      {doc.info?.description ? <p>{doc.info.description}</p> : null}
      <p>
        <a href="/api/schema">/api/schema</a> (OpenAPI JSON)
      </p>
      {paths.map(([path, ops]) =>
        METHODS.filter((m) => ops[m]).map((m) => {
          const op = ops[m]!;
          const body = op.requestBody?.content?.['application/json']?.schema;
          return (
            <details class="operation" key={`${m} ${path}`} data-operation={`${m.toUpperCase()} ${path}`}>
              <summary>
                <span class={`method method-${m}`}>{m.toUpperCase()}</span> <code>{path}</code> {op.summary ?? ''}
              </summary>
              {op.description ? <p>{op.description}</p> : null}
              {body ? (
                <>
                  <h4>{t('request')}</h4>
                  <pre>{JSON.stringify(body, null, 2)}</pre>
                </>
              ) : null}
              {Object.entries(op.responses ?? {}).map(([status, r]) => (
                <div key={status}>
                  <h4>
                    {t('response')} {status} {r.description ?? ''}
                  </h4>
                  {r.content?.['application/json']?.schema ? <pre>{JSON.stringify(r.content['application/json'].schema, null, 2)}</pre> : null}
                </div>
              ))}
            </details>
          );
        }),
      )}
      {doc.components?.schemas ? (
        <details class="operation">
          <summary>components.schemas</summary>
          <pre>{JSON.stringify(doc.components.schemas, null, 2)}</pre>
        </details>
      ) : null}
    </section>
  );
}
