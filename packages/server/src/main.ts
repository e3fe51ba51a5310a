import { mkdirSync } from 'node:fs';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openBlobStore, openFanout, openStore } from './adapters.ts';
import { createLogger } from './logger.ts';

/** Wiring only: read the configuration, build the parts, start, stop on a signal. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`pockychat: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore(config);
  const fanout = await openFanout(config, log, store);
  const app = await createApp({ config, log, store, fanout, blobs: openBlobStore(config) });
  const url = await app.listen();
  log.info({ url, dataDir: config.dataDir }, 'pockychat is listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    await app.close();
    clearTimeout(timer);
    log.info('stopped');
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

await main();
