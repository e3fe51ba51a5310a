import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './test-server.ts';
import { waitFor } from './wait-for.ts';

/** Debian's Python, where python3-aiosmtpd is (scripts/ensure-deps.sh --test installs it). */
const PYTHON = '/usr/bin/python3';
const SINK = path.resolve(import.meta.dirname, 'smtp-sink.py');

export interface Mail {
  /** The envelope recipients. */
  to: string[];
  headers: Record<string, string>;
  /** The text body, transfer encoding undone. */
  text: string;
}

export interface SmtpServer {
  port: number;
  /** The SMTP_* settings that point a pockychat server at this one (and WEB_URL for the link). */
  env: Record<string, string>;
  /** Every mail received so far, oldest first. */
  mails(): Mail[];
  /** Waits for a mail to `to`, the `nth` (1-based) one to that address. */
  mailTo(to: string, nth?: number): Promise<Mail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (aiosmtpd) in a child process on a free port, writing
 * each message it accepts to a directory the test reads. With `auth`, it
 * requires those credentials.
 */
export async function startSmtpServer(options: { auth?: { user: string; pass: string } } = {}): Promise<SmtpServer> {
  const directory = mkdtempSync(path.join(tmpdir(), 'pockychat-mail-'));
  const port = await freePort();
  const args = [SINK, directory, String(port), ...(options.auth ? [options.auth.user, options.auth.pass] : [])];
  const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the SMTP server exited: ${output}`);
        return output.includes('listening');
      },
      { timeoutMs: 15_000, what: 'the SMTP server (python3-aiosmtpd) to listen' },
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const mails = () =>
    readdirSync(directory)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => parseMail(readFileSync(path.join(directory, name), 'utf8')));
  return {
    port,
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(port),
      SMTP_FROM: 'pockychat <no-reply@chat.example.test>',
      ...(options.auth && { SMTP_USER: options.auth.user, SMTP_PASSWORD: options.auth.pass }),
    },
    mails,
    async mailTo(to, nth = 1) {
      return waitFor(() => mails().filter((mail) => mail.to.includes(to))[nth - 1], {
        timeoutMs: 15_000,
        what: `mail number ${nth} to ${to}`,
      });
    },
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Just enough of RFC 5322 and MIME for nodemailer's text mails: headers, then a 7bit or quoted-printable body. */
function parseMail(raw: string): Mail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let text = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
    text = Buffer.from(
      text
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  } else if (/base64/i.test(headers['content-transfer-encoding'] ?? '')) {
    text = Buffer.from(text, 'base64').toString('utf8');
  }
  return { to: (headers['x-envelope-to'] ?? '').split(','), headers, text: text.replaceAll('\r\n', '\n') };
}
