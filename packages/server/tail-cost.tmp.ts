import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SqliteStore } from './src/storage/sqlite/sqlite-store.ts';
const store = await SqliteStore.open(path.join(mkdtempSync(path.join(tmpdir(), 'tail-')), 't.db'));
const now = new Date().toISOString();
const ann = await store.createUser({ id: 'ann', name: 'Ann', kind: 'guest', createdAt: now });
await store.ensureRoom({ name: 'r', visibility: 'public', ownerId: null, createdAt: now });
const words = 'the release notes are ready please review deploy staging tonight lunch meeting coffee bug fix merged build green red alert customer ticket'.split(' ');
let n = 0;
for (const size of [1000, 5000, 10000, 20000, 40000]) {
  const batch = [];
  while (n < size) { n++; batch.push(store.appendMessage({ id: `m${n}`, room: 'r', author: ann, text: `${words[n % words.length]} ${words[(n * 7) % words.length]} message number ${n} with some more words to be realistic ${n % 10 === 0 ? 'café' : 'cafe'}`, date: now, clientId: `c${n}`, clientDate: undefined })); }
  await Promise.all(batch);
  const times = [];
  for (let i = 0; i < 10; i++) { const t = performance.now(); await store.searchCandidates(['zebra'], ['r'], 100); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  const got = (await store.searchCandidates(['cafe', 'number 1000'], ['r'], 100)).map((c) => c.id);
  console.log(`pending ${await store.pendingCount()}: rare term median ${times[5]!.toFixed(1)} ms, max ${times[9]!.toFixed(1)} ms`, got.slice(0, 3));
}
await store.close();
