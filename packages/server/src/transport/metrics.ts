import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics, served as text at /metrics. One registry per app, so tests can run several. */
export class Metrics {
  readonly registry = new Registry();
  readonly messages = new Counter({
    name: 'pockychat_messages_total',
    help: 'Messages stored and acked',
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: 'pockychat_deliveries_total',
    help: 'Frames written to connections by fan-out',
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'pockychat_errors_total',
    help: 'Error frames and responses, by code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly fanoutLatency = new Histogram({
    name: 'pockychat_fanout_latency_seconds',
    help: 'From a message being stored to its delivery on this node',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(connections: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: 'pockychat_' });
    new Gauge({
      name: 'pockychat_connections',
      help: 'Open real-time connections on this node',
      registers: [this.registry],
      collect() {
        this.set(connections());
      },
    });
  }
}
