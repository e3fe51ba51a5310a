import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';

/**
 * Preloaded (--import) into every server under test, pockychat included, so
 * the harness can read the same numbers from each without touching its code:
 * event-loop utilisation, CPU, memory, and memory after a full GC.
 */

export interface ProbeAnswer {
  id: number;
  elu: { idle: number; active: number };
  cpu: { user: number; system: number };
  memory: NodeJS.MemoryUsage;
}

interface ProbeRequest {
  probe: 'stats' | 'gc' | 'profile-start' | 'profile-stop';
  id: number;
  /** profile-stop: where to write the .cpuprofile. */
  file?: string;
}

const gc = (globalThis as { gc?: () => void }).gc;
let session: Session | undefined;

/**
 * A CPU profile of a window of the server's life (the measured phases, not
 * its start-up or the harness's set-up), through the inspector, in process.
 */
async function profile(request: ProbeRequest): Promise<void> {
  if (request.probe === 'profile-start') {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 250 });
    await session.post('Profiler.start');
  } else if (request.probe === 'profile-stop' && session && request.file) {
    const { profile: result } = await session.post('Profiler.stop');
    writeFileSync(request.file, JSON.stringify(result));
    session.disconnect();
    session = undefined;
  }
}

process.on('message', (raw) => void answer(raw as ProbeRequest));

async function answer(request: ProbeRequest): Promise<void> {
  if (typeof request !== 'object' || request === null || !('probe' in request)) return;
  if (request.probe === 'gc' && gc) {
    gc();
    gc();
  }
  // A failed profile request is still answered: the harness waits for every answer.
  if (request.probe.startsWith('profile')) await profile(request).catch((err: unknown) => console.error(err));
  const elu = performance.eventLoopUtilization();
  const answer: ProbeAnswer = {
    id: request.id,
    elu: { idle: elu.idle, active: elu.active },
    cpu: process.cpuUsage(),
    memory: process.memoryUsage(),
  };
  process.send?.(answer);
}
// The channel must not keep a server alive once it is told to stop.
process.channel?.unref();
// The channel closes when the harness stops this server (SIGTERM follows at
// once) or when the harness itself dies (killed mid-run): then nobody would
// stop the server, pinned to the server core, so it stops itself.
process.once('disconnect', () => setTimeout(() => process.kill(process.pid, 'SIGTERM'), 15_000).unref());
