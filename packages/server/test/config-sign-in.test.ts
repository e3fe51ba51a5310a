import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, not ${String(err)}`);
    return err.message;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

const smtp = {
  SMTP_HOST: 'mail.example.test',
  SMTP_FROM: 'chat@example.test',
  PUBLIC_URL: 'https://chat.example.test',
};

describe('config: password reset (SMTP_*) and OpenID Connect (OIDC_*)', () => {
  test('both are off by default', () => {
    const config = loadConfig({});
    assert.equal(config.passwordReset, undefined);
    assert.equal(config.oidc, undefined);
  });

  test('SMTP_HOST with SMTP_FROM and PUBLIC_URL: port 587, STARTTLS, no auth, links to PUBLIC_URL, an hour', () => {
    assert.deepEqual(loadConfig(smtp).passwordReset, {
      smtp: { host: 'mail.example.test', port: 587, secure: false, auth: undefined, from: 'chat@example.test' },
      webUrl: 'https://chat.example.test',
      ttlMs: 3_600_000,
    });
  });

  test('every SMTP setting read; WEB_URL wins over PUBLIC_URL for the link', () => {
    const config = loadConfig({
      ...smtp,
      SMTP_PORT: '465',
      SMTP_SECURE: 'true',
      SMTP_USER: 'u',
      SMTP_PASSWORD: 'p',
      WEB_URL: 'https://web.example.test',
      PASSWORD_RESET_TTL_MINUTES: '15',
    });
    assert.deepEqual(config.passwordReset, {
      smtp: {
        host: 'mail.example.test',
        port: 465,
        secure: true,
        auth: { user: 'u', pass: 'p' },
        from: 'chat@example.test',
      },
      webUrl: 'https://web.example.test',
      ttlMs: 900_000,
    });
  });

  test('refused: SMTP_HOST without a sender or a link origin, a user without a password, bad numbers', () => {
    assert.match(problems({ SMTP_HOST: 'mail.example.test', PUBLIC_URL: 'https://c.test' }), /SMTP_FROM/);
    assert.match(problems({ SMTP_HOST: 'mail.example.test', SMTP_FROM: 'a@b.test' }), /WEB_URL or PUBLIC_URL/);
    assert.match(problems({ ...smtp, SMTP_USER: 'u' }), /SMTP_USER and SMTP_PASSWORD/);
    assert.match(problems({ ...smtp, SMTP_PORT: 'x' }), /SMTP_PORT/);
    assert.match(problems({ ...smtp, PASSWORD_RESET_TTL_MINUTES: '0' }), /PASSWORD_RESET_TTL_MINUTES/);
    assert.match(problems({ ...smtp, WEB_URL: 'https://web.example.test/path' }), /WEB_URL/);
  });

  test('OIDC_ISSUER with OIDC_CLIENT_ID: defaults for the name and scopes; the secret optional', () => {
    assert.deepEqual(loadConfig({ OIDC_ISSUER: 'https://sso.example.test/realms/x', OIDC_CLIENT_ID: 'chat' }).oidc, {
      issuer: 'https://sso.example.test/realms/x',
      clientId: 'chat',
      clientSecret: undefined,
      name: 'Single sign-on',
      scopes: 'openid email profile',
    });
    const named = loadConfig({
      OIDC_ISSUER: 'https://accounts.google.com',
      OIDC_CLIENT_ID: 'id',
      OIDC_CLIENT_SECRET: 's',
      OIDC_NAME: 'Google',
      OIDC_SCOPES: 'openid email',
    }).oidc;
    assert.equal(named?.name, 'Google');
    assert.equal(named?.clientSecret, 's');
    assert.equal(named?.scopes, 'openid email');
  });

  test('refused: an issuer without a client id or the reverse, an issuer that is not a URL', () => {
    assert.match(problems({ OIDC_ISSUER: 'https://sso.example.test' }), /OIDC_ISSUER and OIDC_CLIENT_ID/);
    assert.match(problems({ OIDC_CLIENT_ID: 'chat' }), /OIDC_ISSUER and OIDC_CLIENT_ID/);
    assert.match(problems({ OIDC_ISSUER: 'not a url', OIDC_CLIENT_ID: 'chat' }), /OIDC_ISSUER/);
  });
});
