/**
 * The "runs in a real n8n" layer: the n8n runtime (Node 24 + n8n 2.40.7 cached in .cache/),
 * n8n instances loading this package as a community package or a custom extension, the example
 * workflows as n8n imports them, n8n's REST API and the simulator's control API.
 * Used by `npm run dev` (test/e2e/dev.ts) and `npm run test:e2e` (test/e2e/*.e2e.ts).
 */
export * from './examples';
export * from './instance';
export * from './package';
export * from './processes';
export * from './queue';
export * from './rest';
export * from './runtime';
export * from './simulator-control';
export * from './system-packages';
