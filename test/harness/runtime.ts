/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: never runs inside n8n; it reaches n8n-core's own DI container (a transitive dependency) and reads DEBUG_HARNESS */
/**
 * The one place where the harness touches n8n-core's dependency-injection container.
 *
 * n8n-core resolves its services (Logger, GlobalConfig, BinaryDataService, OutboundHttp,
 * PollTriggerExecutor, …) from `Container` in `@n8n/di`. That container is module-local, and
 * n8n-core ships its own nested copies of `@n8n/di`, `@n8n/config` and `@n8n/backend-common`
 * (node_modules/n8n-core/node_modules/@n8n/*), so importing `@n8n/di` from here would give a
 * *different* container. We therefore resolve those packages the way n8n-core itself does:
 * with a `require` anchored at n8n-core's own location.
 */
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import { createRequire } from 'node:module';

/** Constructor of a DI-managed class (n8n-core services are plain classes decorated with @Service). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- DI service constructors take arbitrary injected arguments
export type ServiceClass<T> = abstract new (...args: any[]) => T;

interface DiContainer {
	get<T>(type: ServiceClass<T>): T;
	set<T>(type: ServiceClass<T>, instance: T): void;
}

interface GlobalConfigShape {
	logging: { level: string };
}

const localRequire = createRequire(__filename);
const coreRequire = createRequire(localRequire.resolve('n8n-core'));

const { Container } = coreRequire('@n8n/di') as { Container: DiContainer };
const { GlobalConfig } = coreRequire('@n8n/config') as {
	GlobalConfig: ServiceClass<GlobalConfigShape>;
};
const { Logger } = coreRequire('@n8n/backend-common') as { Logger: ServiceClass<object> };

/** True when DEBUG_HARNESS=1: n8n's logger then writes debug output to the console. */
export const debugHarness = process.env.DEBUG_HARNESS === '1';

// n8n's Logger reads its level from GlobalConfig (N8N_LOG_LEVEL) when it is created. Set the
// level first, then create the Logger as n8n's start-up does: that also points n8n-workflow's
// LoggerProxy (used by WorkflowExecute) at it.
Container.get(GlobalConfig).logging.level = debugHarness ? 'debug' : 'silent';
Container.get(Logger);

// Binary data: n8n 2.x defaults to `filesystem` mode; the harness uses n8n's own in-memory
// `default` mode (N8N_DEFAULT_BINARY_DATA_MODE=default) unless the caller chose a mode through
// that same environment variable.
if (!process.env.N8N_DEFAULT_BINARY_DATA_MODE) {
	Container.get(BinaryDataConfig).mode = 'default';
}

let initialised: Promise<void> | undefined;

/**
 * What n8n's server does once at start-up for the parts the harness uses:
 * `await Container.get(BinaryDataService).init()`.
 */
export async function ensureRuntime(): Promise<void> {
	initialised ??= Container.get(BinaryDataService).init();
	await initialised;
}

/** An n8n-core service from n8n-core's own container. */
export function coreService<T>(type: ServiceClass<T>): T {
	return Container.get(type);
}
