/** Jest runs the TypeScript tests through ts-jest; type checking is done by `npm run typecheck`. */
module.exports = {
	rootDir: '..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	setupFiles: ['<rootDir>/test/setup/env.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/setup/teardown.ts'],
	testTimeout: 30000,
	maxWorkers: 2,
};
