/** POST /api/voice: audio in (raw body or multipart `file`), the command response with the transcript out. */
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { StewardError } from '@steward/device-adapters';
import type { RouteDoc } from '../core/feature.ts';
import { parseOrThrow, stewardErrorHandler } from '../http/errors.ts';
import { AUDIO_MIME } from './audio.ts';
import { MAX_AUDIO_BYTES, VoiceQuerySchema, VoiceResponseSchema } from './contract.ts';
import { parseMultipart } from './multipart.ts';
import type { VoiceService } from './service.ts';

export const VOICE_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/api/voice',
    summary: 'Speak a command: audio/wav (or webm, ogg, mpeg; or multipart `file`) up to 2 MB; ?area, ?conversationId, ?lang, ?reply=audio',
    response: VoiceResponseSchema,
    errors: [400, 413, 415, 503],
    auth: 'always',
  },
];

const MIME_BASE = new Set<string>(AUDIO_MIME);

/** `service` undefined: voice is disabled, `why` says what to install or configure */
export function voiceRoutes(service: VoiceService | undefined, why: string): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler((error: FastifyError, _request, reply) => stewardErrorHandler(error, reply, app.log));
    // room for the multipart envelope around a 2 MB file; the audio itself is checked against MAX_AUDIO_BYTES
    const bodyLimit = MAX_AUDIO_BYTES + 64 * 1024;
    app.addContentTypeParser([...AUDIO_MIME, 'multipart/form-data', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
    app.post('/voice', { bodyLimit }, async (request) => {
      if (!service) throw new StewardError('UNAVAILABLE', why);
      const query = parseOrThrow(VoiceQuerySchema, request.query, 'query');
      const type = (request.headers['content-type'] ?? '').toLowerCase();
      const base = type.split(';')[0]!.trim();
      if (!Buffer.isBuffer(request.body)) throw new StewardError('BAD_REQUEST', `no audio: send the audio as the body (Content-Type ${AUDIO_MIME.join(', ')}) or as multipart field 'file'`, { reason: 'missing' });
      let audio: Buffer = request.body;
      let mime = base === 'application/octet-stream' ? 'audio/wav' : base;
      let lang = query.lang;
      if (base === 'multipart/form-data') {
        const parts = parseMultipart(audio, type);
        const file = parts.find((p) => p.name === 'file');
        if (!file) throw new StewardError('BAD_REQUEST', "the multipart body has no 'file' field", { reason: 'missing' });
        audio = file.data;
        const partType = file.contentType?.split(';')[0]?.trim().toLowerCase();
        mime = partType && MIME_BASE.has(partType) ? partType : /\.(webm|ogg|mp3|mpeg)$/i.test(file.filename ?? '') ? 'audio/mpeg' : 'audio/wav';
        if (file.filename?.endsWith('.webm')) mime = 'audio/webm';
        if (file.filename?.endsWith('.ogg')) mime = 'audio/ogg';
        const language = parts.find((p) => p.name === 'language')?.data.toString('utf8').trim();
        if (!lang && language) lang = parseOrThrow(VoiceQuerySchema.shape.lang, language, 'language');
      }
      if (audio.length > MAX_AUDIO_BYTES) throw new StewardError('PAYLOAD_TOO_LARGE', `the audio is larger than ${MAX_AUDIO_BYTES} bytes`);
      const response = await service.handle({
        audio,
        mime,
        ...(query.area ? { area: query.area } : {}),
        ...(query.conversationId ? { conversationId: query.conversationId } : {}),
        ...(lang ? { lang } : {}),
        replyAudio: query.reply === 'audio',
      });
      return VoiceResponseSchema.parse(response);
    });
  };
}
