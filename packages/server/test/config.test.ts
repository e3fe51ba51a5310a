import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config.ts';
import { NODE_FLAGS } from '../src/node-flags.ts';
import { tempDataDir } from './helpers/test-server.ts';

const serverMain = path.resolve(import.meta.dirname, '../src/main.ts');

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, not ${String(err)}`);
    return err;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

describe('config', () => {
  test('defaults: PORT 3000, HOST 0.0.0.0, DATA_DIR ./data resolved, the contract limits', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, path.resolve('data'));
    assert.ok(path.isAbsolute(config.dataDir));
    assert.equal(config.sqlitePath, path.join(path.resolve('data'), 'pockychat.sqlite'));
    assert.deepEqual(config.allowedOrigins, []);
    assert.equal(config.maxFrameBytes, 64 * 1024);
    assert.equal(config.maxFileBytes, 25 * 1024 * 1024);
    assert.deepEqual(config.rateLimit, { messages: 20, windowMs: 10_000 });
    assert.equal(config.authRateLimit, 20, 'sign-ins a minute per address');
    assert.equal(config.httpRateLimit, 600, 'HTTP requests a minute per address');
    assert.equal(config.trustProxy, false, 'X-Forwarded-For is not trusted unless asked');
    assert.equal(config.tls, undefined);
    assert.equal(config.logLevel, 'info');
    assert.ok(Object.isFrozen(config));
  });

  test('empty values count as unset', () => {
    const config = loadConfig({ PORT: '', HOST: '', ALLOWED_ORIGINS: '', RATE_LIMIT_MESSAGES: '' });
    assert.equal(config.port, 3000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.rateLimit.messages, 20);
  });

  test('values are read and converted', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATA_DIR: '/tmp/pocky-data',
      ALLOWED_ORIGINS: 'https://chat.example.com, http://localhost:5173',
      RATE_LIMIT_MESSAGES: '5',
      RATE_LIMIT_WINDOW_S: '60',
      AUTH_RATE_LIMIT: '5',
      HTTP_RATE_LIMIT: '3000',
      TRUST_PROXY: 'true',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, '/tmp/pocky-data');
    assert.equal(config.sqlitePath, '/tmp/pocky-data/pockychat.sqlite');
    assert.deepEqual(config.allowedOrigins, ['https://chat.example.com', 'http://localhost:5173']);
    assert.deepEqual(config.rateLimit, { messages: 5, windowMs: 60_000 });
    assert.equal(config.authRateLimit, 5);
    assert.equal(config.httpRateLimit, 3000);
    assert.equal(config.trustProxy, true);
    assert.ok(Object.isFrozen(config.allowedOrigins));
  });

  test('every bad value is listed at once', () => {
    const error = configError({ PORT: 'abc', ALLOWED_ORIGINS: 'chat.example.com', RATE_LIMIT_MESSAGES: 'lots' });
    for (const name of ['PORT', 'ALLOWED_ORIGINS', 'RATE_LIMIT_MESSAGES']) {
      assert.match(error.message, new RegExp(`\\b${name}\\b`), `names ${name}`);
    }
    // The value given is echoed, so the operator sees what was wrong.
    assert.match(error.message, /"abc"/);
    assert.match(error.message, /"lots"/);
  });

  for (const port of ['abc', '-1', '65536', '3000.5', ' ', '0x50', '1e3', '80 80']) {
    test(`PORT=${JSON.stringify(port)} is refused`, () => {
      assert.match(configError({ PORT: port }).message, /PORT/);
    });
  }

  for (const origins of [
    'chat.example.com',
    'https://chat.example.com/',
    'https://chat.example.com/app',
    'ftp://x.example',
    '*',
  ]) {
    test(`ALLOWED_ORIGINS=${JSON.stringify(origins)} is refused`, () => {
      assert.match(configError({ ALLOWED_ORIGINS: origins }).message, /ALLOWED_ORIGINS/);
    });
  }

  for (const name of ['RATE_LIMIT_MESSAGES', 'AUTH_RATE_LIMIT', 'HTTP_RATE_LIMIT']) {
    for (const value of ['lots', '0', '-5', '2.5', '1e3']) {
      test(`${name}=${JSON.stringify(value)} is refused`, () => {
        assert.match(configError({ [name]: value }).message, new RegExp(`\\b${name}\\b`));
      });
    }
  }

  test('bad AUTH_RATE_LIMIT and HTTP_RATE_LIMIT are listed together, with the values given', () => {
    const error = configError({ AUTH_RATE_LIMIT: 'none', HTTP_RATE_LIMIT: '0' });
    assert.match(error.message, /AUTH_RATE_LIMIT: .*"none"/);
    assert.match(error.message, /HTTP_RATE_LIMIT: .*"0"/);
  });

  test('a bad LOG_LEVEL or a TLS_CERT without TLS_KEY is refused', () => {
    assert.match(configError({ LOG_LEVEL: 'loud' }).message, /LOG_LEVEL/);
    assert.match(configError({ TLS_CERT: '/tmp/cert.pem' }).message, /TLS_KEY/);
  });

  test('npm start runs the server with its Node flags', () => {
    const rootPackage = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, '../../../package.json'), 'utf8'),
    ) as {
      scripts: { start: string };
    };
    const command = rootPackage.scripts.start.split('&&').at(-1)?.trim() ?? '';
    assert.equal(command, `node ${NODE_FLAGS.join(' ')} packages/server/src/main.ts`);
  });

  test('main.ts with PORT=abc exits 2 with a clear message on stderr', async () => {
    const child = spawn(process.execPath, [serverMain], {
      env: { ...process.env, PORT: 'abc', RATE_LIMIT_MESSAGES: 'lots', DATA_DIR: tempDataDir(), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 2, `exit code; stderr: ${stderr}`);
    assert.match(stderr, /invalid configuration/);
    assert.match(stderr, /PORT/);
    assert.match(stderr, /RATE_LIMIT_MESSAGES/);
    assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
    assert.doesNotMatch(stdout, /listening/);
  });
});
