import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
  type ECDH,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { makeCertificate } from './certificate.ts';

/** A browser's side of one subscription: the key pair and auth secret it made (RFC 8291). */
export interface TestSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** The status the push service answers for this subscription (201 unless set: 410 to say it is gone). */
  status: number;
}

/** One push as the push service received it, decrypted, and what its VAPID header said. */
export interface ReceivedPush {
  subscriptionId: string;
  payload: unknown;
  /** The VAPID JWT's claims; checked: ES256 over `k`, aud = the endpoint's origin, exp in the future. */
  claims: { aud: string; exp: number; sub: string };
  /** The `k` of the Authorization header: the server's VAPID public key. */
  vapidKey: string;
  headers: { ttl: string | undefined; topic: string | undefined; urgency: string | undefined };
}

/**
 * A local push service over HTTPS (its own self-signed certificate: give
 * the server `pem` as the CA): records each push after checking its VAPID
 * signature and decrypting its aes128gcm body by hand, with node:crypto
 * ECDH and HKDF and the subscription's private key. A push that fails
 * either check is answered 400 and kept in `rejected`.
 */
export class TestPushEndpoint {
  readonly received: ReceivedPush[] = [];
  readonly rejected: { subscriptionId: string; reason: string }[] = [];
  readonly pem: string;
  /** The certificate's file: NODE_EXTRA_CA_CERTS for a server in another process. */
  readonly caFile: string;
  readonly #server: Server;
  readonly #subscriptions = new Map<string, TestSubscription & { ecdh: ECDH; authSecret: Buffer }>();
  #origin = '';

  private constructor(cert: { cert: string; key: string; pem: string }) {
    this.pem = cert.pem;
    this.caFile = cert.cert;
    this.#server = createServer({ cert: readFileSync(cert.cert), key: readFileSync(cert.key) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1] ?? '';
        const subscription = this.#subscriptions.get(id);
        if (req.method !== 'POST' || !subscription) {
          res.writeHead(404).end();
          return;
        }
        try {
          const { claims, vapidKey } = verifyVapid(req.headers.authorization, this.#origin);
          const payload = JSON.parse(decrypt(Buffer.concat(chunks), subscription).toString('utf8')) as unknown;
          this.received.push({
            subscriptionId: id,
            payload,
            claims,
            vapidKey,
            headers: {
              ttl: req.headers.ttl as string | undefined,
              topic: req.headers.topic as string | undefined,
              urgency: req.headers.urgency as string | undefined,
            },
          });
          res.writeHead(subscription.status).end();
        } catch (err) {
          this.rejected.push({ subscriptionId: id, reason: (err as Error).message });
          res.writeHead(400).end();
        }
      });
    });
  }

  static async start(): Promise<TestPushEndpoint> {
    const endpoint = new TestPushEndpoint(makeCertificate());
    await new Promise<void>((resolve) => endpoint.#server.listen(0, '127.0.0.1', resolve));
    const address = endpoint.#server.address();
    endpoint.#origin = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return endpoint;
  }

  /** A new subscription, as PushManager.subscribe would make it. */
  subscribe(): TestSubscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const authSecret = randomBytes(16);
    const id = randomUUID();
    const subscription = {
      id,
      endpoint: `${this.#origin}/push/${id}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
      status: 201,
      ecdh,
      authSecret,
    };
    this.#subscriptions.set(id, subscription);
    return subscription;
  }

  /** The body PushSubscription.toJSON() gives. */
  static body(subscription: TestSubscription): { endpoint: string; keys: { p256dh: string; auth: string } } {
    return { endpoint: subscription.endpoint, keys: subscription.keys };
  }

  /** Sets what the push service answers to this subscription's pushes. */
  answer(subscription: TestSubscription, status: number): void {
    const stored = this.#subscriptions.get(subscription.id);
    if (stored) stored.status = status;
  }

  pushesTo(subscription: TestSubscription): ReceivedPush[] {
    return this.received.filter((p) => p.subscriptionId === subscription.id);
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** RFC 8292: `vapid t=<JWT>, k=<public key>`; the JWT is ES256 over k, for this origin, not expired. */
function verifyVapid(header: string | undefined, origin: string): { claims: ReceivedPush['claims']; vapidKey: string } {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  if (!match) throw new Error(`no vapid Authorization header: ${header}`);
  const [, jwt, vapidKey] = match as unknown as [string, string, string];
  const [head, body, signature] = jwt.split('.') as [string, string, string];
  const raw = Buffer.from(vapidKey, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${head}.${body}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new Error('the VAPID signature does not verify');
  if ((JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string }).alg !== 'ES256')
    throw new Error('the VAPID JWT is not ES256');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as ReceivedPush['claims'];
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not ${origin}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error(`exp ${claims.exp} is not within 24 h`);
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${claims.sub} is not mailto: or https:`);
  return { claims, vapidKey };
}

/**
 * RFC 8188 aes128gcm with the RFC 8291 key: header = salt (16) | rs (4) |
 * idlen (1) | keyid (the sender's ECDH public key); one record, whose
 * plaintext ends with the delimiter 0x02 and optional zero padding.
 */
function decrypt(body: Buffer, subscription: { ecdh: ECDH; authSecret: Buffer }): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body.readUInt8(20);
  const senderKey = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  const ecdhSecret = subscription.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), subscription.ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, subscription.authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('the last record lacks its 0x02 delimiter');
  return padded.subarray(0, end);
}
