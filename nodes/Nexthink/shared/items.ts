// Moved to ./engine.ts (one execution engine); this file goes once its last importers are updated.
export { asNodeError, errorItem, pairedWith, runPerItem } from './engine';
export { DEFAULT_CONCURRENCY } from './options';
