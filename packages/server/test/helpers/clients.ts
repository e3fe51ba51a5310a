import Primus from 'primus';
import type { AuthAnswer, ServerFrame } from '@pockychat/protocol';
import { waitFor } from './wait-for.ts';

const Socket = Primus.createSocket({ transformer: 'websockets', pathname: '/primus' });

export async function guest(url: string, name = 'Ann'): Promise<AuthAnswer> {
  const response = await fetch(`${url}/auth/guest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 200) throw new Error(`guest sign-in failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as AuthAnswer;
}

/** A guest sign-in as a browser sees it: the answer and the `name=value` of its session cookie. */
export async function guestWithCookie(url: string, name = 'Ann'): Promise<AuthAnswer & { cookie: string }> {
  const response = await fetch(`${url}/auth/guest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 200) throw new Error(`guest sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error('guest sign-in set no cookie');
  return { ...((await response.json()) as AuthAnswer), cookie };
}

export async function api(
  url: string,
  token: string | undefined,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: any }> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(`${url}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A real Primus client that records every frame it receives. */
export class ChatClient {
  readonly frames: ServerFrame[] = [];
  readonly socket: InstanceType<typeof Socket>;
  #closed = false;

  constructor(url: string, token: string, options: Record<string, unknown> = {}) {
    this.socket = new Socket(`${url}?access_token=${encodeURIComponent(token)}`, { strategy: false, ...options });
    // Primus's Node client runs in a vm context: re-create frames in this realm so deepEqual works.
    this.socket.on('data', (frame: ServerFrame) => this.frames.push(JSON.parse(JSON.stringify(frame)) as ServerFrame));
    this.socket.on('end', () => (this.#closed = true));
  }

  static async connect(url: string, token: string, options: Record<string, unknown> = {}): Promise<ChatClient> {
    const client = new ChatClient(url, token, options);
    await new Promise<void>((resolve, reject) => {
      client.socket.once('open', () => resolve());
      client.socket.once('error', reject);
    });
    return client;
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(frame: unknown): void {
    this.socket.write(frame);
  }

  /** Waits for the first frame (after `from`) that matches, and returns it. */
  async next<T extends ServerFrame['type']>(
    type: T,
    match: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    return waitFor(
      () =>
        this.frames.find(
          (f): f is Extract<ServerFrame, { type: T }> =>
            f.type === type && match(f as Extract<ServerFrame, { type: T }>),
        ),
      { timeoutMs, what: `a ${type} frame` },
    );
  }

  of<T extends ServerFrame['type']>(type: T): Array<Extract<ServerFrame, { type: T }>> {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: T }> => f.type === type);
  }

  async join(room: string, visibility?: 'public' | 'private'): Promise<number> {
    this.send(visibility ? { type: 'join', room, visibility } : { type: 'join', room });
    const answer = await waitFor(
      () => this.frames.find((f) => (f.type === 'joined' && f.room === room) || (f.type === 'error' && f.ref === room)),
      { what: `joined ${room}` },
    );
    if (answer.type === 'error') throw new Error(`join ${room} refused: ${answer.code}`);
    return (answer as { lastSeq: number }).lastSeq;
  }

  /**
   * Joins, counting only answers that come after this request (join() would
   * take an earlier `joined` of the same room for this one's): 'joined', or
   * the refusal's code.
   */
  async joinAnswer(room: string): Promise<string> {
    const from = this.frames.length;
    this.send({ type: 'join', room });
    const answer = await waitFor(
      () =>
        this.frames
          .slice(from)
          .find((f) => (f.type === 'joined' && f.room === room) || (f.type === 'error' && f.ref === room)),
      { what: `the answer to joining ${room}` },
    );
    return answer.type === 'error' ? answer.code : 'joined';
  }

  close(): void {
    this.socket.end();
  }
}
