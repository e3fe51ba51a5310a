import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import rangeParser from 'range-parser';
import { z } from 'zod';
import { ClientId, RoomName, storableText } from '@pockychat/protocol';
import { ChatError } from '../chat/chat-error.ts';
import type { FileService, Upload } from '../chat/file-service.ts';
import type { FileRecord } from '../chat/model.ts';
import { parse } from './parse.ts';
import type { HttpSession } from './session.ts';

export interface FileRouteDeps {
  files: FileService;
  session: HttpSession;
  maxFileBytes: number;
}

const UploadQuery = z.object({
  clientId: ClientId,
  name: z.string().max(1000).optional(),
  text: storableText(0, 4000).optional(),
});

/**
 * Uploads stream from the socket to the blob store: the body is never
 * parsed, buffered whole or base64'd. Downloads stream back with Range and
 * ETag, and only images, audio and video are ever inline.
 */
export async function registerFileRoutes(app: FastifyInstance, deps: FileRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    // In this scope no parser reads the body: the handler streams it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    await scope.register(fastifyMultipart, {
      limits: { files: 1, fields: 0, fileSize: deps.maxFileBytes + 1, headerPairs: 50 },
    });
    scope.post('/rooms/:room/files', (request, reply) => upload(request, reply, deps));
  });
  app.get('/files/:id', (request, reply) => download(request, reply, deps));
}

async function upload(request: FastifyRequest, reply: FastifyReply, deps: FileRouteDeps) {
  const user = await deps.session.require(request);
  const room = parse(RoomName, (request.params as { room?: unknown }).room);
  const query = parse(UploadQuery, request.query);
  const declared = Number(request.headers['content-length'] ?? 0);
  // Refuse what says it is too large before reading it; what lies is cut mid-stream.
  if (declared > deps.maxFileBytes + 64 * 1024) throw tooLarge(deps.maxFileBytes, reply);
  const body = request.isMultipart() ? await multipartFile(request) : rawFile(request, query.name);
  try {
    const { message, duplicate } = await deps.files.upload(user, {
      room,
      clientId: query.clientId,
      text: query.text ?? '',
      ...body,
    });
    return reply.code(duplicate ? 200 : 201).send({ message });
  } catch (err) {
    if (err instanceof ChatError && err.code === 'too_large') throw tooLarge(deps.maxFileBytes, reply);
    throw err;
  } finally {
    body.body.resume();
  }
}

function rawFile(request: FastifyRequest, name: string | undefined): Omit<Upload, 'room' | 'clientId' | 'text'> {
  return { name: cleanName(name), claimedType: request.headers['content-type'], body: request.raw };
}

async function multipartFile(request: FastifyRequest): Promise<Omit<Upload, 'room' | 'clientId' | 'text'>> {
  const part = await request.file().catch(() => undefined);
  if (!part) throw new ChatError('bad_request', 'a multipart upload has one field named "file"');
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw new ChatError('bad_request', 'a multipart upload has one field named "file"');
  }
  return { name: cleanName(part.filename), claimedType: part.mimetype, body: part.file };
}

/** A display name: the last path segment, no control characters, at most 255 characters. */
function cleanName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .slice(0, 255);
  return clean.isWellFormed() && clean ? clean : 'file';
}

function tooLarge(limit: number, reply: FastifyReply): ChatError {
  // The rest of the body is not worth reading: close once answered.
  reply.header('connection', 'close');
  return new ChatError('too_large', `a file is at most ${limit} bytes`);
}

async function download(request: FastifyRequest, reply: FastifyReply, deps: FileRouteDeps) {
  const user = await deps.session.require(request);
  const id = (request.params as { id: string }).id;
  const { file, stream } = await deps.files.download(user, id);
  const etag = `"${file.sha256}"`;
  setFileHeaders(reply, file, etag);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const size = file.ref.size;
  const ranges = request.headers.range ? rangeParser(size, request.headers.range, { combine: true }) : undefined;
  if (ranges === -1) {
    return reply
      .code(416)
      .header('content-range', `bytes */${size}`)
      .type('application/json')
      .send({ error: { code: 'bad_request', message: 'range not satisfiable' } });
  }
  const range = Array.isArray(ranges) && ranges.length === 1 && ranges.type === 'bytes' ? ranges[0] : undefined;
  if (range) {
    reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
    reply.header('content-length', range.end - range.start + 1);
    return reply.send(stream(range));
  }
  reply.header('content-length', size);
  return reply.send(stream());
}

function setFileHeaders(reply: FastifyReply, file: FileRecord, etag: string): void {
  const disposition = file.inline ? 'inline' : 'attachment';
  reply
    .type(file.inline ? file.ref.type : safeDownloadType(file.ref.type))
    .header('etag', etag)
    .header('accept-ranges', 'bytes')
    .header('cache-control', 'private, max-age=31536000, immutable')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeRfc8187(file.ref.name)}`)
    // Even opened directly, a file is a sandboxed document that runs nothing.
    .header('content-security-policy', "default-src 'none'; img-src 'self'; media-src 'self'; sandbox")
    .header('cross-origin-resource-policy', 'same-site');
}

/** Anything a browser might run is labelled as bytes when downloaded. */
function safeDownloadType(type: string): string {
  return /html|xml|svg|javascript|ecmascript/.test(type) ? 'application/octet-stream' : type;
}

/** A filename* value (RFC 8187): encodeURIComponent leaves ' ( ) * as they are, which its grammar does not allow. */
function encodeRfc8187(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
