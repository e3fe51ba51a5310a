import type { FastifyInstance } from 'fastify';
import type { Fanout } from '../fanout/fanout.ts';
import type { Store } from '../chat/ports/store.ts';
import type { Metrics } from './metrics.ts';

export interface HealthDeps {
  store: Store;
  fanout: Fanout;
  metrics: Metrics;
}

/** /healthz (the process runs), /readyz (its database and fan-out answer), /metrics (Prometheus). */
export function registerHealthRoutes(http: FastifyInstance, deps: HealthDeps): void {
  const { store, fanout, metrics } = deps;
  http.get('/healthz', async () => ({ ok: true }));
  http.get('/readyz', async (_request, reply) => {
    const database = await store.ping().then(
      () => true,
      () => false,
    );
    const fanoutUp = fanout.connected ?? true;
    const ready = database && fanoutUp;
    return reply.code(ready ? 200 : 503).send({ ok: ready, database, fanout: fanoutUp });
  });
  http.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
