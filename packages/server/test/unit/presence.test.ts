import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PresenceStatus } from '@pockychat/protocol';
import { LocalPresence } from '../../src/chat/local-presence.ts';
import { Presence, type PresenceAudience } from '../../src/chat/presence.ts';
import { LocalFanout } from '../../src/fanout/local-fanout.ts';
import { FakeClock } from './domain.ts';

const AWAY = 300_000;
const GAP = 3000;

function local(clock = new FakeClock()) {
  return { clock, presence: new LocalPresence({ clock, awayAfterMs: AWAY, minChangeIntervalMs: GAP }) };
}

describe('presence state machine (one node, injected clock)', () => {
  test('opened: away at the next sweep until active; active: online; quiet for the threshold: away; last close: offline', () => {
    const { clock, presence } = local();
    assert.equal(presence.opened('ann'), undefined, 'held for the sweep');
    assert.deepEqual(presence.sweep(), [{ userId: 'ann', status: 'away', visible: false }]);
    clock.advance(GAP);
    assert.deepEqual(presence.activity('ann', true, false), { userId: 'ann', status: 'online', visible: true });
    clock.advance(AWAY - 1);
    assert.deepEqual(presence.sweep(), [], 'still online one ms before the threshold');
    clock.advance(1);
    assert.deepEqual(presence.sweep(), [{ userId: 'ann', status: 'away', visible: true }]);
    clock.advance(GAP);
    assert.deepEqual(presence.closed('ann', true, ['lobby']), {
      userId: 'ann',
      status: 'offline',
      visible: false,
      lastRooms: ['lobby'],
    });
    assert.equal(presence.sentStatus('ann'), 'offline');
  });

  test('opened then active at once: one change, straight to online', () => {
    const { presence } = local();
    assert.equal(presence.opened('ann'), undefined);
    assert.deepEqual(presence.activity('ann', true, false), { userId: 'ann', status: 'online', visible: true });
    assert.deepEqual(presence.sweep(), []);
  });

  test('a second connection keeps the user: offline only when the last one closes', () => {
    const { clock, presence } = local();
    presence.opened('ann');
    presence.opened('ann');
    presence.sweep();
    clock.advance(GAP);
    assert.equal(presence.closed('ann', false, ['lobby']), undefined);
    assert.equal(presence.sentStatus('ann'), 'away');
    assert.equal(presence.closed('ann', false, ['lobby'])?.status, 'offline');
  });

  test('flapping is rate-limited and coalesces to the latest state', () => {
    const { clock, presence } = local();
    presence.opened('ann');
    presence.sweep();
    assert.equal(presence.activity('ann', true, false), undefined, 'held back: changed less than the gap ago');
    assert.equal(presence.activity('ann', false, true), undefined);
    assert.equal(presence.activity('ann', true, false), undefined);
    assert.deepEqual(presence.sweep(), [], 'not yet due');
    clock.advance(GAP);
    assert.deepEqual(presence.sweep(), [{ userId: 'ann', status: 'online', visible: true }], 'one change, the latest');
    assert.deepEqual(presence.sweep(), []);
  });

  test('a change undone within the gap publishes nothing', () => {
    const { presence, clock } = local();
    presence.opened('ann');
    presence.sweep();
    presence.opened('ann');
    presence.closed('ann', false, []);
    clock.advance(GAP);
    assert.deepEqual(presence.sweep(), []);
  });

  test('visible tabs: true while a connection last reported visible:true and is open, false otherwise', () => {
    const { presence, clock } = local();
    presence.opened('ann');
    assert.equal(presence.hasVisibleTab('ann'), false);
    presence.activity('ann', true, false);
    assert.equal(presence.hasVisibleTab('ann'), true, 'live, even while the change is held back');
    presence.activity('ann', false, true);
    assert.equal(presence.hasVisibleTab('ann'), false, 'reported hidden');
    presence.activity('ann', true, false);
    clock.advance(GAP);
    presence.closed('ann', true, []);
    assert.equal(presence.hasVisibleTab('ann'), false, 'closed');
  });

  test('activity from a user with no connection here is ignored', () => {
    const { presence } = local();
    assert.equal(presence.activity('ghost', true, false), undefined);
    assert.equal(presence.closed('ghost', true, []), undefined);
    assert.equal(presence.sentStatus('ghost'), 'offline');
  });
});

