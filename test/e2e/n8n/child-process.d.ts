/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: types of the e2e tooling's process spawner (child-process.js), never runs inside n8n */
import type { ChildProcess, SpawnOptions } from 'node:child_process';

/** child_process.spawn with the shell off: see child-process.js. */
export declare function spawnProcess(
	command: string,
	args: string[],
	options: SpawnOptions,
): ChildProcess;
