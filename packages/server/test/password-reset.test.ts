import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../src/chat/ports/store.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { ChatClient, api } from './helpers/clients.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { startSmtpServer, type Mail, type SmtpServer } from './helpers/smtp-server.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

const WEB_URL = 'http://web.example.test';
const OLD = 'old password 1';
const NEW = 'new password 2';

/** A clock a test may move on (the token expiry is read from it). */
class MovableClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

let emails = 0;
const nextEmail = (what: string) => `${what}-${++emails}@example.test`;

const post = (server: TestServer, path: string, body: unknown) =>
  api(server.url, undefined, path, { method: 'POST', body: JSON.stringify(body) });

async function register(server: TestServer, email: string): Promise<string> {
  const answer = await post(server, '/auth/register', { email, password: OLD, name: 'Resetter' });
  assert.equal(answer.status, 201);
  return answer.body.token as string;
}

/** The token of the reset link in a mail, checked to point at the web client. */
function tokenIn(mail: Mail): string {
  const match = /(http\S+\/#reset=([A-Za-z0-9_-]+))/.exec(mail.text);
  assert.ok(match, `a reset link in:\n${mail.text}`);
  assert.equal(new URL(match[1] as string).origin, WEB_URL, 'the link goes to the web client');
  return match[2] as string;
}

function resetRules(name: string, storeOpener: () => Promise<(() => Promise<Store>) | undefined>): void {
  describe(`password reset by email over SMTP: ${name}`, () => {
    let smtp: SmtpServer;
    let server: TestServer;
    const clock = new MovableClock();
    before(async () => {
      smtp = await startSmtpServer();
      const openStore = await storeOpener();
      server = await startTestServer({
        env: { ...smtp.env, WEB_URL, AUTH_RATE_LIMIT: '1000' },
        clock,
        ...(openStore && { openStore }),
      });
    });
    after(async () => {
      await server.close();
      await smtp.close();
    });

    test('R1 the mail’s link sets a new password: the old one stops working, the new one signs in', async () => {
      const email = nextEmail('r1');
      const session = await register(server, email);
      const socket = await ChatClient.connect(server.url, session);
      const asked = await post(server, '/auth/password-reset', { email: email.toUpperCase() });
      assert.equal(asked.status, 202);
      const mail = await smtp.mailTo(email);
      assert.equal(mail.headers.subject, 'Reset your pockychat password');
      assert.match(mail.headers.from ?? '', /no-reply@chat\.example\.test/);

      const confirmed = await post(server, '/auth/password-reset/confirm', { token: tokenIn(mail), password: NEW });
      assert.equal(confirmed.status, 204);
      assert.equal((await post(server, '/auth/login', { email, password: OLD })).status, 401);
      const login = await post(server, '/auth/login', { email, password: NEW });
      assert.equal(login.status, 200);
      assert.equal((await api(server.url, login.body.token, '/me')).status, 200);
      assert.equal((await api(server.url, session, '/me')).status, 401, 'the sessions from before the reset ended');
      const farewell = await socket.next('error');
      assert.equal(farewell.code, 'unauthenticated');
      await waitFor(() => socket.closed, { what: 'the old session’s connection to close' });
    });

    test('R2 an unknown email gets the same 202 and body, and no mail is sent', async () => {
      const known = nextEmail('r2-known');
      await register(server, known);
      const unknown = nextEmail('r2-unknown');
      const forUnknown = await post(server, '/auth/password-reset', { email: unknown });
      const forKnown = await post(server, '/auth/password-reset', { email: known });
      assert.equal(forUnknown.status, 202);
      assert.deepEqual(forUnknown, forKnown);
      await smtp.mailTo(known);
      await server.app.passwordReset?.idle();
      assert.equal(smtp.mails().filter((mail) => mail.to.includes(unknown)).length, 0);
    });

    test('R3 a token works once: the second use is a 400 bad_request', async () => {
      const email = nextEmail('r3');
      await register(server, email);
      await post(server, '/auth/password-reset', { email });
      const token = tokenIn(await smtp.mailTo(email));
      assert.equal((await post(server, '/auth/password-reset/confirm', { token, password: NEW })).status, 204);
      const again = await post(server, '/auth/password-reset/confirm', { token, password: 'third password 3' });
      assert.equal(again.status, 400);
      assert.equal(again.body.error.code, 'bad_request');
      assert.match(again.body.error.message, /invalid, used or expired/);
      assert.equal((await post(server, '/auth/login', { email, password: NEW })).status, 200);
    });

    test('R4 a token past its hour is a 400, and the password stays', async () => {
      const email = nextEmail('r4');
      await register(server, email);
      await post(server, '/auth/password-reset', { email });
      const token = tokenIn(await smtp.mailTo(email));
      clock.offsetMs += 61 * 60_000;
      try {
        const late = await post(server, '/auth/password-reset/confirm', { token, password: NEW });
        assert.equal(late.status, 400);
        assert.equal(late.body.error.code, 'bad_request');
      } finally {
        clock.offsetMs -= 61 * 60_000;
      }
      assert.equal((await post(server, '/auth/login', { email, password: OLD })).status, 200);
    });

    test('R5 a token within its hour works (the expiry is not early)', async () => {
      const email = nextEmail('r5');
      await register(server, email);
      await post(server, '/auth/password-reset', { email });
      const token = tokenIn(await smtp.mailTo(email));
      clock.offsetMs += 59 * 60_000;
      try {
        assert.equal((await post(server, '/auth/password-reset/confirm', { token, password: NEW })).status, 204);
      } finally {
        clock.offsetMs -= 59 * 60_000;
      }
    });

    test('R6 setting a password ends the user’s older reset tokens', async () => {
      const email = nextEmail('r6');
      await register(server, email);
      await post(server, '/auth/password-reset', { email });
      await post(server, '/auth/password-reset', { email });
      const first = tokenIn(await smtp.mailTo(email, 1));
      const second = tokenIn(await smtp.mailTo(email, 2));
      assert.notEqual(first, second);
      assert.equal((await post(server, '/auth/password-reset/confirm', { token: second, password: NEW })).status, 204);
      const older = await post(server, '/auth/password-reset/confirm', { token: first, password: 'third password 3' });
      assert.equal(older.status, 400);
    });

    test('R7 bad input: a malformed token, a short password, a bad email are 400s', async () => {
      const cases: unknown[] = [
        { token: 'short', password: NEW },
        { token: 'x'.repeat(43), password: 'short' },
        { password: NEW },
      ];
      for (const body of cases) {
        const answer = await post(server, '/auth/password-reset/confirm', body);
        assert.equal(answer.status, 400, JSON.stringify(body));
        assert.equal(answer.body.error.code, 'bad_request');
      }
      const unknownToken = await post(server, '/auth/password-reset/confirm', { token: 'x'.repeat(43), password: NEW });
      assert.equal(unknownToken.status, 400);
      assert.equal((await post(server, '/auth/password-reset', { email: 'not an email' })).status, 400);
    });

    test('R8 at most 5 requests an hour per email, known or not: then 429', async () => {
      const email = nextEmail('r8');
      for (let i = 0; i < 5; i++) assert.equal((await post(server, '/auth/password-reset', { email })).status, 202);
      const over = await post(server, '/auth/password-reset', { email });
      assert.equal(over.status, 429);
      assert.equal(over.body.error.code, 'rate_limited');
      assert.equal((await post(server, '/auth/password-reset', { email: nextEmail('r8-other') })).status, 202);
    });

    test('R9 an account without a password (a guest) gets no mail', async () => {
      const known = nextEmail('r9-known');
      await register(server, known);
      const guest = await post(server, '/auth/guest', { name: 'Guesty' });
      assert.equal(guest.status, 200);
      // A guest has no email at all: the same 202 and nothing sent.
      const email = nextEmail('r9');
      assert.equal((await post(server, '/auth/password-reset', { email })).status, 202);
      await post(server, '/auth/password-reset', { email: known });
      await smtp.mailTo(known);
      await server.app.passwordReset?.idle();
      assert.equal(smtp.mails().filter((mail) => mail.to.includes(email)).length, 0);
    });

    test('R10 GET /auth/options says password reset is on', async () => {
      const options = await api(server.url, undefined, '/auth/options');
      assert.equal(options.status, 200);
      assert.deepEqual(options.body, { passwordReset: true, oidc: null, facebook: false });
    });
  });
}

resetRules('SQLite', async () => undefined);

let postgres: PostgresServer | undefined;
resetRules('PostgreSQL', async () => {
  postgres ??= await startPostgres();
  const url = await createDatabase(postgres, 'password_reset');
  return () => PostgresStore.open(url);
});
after(() => postgres?.stop('immediate'));

describe('password reset with SMTP authentication', () => {
  const auth = { user: 'mailer', pass: 'mail secret' };
  let smtp: SmtpServer;
  before(async () => {
    smtp = await startSmtpServer({ auth });
  });
  after(() => smtp.close());

  test('R11 with SMTP_USER and SMTP_PASSWORD right, the mail goes out', async () => {
    const server = await startTestServer({ env: { ...smtp.env, WEB_URL } });
    try {
      const email = nextEmail('r11');
      await register(server, email);
      assert.equal((await post(server, '/auth/password-reset', { email })).status, 202);
      tokenIn(await smtp.mailTo(email));
    } finally {
      await server.close();
    }
  });

  test('R12 with a wrong SMTP password the mail is refused: the answer is still the 202, nothing sent', async () => {
    const server = await startTestServer({ env: { ...smtp.env, SMTP_PASSWORD: 'wrong', WEB_URL } });
    try {
      const email = nextEmail('r12');
      await register(server, email);
      assert.equal((await post(server, '/auth/password-reset', { email })).status, 202);
      await server.app.passwordReset?.idle();
      assert.equal(smtp.mails().filter((mail) => mail.to.includes(email)).length, 0);
    } finally {
      await server.close();
    }
  });
});

describe('password reset when SMTP is not configured', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('R13 the endpoints are 404 not_found and /auth/options says so', async () => {
    for (const [path, body] of [
      ['/auth/password-reset', { email: 'a@example.test' }],
      ['/auth/password-reset/confirm', { token: 'x'.repeat(43), password: NEW }],
    ] as const) {
      const answer = await post(server, path, body);
      assert.equal(answer.status, 404, path);
      assert.equal(answer.body.error.code, 'not_found');
    }
    const options = await api(server.url, undefined, '/auth/options');
    assert.deepEqual(options.body, { passwordReset: false, oidc: null, facebook: false });
  });
});
