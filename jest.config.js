/** Tests run the built-from-source nodes through n8n-core against the simulator; see test/README.md. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/setup/global-setup.js',
	setupFiles: ['<rootDir>/test/setup/env.js'],
	// Fails a test during which the simulator rejected a request as breaking the contract.
	setupFilesAfterEnv: ['<rootDir>/test/setup/strict.ts'],
	testTimeout: 30000,
};
