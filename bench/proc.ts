import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Reading another process's CPU time and memory from /proc, and pinning processes to cores. */

const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in microseconds (clock-tick resolution, 10 ms). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces or parentheses: count the fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1_000_000) / TICKS_PER_SECOND;
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

let tasksetChecked: boolean | undefined;

export function hasTaskset(): boolean {
  if (tasksetChecked === undefined) {
    try {
      execFileSync('taskset', ['-V'], { stdio: 'ignore' });
      tasksetChecked = true;
    } catch {
      tasksetChecked = false;
    }
  }
  return tasksetChecked;
}

/** Pins a running process (all its threads with `all`) to a core; false when taskset is missing or fails. */
export function pin(pid: number, core: number, all = true): boolean {
  if (!hasTaskset()) return false;
  try {
    execFileSync('taskset', [...(all ? ['-a'] : []), '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `start` with this process's main thread pinned to the server core, so
 * that the processes it spawns (PostgreSQL, Redis) inherit that core, then
 * moves the main thread back to the load generator's core.
 */
export async function spawningOn<T>(core: number, back: number, start: () => Promise<T>): Promise<T> {
  pin(process.pid, core, false);
  try {
    return await start();
  } finally {
    pin(process.pid, back, false);
  }
}

/**
 * Busy time of one core (user, nice, system, irq, softirq, steal), in
 * microseconds. On loopback, TCP receive processing runs as softirq on the
 * sending core and is charged to no process: this counts it.
 */
export function coreBusyMicros(core: number): number {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${core} `));
  if (!line) return NaN;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const ticks = [user, nice, system, irq, softirq, steal].reduce<number>((a, v) => a + (v ?? 0), 0);
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}