class Heard implements PresenceAudience {
  readonly said: Array<{ userId: string; status: PresenceStatus; rooms: string[] }> = [];
  readonly joined = new Map<string, string[]>();
  roomsOf(userId: string): Iterable<string> {
    return this.joined.get(userId) ?? [];
  }
  announce(userId: string, status: PresenceStatus, rooms: ReadonlySet<string>): void {
    this.said.push({ userId, status, rooms: [...rooms].sort() });
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('presence across nodes (two Presence on one fan-out)', () => {
  function twoNodes() {
    const clock = new FakeClock();
    const fanout = new LocalFanout();
    const options = { awayAfterMs: AWAY, minChangeIntervalMs: GAP, snapshotEveryMs: 10_000, sweepEveryMs: 60_000 };
    const [a, b] = [new Presence({ fanout, clock, options }), new Presence({ fanout, clock, options })];
    const [hearA, hearB] = [new Heard(), new Heard()];
    a.start(hearA);
    b.start(hearB);
    return { clock, a, b, hearA, hearB, stop: () => (a.stop(), b.stop()) };
  }

  test("a user on node A is seen on node B, with A's rooms; closing its connection makes it offline on B", async () => {
    const { clock, a, b, hearB, stop } = twoNodes();
    a.opened('ann');
    a.sweep();
    a.activity('ann', true, false);
    await turn();
    assert.equal(b.statusOf('ann'), 'away', 'the first change went out, the second is held back');
    clock.advance(GAP);
    a.sweep();
    await turn();
    assert.equal(b.statusOf('ann'), 'online');
    assert.equal(b.hasVisibleTab('ann'), true);
    clock.advance(GAP);
    a.closed('ann', true, ['lobby']);
    await turn();
    assert.equal(b.statusOf('ann'), 'offline');
    assert.equal(b.hasVisibleTab('ann'), false);
    assert.deepEqual(
      hearB.said.map((s) => s.status),
      ['away', 'online', 'offline'],
    );
    assert.deepEqual(hearB.said.at(-1)?.rooms, ['lobby'], 'the offline goes where the user was');
    stop();
  });

  test('the best status wins: online on one node, away on the other, is online', async () => {
    const { clock, a, b, stop } = twoNodes();
    a.opened('ann');
    b.opened('ann');
    a.sweep();
    b.sweep();
    b.activity('ann', true, false);
    await turn();
    assert.equal(a.statusOf('ann'), 'away', "b's online is still held back");
    clock.advance(GAP);
    b.sweep();
    await turn();
    assert.equal(a.statusOf('ann'), 'online', 'away here, online on b: online');
    assert.equal(b.statusOf('ann'), 'online');
    stop();
  });

  test("a node that stops sending snapshots has its users expire on the others (a killed node's users go offline)", async () => {
    const { clock, a, b, hearB, stop } = twoNodes();
    a.opened('ann');
    a.sweep();
    await turn();
    assert.equal(b.statusOf('ann'), 'away');
    // A is gone (no sweep, no snapshot); B's snapshots go on.
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      b.sweep();
    }
    assert.equal(b.statusOf('ann'), 'away', 'not before three snapshots were missed');
    clock.advance(10_000);
    b.sweep();
    assert.equal(b.statusOf('ann'), 'offline');
    assert.equal(hearB.said.at(-1)?.status, 'offline');
    stop();
  });

  test("snapshots renew a live node's users: they do not expire", async () => {
    const { clock, a, b, stop } = twoNodes();
    a.opened('ann');
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      a.sweep();
      await turn();
      b.sweep();
    }
    assert.equal(b.statusOf('ann'), 'away');
    stop();
  });
});
