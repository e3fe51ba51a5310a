import type { ServerKind } from '../servers/spawn.ts';
import type { BenchClient } from './client.ts';
import { closeAll } from './connect.ts';
import type { OneServerRun, RunContext } from './context.ts';
import { ConversationTracker } from './conversation-tracker.ts';
import { connectAndJoin, phaseMeta } from './driver.ts';
import { openLoop } from './loops.ts';
import { measurePhase, type OperationMix, type PhaseResult } from './measure.ts';

export const CONVERSATION_ROOM = 'conversation';
// Not ❤️: a change of ❤️ also sends the v1 likes frame, a second fan-out this scenario does not count.
const EMOJI = ['🎉', '👍', '😂'];

const emptyMix = (): OperationMix => ({ send: 0, edit: 0, react: 0, unreact: 0, fallback: 0 });

/**
 * Conversation (pockychat only: the baselines have no edits): the fan-out
 * room and open loop at its highest rate, measured twice in one round, once
 * with plain messages only and once with a quarter of the operations edits
 * of the sender's own recent message and a quarter reactions (each sender in
 * turn adds one to the room's latest message and takes it back); every
 * change reaches the whole room as `updated`. The two phases swap order
 * from round to round, so that neither always runs on a warmer server.
 */
export async function conversationPhases(ctx: RunContext, run: OneServerRun): Promise<PhaseResult[]> {
  const { clients: count, senders } = ctx.config.fanout;
  const rate = Math.max(...ctx.config.fanout.rates);
  const tracker = new ConversationTracker();
  const clients = await connectAndJoin(ctx, run.target, count, tracker, () => CONVERSATION_ROOM);
  const meta = phaseMeta(ctx, run);
  const loop = (mixed: boolean, ms: number, mix: OperationMix) => {
    let i = 0;
    return openLoop(rate, ms, (at) => operate(tracker, clients, i++, { count, senders, mixed, at, mix }));
  };

  // Warm-up: plain messages (the room's first messages to change), then the mixed path, which V8 must compile too.
  await loop(false, ctx.config.warmupMs, emptyMix());
  await loop(true, 2 * ctx.config.warmupMs, emptyMix());
  await tracker.settle(ctx.config.drainMs);
  if (run.profileFile) await run.servers[0]?.probe('profile-start');
  const results: PhaseResult[] = [];
  const order = run.round % 2 === 1 ? [false, true] : [true, false];
  for (const mixed of order) {
    const mix = emptyMix();
    const result = await measurePhase(
      run.servers,
      tracker,
      meta(mixed ? `open ${rate} ops/s mixed` : `open ${rate} msg/s plain`),
      () => loop(mixed, ctx.config.openPhaseMs, mix),
    );
    if (mix.fallback > 0)
      result.warnings.push(`${mix.fallback} edits/reactions found no free message and went as plain messages`);
    results.push({ ...result, mix });
  }
  if (run.profileFile) await run.servers[0]?.probe('profile-stop', run.profileFile);
  closeAll(clients);
  return results;
}

interface Operation {
  count: number;
  senders: number;
  mixed: boolean;
  /** When the open loop scheduled it. */
  at: number;
  mix: OperationMix;
}

/**
 * Operation i of a loop, from sender s = i mod senders. In a mixed loop its
 * kind is (⌊i / senders⌋ + s) mod 4: send, send, edit, react. Each sender
 * takes the kinds in turn, and the senders are a kind apart, so a quarter of
 * the operations are of each kind at any moment, whatever the number of senders.
 */
function operate(tracker: ConversationTracker, clients: BenchClient[], i: number, op: Operation): void {
  const client = clients[i % op.senders] as BenchClient;
  const kind = op.mixed ? (Math.floor(i / op.senders) + (i % op.senders)) % 4 : 0;
  if (kind === 2 && edit(tracker, client, op)) return;
  if (kind === 3 && react(tracker, client, op)) return;
  if (kind >= 2) op.mix.fallback++;
  op.mix.send++;
  client.send(CONVERSATION_ROOM, tracker.allocate(client.index, op.count, op.at));
}

function edit(tracker: ConversationTracker, client: BenchClient, op: Operation): boolean {
  const id = tracker.freeOwn(client.index);
  if (id === undefined || !client.edit) return false;
  const n = tracker.allocate(client.index, op.count, op.at);
  tracker.begin(id, n);
  client.edit(CONVERSATION_ROOM, id, n);
  op.mix.edit++;
  return true;
}

/** Takes back the reaction the sender has in place, or else adds one to the room's most recent free message. */
function react(tracker: ConversationTracker, client: BenchClient, op: Operation): boolean {
  const had = tracker.reactionOf(client.index);
  const id = had ? had.id : tracker.freeRecent();
  if (id === undefined || tracker.busy(id) || !client.react) return false;
  const n = tracker.allocate(client.index, op.count, op.at);
  const emoji = had?.emoji ?? EMOJI[n % EMOJI.length] ?? '🎉';
  tracker.begin(id, n);
  tracker.setReaction(client.index, had ? undefined : { id, emoji });
  client.react(CONVERSATION_ROOM, id, emoji, !had, n);
  if (had) op.mix.unreact++;
  else op.mix.react++;
  return true;
}

export function conversationScenario(
  ctx: RunContext,
  kind: ServerKind,
  round: number,
  profile = false,
): Promise<PhaseResult[]> {
  return ctx.onOneServer(kind, 'conversation', round, { phases: profile, wholeLife: false }, (run) =>
    conversationPhases(ctx, run),
  );
}
