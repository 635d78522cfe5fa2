/** Pure Block Kit builders: data in, `{ text, blocks }` out. No I/O (STYLE: three rings). */
export * from './types';
export * from './primitives';
export { buildHeaderCard, describeState } from './header-card';
export { renderInboundBody, formatSize } from './inbound-content';
export { buildInboundMessage, buildInboundBatch, fitsInBatch, isBatchable, MAX_BATCH } from './inbound-message';
export * from './notices';
export * from './ephemerals';
