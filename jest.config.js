/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  // Examples import the package by name, as users do; in tests that name maps to the sources.
  moduleNameMapper: { '^fleetplane$': '<rootDir>/index.ts', '^fleetplane/pulumi$': '<rootDir>/outputs/pulumi.ts' },
  testTimeout: 120000,
};
