/**
 * The end-to-end suite (npm run test:e2e): the packed package in real n8n 2.40.7 and 1.123.81
 * (Node 24, installed once into .cache/n8n-runtime/) against the simulator. One file at a time,
 * one n8n at a time: each starts its own n8n and simulator. See test/e2e/README.md.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
	maxWorkers: 1,
	// A cold install of both runtimes (about 8 minutes) happens in the global setup; hooks boot n8n.
	testTimeout: 5 * 60_000,
	slowTestThreshold: 120,
};
