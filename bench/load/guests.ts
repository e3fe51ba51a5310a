import { request, type Agent } from 'node:http';

/**
 * Source addresses on the loopback range. pockychat rate-limits per address
 * (20 guest sign-ins and 600 requests a minute): the harness spreads its
 * HTTP calls over 127.1.x.y, each address used for a bounded number of calls.
 */
let nextAddress = 0;
export function freshAddress(): string {
  const a = nextAddress++;
  return `127.1.${Math.floor(a / 250) % 250}.${(a % 250) + 1}`;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export function httpCall(
  url: string,
  options: { method?: string; body?: unknown; token?: string; agent?: Agent; localAddress?: string },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {};
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers,
        ...(options.agent ? { agent: options.agent } : { localAddress: options.localAddress }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** `count` guest accounts through POST /auth/guest, at most 20 per source address; their tokens. */
export async function createGuests(url: string, count: number, concurrency = 8): Promise<string[]> {
  const tokens: string[] = new Array<string>(count);
  let address = freshAddress();
  let usedOnAddress = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      if (usedOnAddress++ >= 18) {
        address = freshAddress();
        usedOnAddress = 1;
      }
      const answer = await httpCall(`${url}/auth/guest`, {
        method: 'POST',
        body: { name: `bench${i}` },
        localAddress: address,
      });
      if (answer.status !== 200) throw new Error(`guest sign-in failed: ${answer.status} ${answer.body}`);
      tokens[i] = (JSON.parse(answer.body) as { token: string }).token;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tokens;
}
