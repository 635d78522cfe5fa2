import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics for GET /metrics. One registry per running app, so tests can run several side by side. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhooks: new Counter({
      name: 'threadline_whatsapp_webhooks_total',
      help: 'WhatsApp webhook POSTs by HTTP answer',
      labelNames: ['status'],
      registers: [registry],
    }),
    webhookAckSeconds: new Histogram({
      name: 'threadline_whatsapp_webhook_ack_seconds',
      help: 'Time from receiving a webhook POST to answering it (durable write included)',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    inboundMessages: new Counter({
      name: 'threadline_inbound_messages_total',
      help: 'Customer messages stored (redeliveries excluded)',
      registers: [registry],
    }),
    slackCalls: new Counter({
      name: 'threadline_slack_calls_total',
      help: 'Slack Web API calls by method and outcome',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    }),
    graphCalls: new Counter({
      name: 'threadline_graph_calls_total',
      help: 'Graph API sends by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    inboundToSlackSeconds: new Histogram({
      name: 'threadline_inbound_to_slack_seconds',
      help: 'From storing a customer message to its post in the Slack thread',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    inboxPending: new Gauge({
      name: 'threadline_inbox_pending_rows',
      help: 'Stored webhook POSTs not ingested yet (the backlog behind the acknowledgements)',
      registers: [registry],
    }),
    inboxOldestPendingSeconds: new Gauge({
      name: 'threadline_inbox_oldest_pending_seconds',
      help: 'Age of the oldest stored webhook POST not ingested yet (0 when none): alert when it grows',
      registers: [registry],
    }),
    inboxParkedRows: new Gauge({
      name: 'threadline_inbox_parked_rows',
      help: 'Stored webhook POSTs set aside after failing repeatedly (retry with /threadline inbox retry)',
      registers: [registry],
    }),
    inboxParked: new Counter({
      name: 'threadline_inbox_parked_total',
      help: 'Stored webhook POSTs parked by this process',
      registers: [registry],
    }),
    unreadableItems: new Counter({
      name: 'threadline_webhook_items_unreadable_total',
      help: 'Webhook items that could not be stored as they came and were kept as "could not be read"',
      registers: [registry],
    }),
    dbStatements: new Counter({
      name: 'threadline_db_statements_total',
      help: 'Database statements this process has sent (on PGlite, transaction control not included)',
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'threadline_work_queue_depth',
      help: 'Conversations waiting or running in this process',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
